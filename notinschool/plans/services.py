"""Recording plans, meetings, health contact and alert outcomes; and the two jobs (drift each
day, the health list each week). Each service checks the actor, writes, and audits.

A meeting's actions become work items (casework.work_items) in their owners' queues; holding
the meeting marks the child's open `professionals_meeting` action done with the meeting as its
evidence. Drift (a plan past its review date, without progress, or whose child has not been
seen as often as the tier asks; a meeting action overdue) is a `plan_drift` work item for the
plan's lead (or the child's officer) that shows in the manager's team view too, with the reason
in words; the daily job opens and closes them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Role
from notinschool.audit.services import audit_record
from notinschool.casework.actions import required_action_done_by_record
from notinschool.casework.models import Alert, WorkItem
from notinschool.casework.selectors import alert_may_acknowledge
from notinschool.casework.services import alert_acknowledge
from notinschool.casework.work_items import work_item_open, work_items_close
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import Child, Status
from notinschool.plans.models import (
    AlertOutcome,
    HealthRecord,
    HealthShare,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Plan,
    PlanMember,
)
from notinschool.plans.selectors import health_team, health_teams_for, works_together
from notinschool.risk.models import Assessment, RequiredAction

DRIFT = "plan_drift"
MEETING_ACTION = "meeting_action"
HEALTH_REQUEST = "health_request"


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _agency_of(user: User) -> str:
    return user.agency.name if user.agency_id and user.agency else Role(user.role).label


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Named:
    """A person who does not sign in here: their name and agency."""

    name: str
    agency: str


def _require(actor: Actor) -> None:
    if not works_together(actor):
        raise NotPermitted("only the education team and social workers record plans and meetings")


# -- plans ----------------------------------------------------------------------------------


def plan_create(*, actor: Actor, child: Child, kind: str, lead: User | None, lead_name: str,
                lead_agency: str, start_date: dt.date, review_date: dt.date | None,
                member_users: list[User], others: list[Named]) -> Plan:
    """Record a plan the child is under, with its lead professional (a user, or a named person
    and agency) and members; the lead who signs in is a member too."""
    _require(actor)
    if review_date is not None and review_date < start_date:
        raise DomainError("The review date must be on or after the start date")
    if lead is not None:
        lead_name, lead_agency = _name(lead), lead_agency or _agency_of(lead)
    if not lead_name.strip() or not lead_agency.strip():
        raise DomainError("Enter the lead professional and their agency")
    by = actor_user(actor)
    with transaction.atomic():
        plan = Plan.objects.create(child=child, kind=kind, lead_user=lead, lead_name=lead_name.strip(),
                                   lead_agency=lead_agency.strip(), start_date=start_date,
                                   review_date=review_date, created_by=by, modified_by=by)
        users = list(dict.fromkeys(([lead] if lead else []) + member_users))
        PlanMember.objects.bulk_create(
            [PlanMember(plan=plan, user=u, name=_name(u), agency_name=_agency_of(u), created_by=by)
             for u in users]
            + [PlanMember(plan=plan, name=o.name, agency_name=o.agency, created_by=by) for o in others])
        audit_record(actor=actor, action="create", object_type="plan", object_ids=[plan.pk],
                     child_ids=[child.pk], detail={"kind": kind, "members": len(users) + len(others)})
    return plan


def plan_progress_record(*, actor: Actor, plan: Plan, note: str, on: dt.date | None = None) -> Plan:
    """Progress on the plan, in words: drift counts from the latest."""
    _require(actor)
    note = " ".join(note.split())
    if not note:
        raise DomainError("Enter what progress was made")
    plan.last_progress_on, plan.last_progress = on or clock.today(), note
    plan.modified_by = actor_user(actor)
    plan.save(update_fields=["last_progress_on", "last_progress", "modified_by", "modified_at"])
    audit_record(actor=actor, action="update", object_type="plan", object_ids=[plan.pk],
                 child_ids=[plan.child_id], detail={"fields": ["last_progress"]})
    work_items_close(source="plans.progress", source_id=plan.pk, kind=DRIFT, actor=actor,
                     reason="Progress recorded")
    return plan


def plan_end(*, actor: Actor, plan: Plan, on: dt.date, reason: str) -> Plan:
    _require(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the plan ended")
    if on < plan.start_date:
        raise DomainError("The plan cannot end before it started")
    plan.ended_on, plan.end_reason, plan.modified_by = on, reason, actor_user(actor)
    plan.save(update_fields=["ended_on", "end_reason", "modified_by", "modified_at"])
    audit_record(actor=actor, action="update", object_type="plan", object_ids=[plan.pk],
                 child_ids=[plan.child_id], detail={"fields": ["ended_on", "end_reason"]})
    for source in ("plans.review", "plans.progress", "plans.seen"):
        work_items_close(source=source, source_id=plan.pk, actor=actor, reason="The plan ended")
    return plan


# -- meetings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionIn:
    what: str
    owner: User
    due_date: dt.date


def meeting_hold(*, actor: Actor, child: Child, held_on: dt.date, question: str,
                 contributions: str, decisions: str, attendee_users: list[User],
                 others: list[Named], actions: list[ActionIn], plan: Plan | None = None) -> Meeting:
    """Record a professionals-only meeting held about the child. The person recording it
    attended. Each action opens a work item in its owner's queue; the child's open
    `professionals_meeting` action is marked done with the meeting as its evidence; a
    meeting of a plan is progress on the plan."""
    _require(actor)
    if held_on > clock.today():
        raise DomainError("Record the meeting once it has been held: the date is in the future")
    if plan is not None and plan.child_id != child.pk:
        raise DomainError("The plan is another child's")
    by = actor_user(actor)
    users = list(dict.fromkeys(([by] if by else []) + attendee_users))
    with transaction.atomic():
        open_action = RequiredAction.objects.filter(
            child=child, code="professionals_meeting",
            state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)).first()
        meeting = Meeting.objects.create(child=child, plan=plan, required_action=open_action,
                                         held_on=held_on, question=question.strip(),
                                         contributions=contributions.strip(),
                                         decisions=decisions.strip(), created_by=by, modified_by=by)
        MeetingAttendee.objects.bulk_create(
            [MeetingAttendee(meeting=meeting, user=u, name=_name(u), agency_name=_agency_of(u),
                             role=u.role, created_by=by) for u in users]
            + [MeetingAttendee(meeting=meeting, name=o.name, agency_name=o.agency, created_by=by)
               for o in others])
        link = reverse("meeting_detail", kwargs={"meeting_id": meeting.pk})
        for a in actions:
            item = MeetingAction.objects.create(meeting=meeting, what=a.what.strip(), owner=a.owner,
                                                due_date=a.due_date, created_by=by)
            work_item_open(child=child, kind=MEETING_ACTION, title=f"Meeting action: {item.what}"[:200],
                           due_date=a.due_date, source="plans.meeting_action", source_id=item.pk,
                           link=link, owner=a.owner, actor=actor)
        audit_record(actor=actor, action="create", object_type="professionals_meeting",
                     object_ids=[meeting.pk], child_ids=[child.pk],
                     detail={"attendees": len(users) + len(others), "actions": len(actions)})
        if open_action is not None:
            required_action_done_by_record(
                actor=actor, action=open_action, evidence_kind="meeting", evidence_id=meeting.pk,
                summary=f"Professionals' meeting held on {_day(held_on)}")
        if plan is not None:
            plan.last_progress_on = max(held_on, plan.last_progress_on or held_on)
            plan.last_progress = "Professionals' meeting held"
            plan.save(update_fields=["last_progress_on", "last_progress", "modified_at"])
            work_items_close(source="plans.progress", source_id=plan.pk, kind=DRIFT, actor=actor,
                             reason="A meeting was held")
    return meeting


def meeting_action_done(*, actor: Actor, action: MeetingAction) -> MeetingAction:
    """The owner (or anyone who may record meetings and read the minutes) marks it done."""
    if action.owner_id != getattr(actor, "pk", None):
        _require(actor)
    if action.done_on is None:
        action.done_on, action.modified_by = clock.today(), actor_user(actor)
        action.save(update_fields=["done_on", "modified_by", "modified_at"])
        audit_record(actor=actor, action="update", object_type="meeting_action",
                     object_ids=[action.pk], child_ids=[action.meeting.child_id],
                     detail={"fields": ["done_on"]})
    for source in ("plans.meeting_action", "plans.action_overdue"):
        work_items_close(source=source, source_id=action.pk, actor=actor, reason="Done")
    return action


# -- drift ----------------------------------------------------------------------------------


def progress_weeks() -> int:
    return int(settings.NOTINSCHOOL_PLAN_PROGRESS_WEEKS)


def plan_drift_reasons(plan: Plan, today: dt.date, latest: Assessment | None) -> dict[str, str]:
    """Why an open plan is drifting, by the work item's source, in words (empty: it is not)."""
    reasons: dict[str, str] = {}
    label = plan.get_kind_display()
    if plan.review_date is not None and plan.review_date < today:
        reasons["plans.review"] = f"{label}: review was due on {_day(plan.review_date)}"
    since = plan.last_progress_on or plan.start_date
    if since < today - dt.timedelta(weeks=progress_weeks()):
        reasons["plans.progress"] = (f"{label}: no progress recorded since {_day(since)} "
                                     f"(more than {progress_weeks()} weeks)")
    if latest is not None:
        seen = plan.child.last_seen_date
        due = clock.add_months(seen, latest.review_interval_months) if seen else None
        if due is None or due < today:
            when = f"last seen {_day(seen)}" if seen else "never seen"
            reasons["plans.seen"] = (f"{label}: child {when}; tier {latest.tier} asks every "
                                     f"{latest.review_interval_months} months")
    return reasons


def drift_run(*, actor: Actor) -> int:
    """Open a `plan_drift` work item for each reason a plan or a meeting action drifts, and
    close the ones whose reason has gone; one audit event for the run, naming the children
    whose items opened or closed. Returns how many are open after the run."""
    today = clock.today()
    open_items = {(i.source, i.source_id): i for i in WorkItem.objects.filter(
        kind=DRIFT, closed_at__isnull=True, source__in=DRIFT_SOURCES)}
    wanted: dict[tuple[str, Any], tuple[Child, str, dt.date, str, User | None]] = {}
    plans = Plan.objects.filter(ended_on__isnull=True, child__status__in=(
        Status.EHE, Status.CME, Status.NOT_IN_SCHOOL_OTHER)).select_related("child", "lead_user")
    latest = {a.child_id: a for a in Assessment.objects.filter(
        is_latest=True, child__in=plans.values("child_id")).only("child_id", "tier",
                                                                 "review_interval_months")}
    for plan in plans:
        link = reverse("plan_detail", kwargs={"plan_id": plan.pk})
        for source, reason in plan_drift_reasons(plan, today, latest.get(plan.child_id)).items():
            wanted[(source, plan.pk)] = (plan.child, reason[:200], today, link, plan.lead_user)
    for action in MeetingAction.objects.filter(done_on__isnull=True, due_date__lt=today).select_related(
            "meeting__child", "owner"):
        wanted[("plans.action_overdue", action.pk)] = (
            action.meeting.child,
            f"Meeting action overdue since {_day(action.due_date)}: {action.what}"[:200],
            action.due_date, reverse("meeting_detail", kwargs={"meeting_id": action.meeting_id}),
            action.owner)
    touched: set[Any] = set()
    for (source, source_id), (child, title, due, link, owner) in wanted.items():
        item = open_items.get((source, source_id))
        owner_id = owner.pk if owner is not None else None
        if item is None or (item.title, item.due_date, item.owner_id) != (title, due, owner_id):
            work_item_open(child=child, kind=DRIFT, title=title, due_date=due, source=source,
                           source_id=source_id, link=link, owner=owner)
            touched.add(child.pk)
    overdue = [source_id for source, source_id in wanted if source == "plans.action_overdue"]
    for item in WorkItem.objects.filter(source="plans.meeting_action", source_id__in=overdue,
                                        closed_at__isnull=True):
        # the action is followed as drift from now on, so it is not counted twice
        work_items_close(source=item.source, source_id=item.source_id, reason="Overdue: now drift")
        touched.add(item.child_id)
    for (source, source_id), item in open_items.items():
        if (source, source_id) not in wanted:
            work_items_close(source=source, source_id=source_id, kind=DRIFT,
                             reason="No longer drifting")
            touched.add(item.child_id)
    if touched:
        audit_record(actor=actor, action="update", object_type="work_item",
                     child_ids=sorted(touched, key=str),
                     detail={"drift": len(wanted), "children_changed": len(touched)})
    return len(wanted)


DRIFT_SOURCES = ("plans.review", "plans.progress", "plans.seen", "plans.action_overdue")


# -- health ---------------------------------------------------------------------------------


def health_share_run(*, actor: Actor, how: str = HealthShare.How.SCHEDULE,
                     agency: Agency | None = None) -> int:
    """Tell each health team (or one) of every home-educated child in its postcode districts it
    has not been told of. Returns how many children were shared."""
    teams = [agency] if agency is not None else list(
        Agency.objects.filter(kind=Agency.Kind.HEALTH).exclude(postcode_districts=""))
    today, shared = clock.today(), 0
    for team in teams:
        if not team.districts:
            continue
        told = HealthShare.objects.filter(agency=team).values("child_id")
        area = Q()
        for district in team.districts:
            area |= Q(postcode__startswith=f"{district} ")
        children = list(Child.objects.filter(area, status=Status.EHE).exclude(pk__in=told).only("pk"))
        HealthShare.objects.bulk_create([HealthShare(child=c, agency=team, shared_on=today, how=how,
                                                     created_by=actor_user(actor)) for c in children],
                                        ignore_conflicts=True)
        if children:
            audit_record(actor=actor, action="send", object_type="health_share",
                         child_ids=[c.pk for c in children],
                         detail={"agency": team.name, "how": str(how), "children": len(children)})
        shared += len(children)
    return shared


def health_record(*, actor: Actor, child: Child, service: str, offer: str, gp: str, concern: str,
                  request_to_ehe: str) -> HealthRecord:
    """What a health practitioner of the child's health team did: an offer, GP registration,
    a concern (read by the risk model), a request to the education team (a work item for the
    child's officer). At least one of them."""
    team = health_team(actor)
    if team is None or team not in health_teams_for(child):
        raise NotPermitted("only the child's health team records health contact")
    if bool(service) != bool(offer):
        raise DomainError("Select both the health service and what happened to the offer")
    if not (service or gp or concern.strip() or request_to_ehe.strip()):
        raise DomainError("Record an offer, GP registration, a concern or a request")
    by = actor_user(actor)
    record = HealthRecord.objects.create(
        child=child, agency=team, recorded_on=clock.today(), service=service, offer=offer, gp=gp,
        concern=concern.strip(), request_to_ehe=request_to_ehe.strip(), created_by=by, modified_by=by)
    audit_record(actor=actor, action="create", object_type="health_record", object_ids=[record.pk],
                 child_ids=[child.pk], detail={"service": service, "offer": offer, "gp": gp,
                                               "concern": bool(record.concern),
                                               "request": bool(record.request_to_ehe)})
    if record.request_to_ehe:
        work_item_open(child=child, kind=HEALTH_REQUEST,
                       title=f"Request from {team.name}: {record.request_to_ehe}"[:200],
                       due_date=clock.today() + dt.timedelta(days=7), source="plans.health",
                       source_id=record.pk,
                       link=reverse("child_detail", kwargs={"child_id": child.pk}) + "#health-heading",
                       actor=actor)
    return record


# -- alerts ---------------------------------------------------------------------------------


def alert_outcome_record(*, actor: User, alert: Alert, outcome: str) -> AlertOutcome:
    """A social worker records what was done about an alert, in words; it is acknowledged too."""
    if not alert_may_acknowledge(actor, alert):
        raise NotPermitted("this alert was sent to someone else")
    outcome = " ".join(outcome.split())
    if len(outcome.split()) < 3:
        raise DomainError("Say in a few words what was done about the alert")
    with transaction.atomic():
        alert_acknowledge(actor=actor, alert=alert)
        record, _ = AlertOutcome.objects.update_or_create(
            alert=alert, defaults={"outcome": outcome, "recorded_on": clock.today(),
                                   "modified_by": actor},
            create_defaults={"outcome": outcome, "recorded_on": clock.today(),
                             "created_by": actor, "modified_by": actor})
        audit_record(actor=actor, action="update", object_type="alert", object_ids=[alert.pk],
                     child_ids=[alert.child_id], detail={"fields": ["outcome"]})
    return record
