"""Taking the steps of the statutory path (models: the order of the steps), with the rules:

- **In order.** A step is taken only when the case's last step permits it (`permitted_next`);
  anything else is refused in words naming the step that is due. The first step opens the case;
  a decision that the authority is satisfied, or a revocation, closes it.
- **The parent's time.** The preliminary notice gives the parent `NOTINSCHOOL_S437_NOTICE_DAYS`
  (default 15, never fewer: s.437(1) says not less than 15 days) from service; the notice of
  intention gives `NOTINSCHOOL_S438_CHOICE_DAYS` (default 15) to choose a school; the informal
  enquiry and the home visit request ask for a reply within `NOTINSCHOOL_INFORMAL_ENQUIRY_DAYS`
  (default 15). Days are calendar days counted from the day of service, which does not count
  (served on 7 December, 15 days: the parent has until the end of 22 December). A letter by
  hand is served the day it is dated; by first class post it is deemed served on the second
  working day after posting (so the deadline printed in the letter already allows for the post).
- **Not before the parent's time is up.** "Not satisfied" cannot be recorded until the day after
  the preliminary notice's deadline, nor an order served before the choice window closes unless
  the parent chose a school.
- **Due, and late.** A step that gives the parent time makes the next step due
  `NOTINSCHOOL_STATUTORY_ACT_WITHIN_DAYS` (default 10) calendar days after the parent's deadline
  (after a "not satisfied" decision, after the decision; after a parent's application to revoke,
  after the application). That due date is a work item in the officer's queue (overdue after it)
  until the next step is taken; a step taken after it records by how many days (`late_days`).
- **Approval.** The preliminary notice, the notice of intention, the order and a revocation are
  proposed by an officer and issued when a team manager approves (`APPROVE`), never the one who
  proposed it; a returned proposal never takes effect.
- **Letters.** Each step that writes to the family prints its letter from the authority's
  template (`letters.services.letter_issue`), kept on the child and linked from the timeline.
- The home visit request of the Children's Wellbeing and Schools Act 2026 is offered only when
  `NOTINSCHOOL_HOME_VISIT_REQUEST_COMMENCED` is on.

Every write is audited in its transaction."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.actions import required_action_done_by_record
from notinschool.casework.work_items import work_item_open, work_items_close
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.workdays import add_working_days
from notinschool.letters.compose import long_date
from notinschool.letters.services import letter_issue
from notinschool.people.models import Child
from notinschool.risk.models import RequiredAction
from notinschool.statutory import letters
from notinschool.statutory.models import StatutoryCase, StatutoryStep

S = StatutoryStep
K = StatutoryStep.Kind
APPROVE = Cap.DECIDE_CONSENT  # the team manager's decisions for the authority
NEEDS_APPROVAL = (K.PRELIMINARY_NOTICE, K.NOTICE_OF_INTENTION, K.ORDER, K.REVOCATION)
SOURCE = "statutory"
WORK_KIND = "statutory_step_due"
POST_WORKING_DAYS = 2  # first class post: deemed served the second working day after posting


def notice_days() -> int:
    return max(15, int(getattr(settings, "NOTINSCHOOL_S437_NOTICE_DAYS", 15)))


def choice_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_S438_CHOICE_DAYS", 15))


def enquiry_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_INFORMAL_ENQUIRY_DAYS", 15))


def act_within_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_STATUTORY_ACT_WITHIN_DAYS", 10))


def home_visit_commenced() -> bool:
    return bool(getattr(settings, "NOTINSCHOOL_HOME_VISIT_REQUEST_COMMENCED", False))


def served_on(day: dt.date, service: str) -> dt.date:
    """The day a letter dated `day` is served: by hand that day; by post the second working day after."""
    return add_working_days(day, POST_WORKING_DAYS) if service == S.Service.POST else day


def _period(kind: str) -> int | None:
    periods: dict[str, int] = {K.INFORMAL_ENQUIRY: enquiry_days(), K.HOME_VISIT_REQUEST: enquiry_days(),
                               K.PRELIMINARY_NOTICE: notice_days(), K.NOTICE_OF_INTENTION: choice_days()}
    return periods.get(kind)


def case_open(child: Child) -> StatutoryCase | None:
    return StatutoryCase.objects.filter(child=child, closed_on__isnull=True).first()


def taken_steps(case: StatutoryCase) -> list[StatutoryStep]:
    return list(case.steps.filter(state=S.State.TAKEN).order_by("number"))


def proposed_step(case: StatutoryCase) -> StatutoryStep | None:
    return case.steps.filter(state=S.State.PROPOSED).first()


def permitted_next(case: StatutoryCase | None) -> list[str]:
    """The steps that may be taken next, in the order offered; none while a proposal awaits
    approval or once the case is closed."""
    if case is None:
        return [K.INFORMAL_ENQUIRY]
    if not case.is_open or proposed_step(case) is not None:
        return []
    taken = taken_steps(case)
    last = taken[-1] if taken else None
    if last is None:
        return [K.INFORMAL_ENQUIRY]
    if last.kind == K.INFORMAL_ENQUIRY:
        return ([str(K.HOME_VISIT_REQUEST)] if home_visit_commenced() else []) + [str(K.PRELIMINARY_NOTICE)]
    following: dict[str, list[str]] = {
            K.HOME_VISIT_REQUEST: [K.PRELIMINARY_NOTICE], K.PRELIMINARY_NOTICE: [K.DECISION],
            K.DECISION: [K.NOTICE_OF_INTENTION], K.NOTICE_OF_INTENTION: [K.ORDER],
            K.ORDER: [K.REVOCATION], K.REVOCATION: [K.REVOCATION]}
    return following.get(last.kind, [])


def _label(kind: str) -> str:
    return str(K(kind).label)


def _refuse_jump(case: StatutoryCase | None, kind: str) -> None:
    allowed = permitted_next(case)
    if kind in allowed:
        return
    if kind == K.HOME_VISIT_REQUEST and not home_visit_commenced():
        raise DomainError("The home visit request of the 2026 Act is not in force here yet")
    if case is not None and not case.is_open:
        raise DomainError("This case is closed: no step can be taken in it")
    if case is not None and proposed_step(case) is not None:
        raise DomainError("A step awaits a manager's approval: "
                          "no other step can be taken until it is decided")
    due = " or ".join(_label(k).lower() for k in allowed) or "none"
    raise DomainError(f"The {_label(kind).lower()} cannot be taken yet: a record cannot skip a step. "
                      f"The next step is: {due}")


def _validate(kind: str, *, service: str, outcome: str, schools: str, revoked_by: str,
              application_on: dt.date | None, reasons: str) -> None:
    if _period(kind) is not None and kind != K.INFORMAL_ENQUIRY and service not in S.Service.values:
        raise DomainError("Select how the letter is served")
    if kind == K.DECISION and outcome not in (S.Outcome.SATISFIED, S.Outcome.NOT_SATISFIED):
        raise DomainError("Select the decision")
    if kind in (K.DECISION, K.REVOCATION) and not reasons.strip():
        raise DomainError("Enter the reasons for the decision")
    if kind in (K.NOTICE_OF_INTENTION, K.ORDER) and not schools.strip():
        raise DomainError("Enter the school the authority names")
    if kind == K.REVOCATION:
        if revoked_by not in S.By.values:
            raise DomainError("Select who asks for the order to be revoked")
        if revoked_by == S.By.PARENT:
            if application_on is None:
                raise DomainError("Enter the date of the parent's application")
            if application_on > clock.today():
                raise DomainError("The date of the parent's application cannot be in the future")
            if outcome not in (S.Outcome.REVOKED, S.Outcome.REFUSED):
                raise DomainError("Select the decision on the parent's application")


def _not_too_soon(kind: str, last: StatutoryStep | None, outcome: str, parent_chose: bool) -> None:
    today = clock.today()
    if kind == K.DECISION and outcome == S.Outcome.NOT_SATISFIED and last is not None \
            and last.deadline is not None and today <= last.deadline:
        raise DomainError(f"The parent has until {long_date(last.deadline)} to satisfy the authority: "
                          "'not satisfied' can be recorded from "
                          f"{long_date(last.deadline + dt.timedelta(days=1))}")
    if kind == K.ORDER and last is not None and last.deadline is not None and today <= last.deadline \
            and not parent_chose:
        raise DomainError(f"The parent has until {long_date(last.deadline)} to choose a school: the order "
                          "can be served after that, or now if the parent has chosen one")


def step_take(*, actor: Actor, child: Child, kind: str, service: str = "", outcome: str = "",
              schools: str = "", parent_chose: bool = False, revoked_by: str = "",
              application_on: dt.date | None = None, reasons: str = "") -> StatutoryStep:
    """Takes the next step for the child (or proposes it, for a step a manager approves)."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("take a step of the statutory path")
    user = actor_user(actor)
    if user is None:
        raise NotPermitted("take a statutory step: only a person can")
    if kind not in K.values:
        raise DomainError("Choose a step of the statutory path")
    if kind == K.REVOCATION and revoked_by == S.By.AUTHORITY:
        outcome, application_on = S.Outcome.REVOKED, None
    _validate(kind, service=service, outcome=outcome, schools=schools, revoked_by=revoked_by,
              application_on=application_on, reasons=reasons)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()  # one step at a time per child
        case = case_open(child)
        _refuse_jump(case, kind)
        if case is None:
            case = StatutoryCase.objects.create(child=child, opened_on=clock.today(), created_by=user,
                                                modified_by=user)
        taken = taken_steps(case)
        _not_too_soon(kind, taken[-1] if taken else None, outcome, parent_chose)
        number = (case.steps.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        step = StatutoryStep.objects.create(
            case=case, number=number, kind=kind,
            state=S.State.PROPOSED if kind in NEEDS_APPROVAL else S.State.TAKEN,
            service=service if _period(kind) is not None else "", outcome=outcome,
            schools=schools.strip(), parent_chose=parent_chose, revoked_by=revoked_by,
            application_on=application_on, reasons=reasons.strip(), proposed_by=user,
            proposed_at=clock.now(), created_by=user, modified_by=user)
        audit_record(actor=actor, action="create", object_type="statutory_step", object_ids=[step.pk],
                     child_ids=[child.pk], detail={"kind": kind, "state": step.state})
        if step.state == S.State.TAKEN:
            _issue(actor, step, taken)
    return step


def step_decide(*, actor: Actor, step: StatutoryStep, approve: bool, comments: str = "") -> StatutoryStep:
    """A manager approves a proposed step (it is issued now, with its letter) or returns it."""
    if not actor.can(APPROVE):
        raise NotPermitted("approve a statutory step")
    if not approve and not comments.strip():
        raise DomainError("Enter your comments for the officer")
    user = actor_user(actor)
    if user is None:
        raise NotPermitted("approve a statutory step: only a person can")
    with transaction.atomic():
        found = StatutoryStep.objects.select_for_update().select_related("case__child").get(pk=step.pk)
        if found.state != S.State.PROPOSED:
            raise DomainError("This step has already been decided by someone else")
        if found.proposed_by_id == user.pk:
            raise DomainError("Another manager must approve a step you proposed")
        found.approved_by, found.approved_at = user, clock.now()
        found.manager_comments = comments.strip()
        found.modified_by = user
        if not approve:
            found.state = S.State.RETURNED
            found.save()
        else:
            last = taken_steps(found.case)
            _not_too_soon(found.kind, last[-1] if last else None, found.outcome, found.parent_chose)
            found.save()
            _issue(actor, found, last)
        audit_record(actor=actor, action="decide", object_type="statutory_step", object_ids=[found.pk],
                     child_ids=[found.case.child_id], detail={"kind": found.kind, "approved": approve})
    return found


def _due_after(step: StatutoryStep) -> dt.date | None:
    """When the step after `step` is due: act-within days after the parent's deadline, after a
    'not satisfied' decision, or after the parent's application to revoke that was refused."""
    if step.deadline is not None:
        return step.deadline + dt.timedelta(days=act_within_days())
    if step.kind == K.DECISION and step.outcome == S.Outcome.NOT_SATISFIED and step.taken_on:
        return step.taken_on + dt.timedelta(days=act_within_days())
    return None


_NEXT_WORDS: dict[str, str] = {
    K.INFORMAL_ENQUIRY: "the reply to the informal enquiry was due {deadline}: "
                        "consider the preliminary notice",
    K.HOME_VISIT_REQUEST: "the reply to the home visit request was due {deadline}: "
                          "consider the preliminary notice",
    K.PRELIMINARY_NOTICE: "the preliminary notice's period ended {deadline}: record the decision",
    K.DECISION: "not satisfied after the preliminary notice: serve the notice of intention",
    K.NOTICE_OF_INTENTION: "the parent's choice of school was due {deadline}: serve the order",
}


def _issue(actor: Actor, step: StatutoryStep, before: list[StatutoryStep]) -> None:
    """The step is taken today: its dates, its lateness, its letter, the work items, the case."""
    today = clock.today()
    case = step.case
    child = case.child
    previous = before[-1] if before else None
    step.state, step.taken_on = S.State.TAKEN, today
    step.due_by = _due_after(previous) if previous is not None else None
    if step.kind == K.REVOCATION and step.application_on is not None:
        step.due_by = step.application_on + dt.timedelta(days=act_within_days())
    step.late_days = max(0, (today - step.due_by).days) if step.due_by else 0
    period = _period(step.kind)
    if period is not None:
        step.served_on = served_on(today, step.service or S.Service.HAND)
        step.deadline = step.served_on + dt.timedelta(days=period)
    kind = _letter_kind(step)
    if kind:
        step.letter = letter_issue(actor=actor, child=child, kind=kind, extra=_extra(step, before))
    step.save()
    if previous is not None:
        work_items_close(source=SOURCE, source_id=previous.pk, actor=actor,
                         reason=f"{_label(step.kind)} taken on {long_date(today)}")
    due = _due_after(step)
    if due is not None and step.kind in _NEXT_WORDS:
        words = _NEXT_WORDS[step.kind].format(deadline=long_date(step.deadline) if step.deadline else "")
        work_item_open(child=child, kind=WORK_KIND, title=f"Statutory path: {words}"[:200], due_date=due,
                       source=SOURCE, source_id=step.pk, actor=actor,
                       link=reverse("statutory_case", kwargs={"case_id": case.pk}))
    if step.kind == K.PRELIMINARY_NOTICE:
        _preliminary_notice_considered(actor, step)
    closes = (step.kind == K.DECISION and step.outcome == S.Outcome.SATISFIED) or \
        (step.kind == K.REVOCATION and step.outcome == S.Outcome.REVOKED)
    if closes:
        case.closed_on = today
        case.closed_reason = (StatutoryCase.Closed.SATISFIED if step.kind == K.DECISION
                              else StatutoryCase.Closed.REVOKED)
        case.modified_by = actor_user(actor)
        case.save()
        work_items_close(source=SOURCE, source_id=step.pk, actor=actor, reason="case closed")
        audit_record(actor=actor, action="update", object_type="statutory_case", object_ids=[case.pk],
                     child_ids=[child.pk], detail={"closed": case.closed_reason})


def _preliminary_notice_considered(actor: Actor, step: StatutoryStep) -> None:
    """The risk model's `consider_preliminary_notice` action, if open, is done by the notice."""
    open_actions = RequiredAction.objects.filter(
        child_id=step.case.child_id, code="consider_preliminary_notice",
        state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED))
    served = long_date(step.served_on) if step.served_on else ""
    deadline = long_date(step.deadline) if step.deadline else ""
    for action in open_actions:
        required_action_done_by_record(
            actor=actor, action=action, evidence_kind="statutory_step", evidence_id=step.pk,
            summary=f"Preliminary notice served {served}; the parent's deadline {deadline}")


def _letter_kind(step: StatutoryStep) -> str:
    if step.kind == K.DECISION:
        return letters.SATISFIED if step.outcome == S.Outcome.SATISFIED else ""
    if step.kind == K.REVOCATION:
        return letters.REVOKED if step.outcome == S.Outcome.REVOKED else letters.REVOCATION_REFUSED
    kinds: dict[str, str] = {K.INFORMAL_ENQUIRY: letters.INFORMAL_ENQUIRY,
                             K.HOME_VISIT_REQUEST: letters.HOME_VISIT_REQUEST,
                             K.PRELIMINARY_NOTICE: letters.PRELIMINARY_NOTICE,
                             K.NOTICE_OF_INTENTION: letters.NOTICE_OF_INTENTION, K.ORDER: letters.ORDER}
    return kinds[step.kind]


def _extra(step: StatutoryStep, before: list[StatutoryStep]) -> dict[str, str]:
    notice = next((s for s in reversed(before) if s.kind == K.PRELIMINARY_NOTICE), None)
    order = next((s for s in reversed(before) if s.kind == K.ORDER), None)
    schools = step.schools or (order.schools if order is not None else "")
    return {
        "deadline": long_date(step.deadline) if step.deadline else "",
        "served_on": long_date(step.served_on) if step.served_on else "",
        "schools": schools,
        "notice_date": long_date(notice.taken_on) if notice is not None and notice.taken_on else "",
        "application_date": long_date(step.application_on) if step.application_on else "",
        "reasons": step.reasons,
    }
