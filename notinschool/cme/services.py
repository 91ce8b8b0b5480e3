"""Children missing education cases (docs/product.md, "Children missing education"): opening a
case, recording the reasonable enquiries and their answers, escalating, and closing it.

- Every write takes `Cap.RECORD_CASEWORK` and is audited in its transaction.
- One open case per child. Opening one for a child whose status is not `cme` records the child
  as missing education from the date first known missing (a dated status change).
- An enquiry with no answer is chased: a work item due `NOTINSCHOOL_CME_CHASE_WORKING_DAYS`
  working days (default 5) after it was made, closed when the answer is recorded. An open case
  is a work item due 10 school days after it opened (`NOTINSCHOOL_CME_CASE_SCHOOL_DAYS`),
  closed with the case: overdue in the work queue once the case has run longer.
- Closing is allowed only for the reasons the statutory guidance gives for taking a child off
  the CME list, each with its evidence (`CLOSURE_RULES`); anything else is refused with the
  reason in words. Closing marks the child's `cme_enquiries` action done (casework.actions,
  with the case as its evidence, `cme_case`, and the closure in words) and sets the child's
  status the reason implies, dated: admitted to a school -> `returned_to_school` (the date
  admitted), suitable home education -> `ehe`, moved -> `left_area` (the date confirmed or
  left)."""

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.actions import required_action_done_by_record
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.casework.work_items import work_item_open, work_items_close
from notinschool.cme.models import CmeCase, CmeEnquiry, CmeEscalation
from notinschool.cme.reasons import REASONS, reason_label
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.workdays import add_school_days, add_working_days
from notinschool.people.models import Child, Status
from notinschool.people.services import status_change
from notinschool.risk.models import RequiredAction

CME_ACTION = "cme_enquiries"
SOURCE_CASE = "cme.case"
SOURCE_ENQUIRY = "cme.enquiry"
KIND_CASE_OPEN = "cme_case_open"
KIND_CHASE = "cme_enquiry_chase"
C = CmeCase.Closure
E = CmeEnquiry.Kind
_URN = re.compile(r"^\d{6,7}$")
MIN_EVIDENCE_WORDS = 5
_OPEN_ACTION = (RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)
CLOSURE_RULES = {
    C.ADMITTED: "the school's URN and the date the child was admitted",
    C.HOME_EDUCATION: "a suitability judgement of 'suitable' in force, or a contact with the family",
    C.MOVED_KNOWN: "the receiving authority, who there confirmed the child is known to them, and when",
    C.MOVED_ABROAD: "the country, the date the child left and the evidence described",
}
_STATUS_ON_CLOSE = {C.ADMITTED: Status.RETURNED_TO_SCHOOL, C.HOME_EDUCATION: Status.EHE,
                    C.MOVED_KNOWN: Status.LEFT_AREA, C.MOVED_ABROAD: Status.LEFT_AREA}
REFUSED = ("A case can only be closed when the child has been admitted to a school, suitable "
           "education at home has been established, or the child has moved and is known to "
           "the receiving authority or has moved abroad")


def chase_working_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_CME_CHASE_WORKING_DAYS", 5))


def case_school_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_CME_CASE_SCHOOL_DAYS", 10))


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check(actor: Actor) -> None:
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("only an officer or a team manager can record missing education casework")


def _not_future(day: dt.date | None, what: str) -> dt.date:
    if day is None:
        raise DomainError(f"Enter the date {what}")
    if day > clock.today():
        raise DomainError(f"The date {what} cannot be in the future")
    return day


def _status(actor: Actor, child: Child, status: str, on: dt.date, reason: str) -> None:
    """Move the child to `status` from `on` through the register's own rule (people.services),
    saving the dated history row."""
    row = status_change(child, status, on, reason)
    if row is None:
        return
    row.created_by = row.modified_by = actor_user(actor)
    row.save(force_insert=True)
    child.save(update_fields=["status", "status_date", "joined_register_date", "modified_at"])
    audit_record(actor=actor, action="update", object_type="child", object_ids=[child.pk],
                 child_ids=[child.pk], detail={"status": status, "from": on.isoformat(),
                                               "reason": reason})


def case_link(case: CmeCase) -> str:
    return reverse("cme_case", kwargs={"case_id": case.pk})


def _audit(actor: Actor, action: str, case: CmeCase, **detail: Any) -> None:
    audit_record(actor=actor, action=action, object_type="cme_case", object_ids=[case.pk],
                 child_ids=[case.child_id], detail={"state": case.state, **detail})


def cme_open_action(child: Child) -> RequiredAction | None:
    """The child's open `cme_enquiries` action, if there is one."""
    return RequiredAction.objects.filter(child=child, code=CME_ACTION, state__in=_OPEN_ACTION).first()


def cme_case_open(*, actor: Actor, child: Child, primary_reason: str, missing_since: dt.date | None,
                  required_action: RequiredAction | None = None) -> CmeCase:
    """Open a case for the child (refused if one is open): its primary reason and the date the
    child was first known missing. The child becomes `cme` from that date if not already."""
    _check(actor)
    if primary_reason not in REASONS:
        raise DomainError("Select the primary reason the child is missing education")
    missing_since = _not_future(missing_since, "the child was first known to be missing education")
    if required_action is None:
        required_action = cme_open_action(child)
    elif required_action.child_id != child.pk or required_action.code != CME_ACTION:
        raise DomainError("That action is not this child's missing education enquiries")
    user, today = actor_user(actor), clock.today()
    try:
        with transaction.atomic():
            case = CmeCase.objects.create(
                child=child, required_action=required_action, primary_reason=primary_reason,
                missing_since=missing_since, opened_on=today, opened_by=user, created_by=user,
                modified_by=user)
            if child.status != Status.CME:
                on = max(missing_since, child.status_date) if child.status_date else missing_since
                _status(actor, child, Status.CME, on, "children missing education case opened")
            work_item_open(child=child, kind=KIND_CASE_OPEN, source=SOURCE_CASE, source_id=case.pk,
                           title="Close the missing education case (due within "
                                 f"{case_school_days()} school days of opening)",
                           due_date=add_school_days(today, case_school_days()),
                           link=case_link(case), actor=actor)
            _audit(actor, "create", case, primary_reason=primary_reason,
                   missing_since=missing_since.isoformat())
    except IntegrityError:
        raise DomainError("This child already has an open missing education case") from None
    return case


def _open(case: CmeCase) -> CmeCase:
    locked = CmeCase.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise DomainError(f"This case was closed on {_day(locked.closed_on or clock.today())}")
    return locked


def cme_case_reason_change(*, actor: Actor, case: CmeCase, primary_reason: str) -> CmeCase:
    """What the enquiries found can change the primary reason (whereabouts unknown, then an
    application made): the reason is the case's latest view, audited with the one before."""
    _check(actor)
    if primary_reason not in REASONS:
        raise DomainError("Select the primary reason the child is missing education")
    with transaction.atomic():
        locked = _open(case)
        before, locked.primary_reason = locked.primary_reason, primary_reason
        locked.modified_by = actor_user(actor)
        locked.save(update_fields=["primary_reason", "modified_by", "modified_at"])
        _audit(actor, "update", locked, primary_reason=primary_reason, before=before)
    return locked


def cme_enquiry_record(*, actor: Actor, case: CmeCase, kind: str, asked_whom: str,
                       asked_on: dt.date | None, method: str, other_authority: str = "",
                       answer: str = "", answered_on: dt.date | None = None) -> CmeEnquiry:
    """Record an enquiry made (and its answer, if one came at once). An enquiry of another
    authority names it. Without an answer it is chased in the work queue."""
    _check(actor)
    if kind not in E.values:
        raise DomainError("Select who the enquiry was made of")
    if method not in CmeEnquiry.Method.values:
        raise DomainError("Select how the enquiry was made")
    asked_whom, other_authority, answer = asked_whom.strip(), other_authority.strip(), answer.strip()
    if not asked_whom:
        raise DomainError("Enter who was asked")
    if kind == E.OTHER_AUTHORITY and not other_authority:
        raise DomainError("Enter the name of the other local authority")
    asked_on = _not_future(asked_on, "the enquiry was made")
    if answered_on is not None or answer:
        answered_on = _answer_valid(asked_on, answered_on, answer)
    user = actor_user(actor)
    with transaction.atomic():
        locked = _open(case)
        enquiry = CmeEnquiry.objects.create(
            case=locked, kind=kind, asked_whom=asked_whom, asked_on=asked_on, method=method,
            other_authority=other_authority if kind == E.OTHER_AUTHORITY else "",
            answered_on=answered_on, answer=answer, recorded_by=user,
            answer_recorded_by=user if answered_on else None, created_by=user, modified_by=user)
        if answered_on is None:
            _chase(actor, locked, enquiry)
        audit_record(actor=actor, action="create", object_type="cme_enquiry",
                     object_ids=[enquiry.pk], child_ids=[locked.child_id],
                     detail={"case": str(locked.pk), "kind": kind, "answered": answered_on is not None})
    return enquiry


def _answer_valid(asked_on: dt.date, answered_on: dt.date | None, answer: str) -> dt.date:
    if not answer:
        raise DomainError("Enter what they said")
    answered_on = _not_future(answered_on, "of the answer")
    if answered_on < asked_on:
        raise DomainError(f"The answer cannot be before the enquiry was made ({_day(asked_on)})")
    return answered_on


def _chase(actor: Actor, case: CmeCase, enquiry: CmeEnquiry) -> None:
    who = enquiry.other_authority or enquiry.asked_whom
    work_item_open(child=case.child, kind=KIND_CHASE, source=SOURCE_ENQUIRY, source_id=enquiry.pk,
                   title=f"Chase the missing education enquiry of {who} "
                         f"({enquiry.get_kind_display().lower()})"[:200],
                   due_date=add_working_days(enquiry.asked_on, chase_working_days()),
                   link=case_link(case), actor=actor)


def cme_enquiry_answer(*, actor: Actor, enquiry: CmeEnquiry, answer: str,
                       answered_on: dt.date | None) -> CmeEnquiry:
    """Record what was said in answer to an enquiry; its chaser closes."""
    _check(actor)
    answer = answer.strip()
    answered_on = _answer_valid(enquiry.asked_on, answered_on, answer)
    with transaction.atomic():
        _open(enquiry.case)
        locked = CmeEnquiry.objects.select_for_update().get(pk=enquiry.pk)
        if locked.answered:
            raise DomainError(f"The answer to this enquiry was already recorded on "
                              f"{_day(locked.answered_on)}")  # type: ignore[arg-type]
        user = actor_user(actor)
        locked.answered_on, locked.answer, locked.answer_recorded_by = answered_on, answer, user
        locked.modified_by = user
        locked.save(update_fields=["answered_on", "answer", "answer_recorded_by", "modified_by",
                                   "modified_at"])
        work_items_close(source=SOURCE_ENQUIRY, source_id=locked.pk, actor=actor,
                         reason="the answer was recorded")
        audit_record(actor=actor, action="update", object_type="cme_enquiry",
                     object_ids=[locked.pk], child_ids=[enquiry.case.child_id],
                     detail={"case": str(enquiry.case_id), "answered": True})
    return locked


def cme_escalate(*, actor: Actor, case: CmeCase, to: str, reason: str, on: dt.date | None = None,
                 reference: str = "") -> CmeEscalation:
    """Record that the case was passed to children's social care or the police, and why. It is
    a dated record on the case, the child's page and timeline; the referral itself is made
    through the receiving team's own front door (its reference kept)."""
    _check(actor)
    if to not in CmeEscalation.To.values:
        raise DomainError("Select who the case was escalated to")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter the reason for escalating")
    on = _not_future(on or clock.today(), "of the escalation")
    user = actor_user(actor)
    with transaction.atomic():
        locked = _open(case)
        if on < locked.opened_on:
            raise DomainError(f"The escalation cannot be before the case opened ({_day(locked.opened_on)})")
        escalation = CmeEscalation.objects.create(
            case=locked, to=to, reason=reason, escalated_on=on, escalated_by=user,
            reference=reference.strip(), created_by=user, modified_by=user)
        audit_record(actor=actor, action="create", object_type="cme_escalation",
                     object_ids=[escalation.pk], child_ids=[locked.child_id],
                     detail={"case": str(locked.pk), "to": to})
    return escalation


def cme_case_close(*, actor: Actor, case: CmeCase, closure: str, school_urn: str = "",
                   school_name: str = "", effective_on: dt.date | None = None,
                   suitability_judgement: SuitabilityJudgement | None = None,
                   contact: Contact | None = None, receiving_authority: str = "",
                   confirmed_by: str = "", country: str = "", evidence: str = "") -> CmeCase:
    """Close the case for an allowed reason with its evidence (`CLOSURE_RULES`); refused
    otherwise. The child's `cme_enquiries` action is marked done with the case as evidence,
    the case's work items close, and the child's status follows the reason, dated."""
    _check(actor)
    values = _closure_valid(case, closure, school_urn=school_urn.strip(),
                            school_name=school_name.strip(), effective_on=effective_on,
                            judgement=suitability_judgement, contact=contact,
                            receiving_authority=receiving_authority.strip(),
                            confirmed_by=confirmed_by.strip(), country=country.strip(),
                            evidence=" ".join(evidence.split()))
    user, today = actor_user(actor), clock.today()
    with transaction.atomic():
        locked = _open(case)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.state, locked.closure = CmeCase.State.CLOSED, closure
        locked.closed_on, locked.closed_at, locked.closed_by = today, clock.now(), user
        locked.modified_by = user
        locked.save()
        note = closure_words(locked)
        action = cme_open_action(locked.child)
        if action is not None:
            required_action_done_by_record(actor=actor, action=action, evidence_kind="cme_case",
                                           evidence_id=locked.pk,
                                           summary=f"Missing education case closed: {note}")
        work_items_close(source=SOURCE_CASE, source_id=locked.pk, actor=actor,
                         reason="the case was closed")
        for enquiry_id in locked.enquiries.values_list("pk", flat=True):
            work_items_close(source=SOURCE_ENQUIRY, source_id=enquiry_id, actor=actor,
                             reason="the case was closed")
        child = Child.objects.select_for_update().get(pk=locked.child_id)
        # a child who left before the authority knew: the status changes from the day it was
        # recorded missing, never before (the history stays in date order)
        on = max(locked.effective_on or today, child.status_date or dt.date.min)
        _status(actor, child, _STATUS_ON_CLOSE[C(closure)], on,
                f"missing education case closed: {C(closure).label.lower()}")
        _audit(actor, "update", locked, closure=closure)
    return locked


def _closure_valid(case: CmeCase, closure: str, *, school_urn: str, school_name: str,
                   effective_on: dt.date | None, judgement: SuitabilityJudgement | None,
                   contact: Contact | None, receiving_authority: str, confirmed_by: str,
                   country: str, evidence: str) -> dict[str, Any]:
    if closure not in C.values:
        raise DomainError(REFUSED)
    if closure == C.ADMITTED:
        if not _URN.match(school_urn):
            raise DomainError("Enter the school's URN, 6 or 7 digits")
        on = _not_future(effective_on, "the child was admitted")
        return {"school_urn": school_urn, "school_name": school_name, "effective_on": on}
    if closure == C.HOME_EDUCATION:
        return _home_education(case, judgement, contact)
    if closure == C.MOVED_KNOWN:
        if not receiving_authority:
            raise DomainError("Enter the receiving authority")
        if not confirmed_by:
            raise DomainError("Enter who at the receiving authority confirmed the child is known to them")
        on = _not_future(effective_on, "the receiving authority confirmed it")
        return {"receiving_authority": receiving_authority, "confirmed_by": confirmed_by,
                "effective_on": on, "evidence": evidence}
    if not country:
        raise DomainError("Enter the country the child moved to")
    if len(evidence.split()) < MIN_EVIDENCE_WORDS:
        raise DomainError(f"Describe the evidence that the child moved abroad, in at least "
                          f"{MIN_EVIDENCE_WORDS} words")
    on = _not_future(effective_on, "the child left")
    return {"country": country, "evidence": evidence, "effective_on": on}


def _home_education(case: CmeCase, judgement: SuitabilityJudgement | None,
                    contact: Contact | None) -> dict[str, Any]:
    if judgement is None and contact is None:
        raise DomainError("Select the suitability judgement or the contact that shows suitable "
                          "education at home")
    if judgement is not None:
        if judgement.child_id != case.child_id:
            raise DomainError("Select a suitability judgement of this child")
        if not (judgement.effective and judgement.judgement == SuitabilityJudgement.Judgement.SUITABLE):
            raise DomainError("Only a judgement of 'suitable' that is in force shows suitable "
                              "education at home")
        return {"suitability_judgement": judgement, "effective_on": judgement.decided_on}
    assert contact is not None
    if contact.child_id != case.child_id or contact.state == Contact.State.PLANNED:
        raise DomainError("Select a contact with this child's family that took place")
    return {"contact": contact, "effective_on": contact.contact_date}


def closure_words(case: CmeCase) -> str:
    """The closure and its evidence in one line, for the case page, the action and the timeline."""
    on = _day(case.effective_on) if case.effective_on else ""
    if case.closure == C.ADMITTED:
        urn = f"URN {case.school_urn}"
        school = f"{case.school_name} ({urn})" if case.school_name else urn
        return f"admitted to {school} on {on}"
    if case.closure == C.HOME_EDUCATION:
        if case.suitability_judgement_id:
            return f"suitable education at home: the suitability judgement of {on}"
        return f"suitable education at home: the contact of {on}"
    if case.closure == C.MOVED_KNOWN:
        return (f"moved to {case.receiving_authority}, known to them as confirmed by "
                f"{case.confirmed_by} on {on}")
    if case.closure == C.MOVED_ABROAD:
        return f"moved abroad to {case.country}, left on {on}: {case.evidence}"
    return ""


__all__ = ["CLOSURE_RULES", "cme_case_close", "cme_case_open", "cme_enquiry_answer",
           "cme_enquiry_record", "cme_escalate", "reason_label"]
