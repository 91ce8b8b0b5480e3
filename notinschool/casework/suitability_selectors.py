"""Reads of suitability judgements, scoped to the actor: the roles with `Cap.VIEW_CASEWORK`
read them, for children they may open. The child's page reads them after the actor opened the
child (audited there); the list awaiting approval audits what it shows."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.casework.suitability import APPROVE
from notinschool.core.memo import page_memo
from notinschool.people.models import Child
from notinschool.people.selectors import child_in_scope, child_queryset_for

J = SuitabilityJudgement


@dataclass(frozen=True)
class ChildSuitability:
    """A child's judgements: the one in force, the one awaiting approval, and all of them,
    latest first."""

    in_force: SuitabilityJudgement | None
    awaiting: SuitabilityJudgement | None
    history: list[SuitabilityJudgement]


def _judgements() -> QuerySet[SuitabilityJudgement]:
    return SuitabilityJudgement.objects.select_related(
        "child", "decided_by", "approved_by").prefetch_related("contacts")


@page_memo
def child_suitability(*, actor: Actor, child: Child) -> ChildSuitability | None:
    """None when the actor may not see the child's casework."""
    if not actor.can(Cap.VIEW_CASEWORK) or not child_in_scope(actor, child.pk):
        return None
    history = list(_judgements().filter(child=child).order_by("-decided_at"))
    return ChildSuitability(
        in_force=next((j for j in history if j.effective), None),
        awaiting=next((j for j in history if j.state == J.State.AWAITING), None),
        history=history)


def suitability_get(*, actor: Actor, judgement_id: UUID | str) -> SuitabilityJudgement | None:
    """One judgement, when the actor may see its child's casework."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return _judgements().filter(pk=judgement_id, child__in=child_queryset_for(actor)).first()


def suitability_awaiting(*, actor: Actor) -> list[SuitabilityJudgement]:
    """The judgements awaiting a manager's approval, oldest first (audited as a list)."""
    if not actor.can(APPROVE):
        return []
    rows = list(_judgements().filter(state=J.State.AWAITING, child__in=child_queryset_for(actor))
                .order_by("decided_at"))
    if rows:
        audit_record(actor=actor, action="list", object_type="suitability_judgement",
                     object_ids=[j.pk for j in rows], child_ids=[j.child_id for j in rows])
    return rows


def suitability_awaiting_count(*, actor: Actor) -> int:
    """How many judgements await a manager's approval (a number only, for the work queue)."""
    if not actor.can(APPROVE):
        return 0
    return J.objects.filter(state=J.State.AWAITING, child__in=child_queryset_for(actor)).count()


def evidence_contacts(*, child: Child) -> list[Contact]:
    """The child's contacts an officer may cite as evidence: those that took place (done or
    missed), latest first. The caller has opened the child."""
    return list(Contact.objects.filter(child=child).exclude(state=Contact.State.PLANNED)
                .order_by("-contact_date", "-created_at"))
