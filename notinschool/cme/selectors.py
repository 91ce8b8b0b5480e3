"""Reads of missing education cases, scoped to the actor: roles with `Cap.VIEW_CASEWORK`, for
children they may open (people.selectors.child_queryset_for). The child's page reads them after
the actor opened the child (audited there); the case page audits its own view."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.cme.models import CmeCase, CmeEnquiry
from notinschool.core.memo import page_memo
from notinschool.people.models import Child
from notinschool.people.selectors import child_in_scope, child_queryset_for

K = CmeEnquiry.Kind


@dataclass(frozen=True)
class ChecklistRow:
    """One line of the enquiries checklist: a kind of enquiry and those made of it."""

    kind: str
    label: str
    enquiries: list[CmeEnquiry]

    @property
    def state(self) -> str:
        if not self.enquiries:
            return "Not made"
        if any(e.answered for e in self.enquiries):
            return "Answered"
        return "Awaiting an answer"


def _cases() -> QuerySet[CmeCase]:
    return CmeCase.objects.select_related("child", "opened_by", "closed_by",
                                          "suitability_judgement", "contact")


def _may_see(actor: Actor) -> bool:
    return actor.can(Cap.VIEW_CASEWORK)


@page_memo
def child_cme_cases(*, actor: Actor, child: Child) -> list[CmeCase] | None:
    """The child's cases, latest first; None when the actor may not see the child's casework."""
    if not _may_see(actor) or not child_in_scope(actor, child.pk):
        return None
    return list(_cases().filter(child=child).prefetch_related("enquiries", "escalations")
                .order_by("-opened_on", "-created_at"))


def cme_case_get(*, actor: Actor, case_id: UUID | str, audit: bool = True) -> CmeCase | None:
    """One case, when the actor may see its child's casework (audited as a view)."""
    if not _may_see(actor):
        return None
    case = _cases().filter(pk=case_id, child__in=child_queryset_for(actor)).first()
    if case is not None and audit:
        audit_record(actor=actor, action="view", object_type="cme_case", object_ids=[case.pk],
                     child_ids=[case.child_id])
    return case


def cme_enquiry_get(*, actor: Actor, enquiry_id: UUID | str) -> CmeEnquiry | None:
    if not _may_see(actor):
        return None
    return (CmeEnquiry.objects.select_related("case", "case__child")
            .filter(pk=enquiry_id, case__child__in=child_queryset_for(actor)).first())


def checklist(case: CmeCase) -> list[ChecklistRow]:
    """Every kind of reasonable enquiry the guidance names, with those made, in its order."""
    enquiries = list(case.enquiries.select_related("recorded_by", "answer_recorded_by"))
    return [ChecklistRow(kind, label, [e for e in enquiries if e.kind == kind])
            for kind, label in K.choices]


def closure_evidence(case: CmeCase) -> tuple[list[SuitabilityJudgement], list[Contact]]:
    """What may show suitable education at home: the child's judgements of 'suitable' in
    force, and the contacts with the family that took place since the child went missing."""
    judgements = [j for j in SuitabilityJudgement.objects.filter(
        child_id=case.child_id, judgement=SuitabilityJudgement.Judgement.SUITABLE,
        superseded_by__isnull=True).order_by("-decided_on") if j.effective]
    contacts = list(Contact.objects.filter(child_id=case.child_id,
                                           contact_date__gte=case.missing_since)
                    .exclude(state=Contact.State.PLANNED).order_by("-contact_date"))
    return judgements, contacts
