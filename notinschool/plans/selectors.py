"""Reading plans, meetings and the health partnership, scoped to the person asking.

Who sees what (docs/product.md, 'Who uses it'), for a child the person may see at all
(`people.selectors.child_queryset_for`):
- plans: the education team (officers and managers) and social workers see every plan of the
  child; anyone else sees a plan they are a member of (a health practitioner on the plan).
- plans known from social care's file (a current child protection or child in need plan):
  the education team and social workers, as the flag, marked as social care's.
- a professionals-only meeting's minutes: only people in the roles of those who attended
  (and the attendees themselves). Never a parent or young person, never a letter or the
  register export; a subject access disclosure holds them for review
  (`meeting_minutes_for_child`).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap, Role
from notinschool.casework.models import WorkItem
from notinschool.core.memo import page_memo
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.models import Child, Status
from notinschool.people.selectors import child_in_scope, child_queryset_for
from notinschool.plans.models import HealthRecord, HealthShare, Meeting, MeetingAction, Plan

AGENCY_PLAN_INDICATORS = {"child_protection_plan": "Child protection plan",
                          "child_in_need": "Child in need plan"}
WORK_ITEM_SOURCES = ("plans.meeting_action", "plans.review", "plans.progress", "plans.seen",
                     "plans.action_overdue", "plans.health")


def works_together(actor: Actor) -> bool:
    """May record plans and meetings: the education team and social workers."""
    return bool(actor.can(Cap.RECORD_CASEWORK) or actor.role == Role.SOCIAL_WORKER)


def _sees_all_plans(actor: Actor) -> bool:
    return bool(actor.can(Cap.VIEW_CASEWORK) or actor.role == Role.SOCIAL_WORKER)


@page_memo
def child_plans(*, actor: Actor, child: Child) -> list[Plan]:
    """The plans of a child the actor has opened, open ones first, latest first."""
    plans = Plan.objects.filter(child=child).select_related("lead_user").prefetch_related(
        "members__user")
    if not _sees_all_plans(actor):
        if not isinstance(actor, User):
            return []
        plans = plans.filter(members__user=actor).distinct()
    return sorted(plans, key=lambda p: (not p.is_open, -p.start_date.toordinal()))


def plan_get(*, actor: Actor, plan_id: Any) -> Plan | None:
    """One plan, if the actor may see its child and the plan."""
    plan = Plan.objects.select_related("child", "lead_user").filter(
        pk=plan_id, child__in=child_queryset_for(actor)).first()
    if plan is None:
        return None
    if _sees_all_plans(actor) or (isinstance(actor, User)
                                  and plan.members.filter(user_id=actor.pk).exists()):
        return plan
    return None


@dataclass(frozen=True)
class AgencyPlan:
    """A plan social care's file says the child is under now: read-only, social care's."""

    label: str
    source: str
    since: dt.date


def agency_plans(*, actor: Actor, child: Child) -> list[AgencyPlan]:
    """Current child protection and child in need plans from social care's file about the
    child (a link to the same person, made or accepted), for the education team and social
    workers; nothing for anyone else."""
    if not _sees_all_plans(actor):
        return []
    people = PersonMatch.objects.filter(child=child, kind=PersonMatch.Kind.SAME_PERSON,
                                        state__in=(PersonMatch.State.AUTOMATIC,
                                                   PersonMatch.State.ACCEPTED)).values("person_id")
    facts = AgencyFact.objects.filter(person_id__in=people, indicator__in=AGENCY_PLAN_INDICATORS,
                                      end_date__isnull=True).order_by("start_date")
    seen: dict[str, AgencyPlan] = {}
    for fact in facts:
        seen.setdefault(fact.indicator, AgencyPlan(AGENCY_PLAN_INDICATORS[fact.indicator],
                                                   "Children's social care", fact.start_date))
    return list(seen.values())


def meeting_minutes_visible(actor: Actor, meeting: Meeting) -> bool:
    """The minutes are confidential to the attendees' roles: a person who attended, or whose
    role is the role of someone who attended, and who may see the child."""
    if not isinstance(actor, User) or not actor.is_active:
        return False
    attendees = list(meeting.attendees.all())
    if not any(a.user_id == actor.pk for a in attendees) and actor.role not in {
            a.role for a in attendees if a.user_id is not None and a.role}:
        return False
    return child_in_scope(actor, meeting.child_id)


@page_memo
def child_meetings(*, actor: Actor, child: Child) -> list[Meeting]:
    """The child's meetings whose minutes the actor may read, latest first."""
    meetings = (Meeting.objects.filter(child=child).select_related("plan")
                .prefetch_related("attendees", "actions__owner"))
    return [m for m in meetings if meeting_minutes_visible(actor, m)]


def meeting_get(*, actor: Actor, meeting_id: Any) -> Meeting | None:
    meeting = (Meeting.objects.select_related("child", "plan", "created_by")
               .prefetch_related("attendees", "actions__owner").filter(pk=meeting_id).first())
    return meeting if meeting is not None and meeting_minutes_visible(actor, meeting) else None


def meeting_minutes_for_child(child: Child) -> QuerySet[Meeting]:
    """Every professionals-only meeting about the child, for the records app: each is
    `Meeting.PROFESSIONALS_ONLY` and is held for review before any subject access disclosure,
    never disclosed as it stands. No actor: the records app decides who runs a disclosure."""
    return Meeting.objects.filter(child=child).prefetch_related("attendees", "actions")


def meeting_action_get(*, actor: Actor, action_id: Any) -> MeetingAction | None:
    """A meeting's action the actor owns, or whose minutes they may read."""
    action = MeetingAction.objects.select_related("meeting", "owner").filter(pk=action_id).first()
    if action is None:
        return None
    if action.owner_id == getattr(actor, "pk", None) or meeting_minutes_visible(actor, action.meeting):
        return action
    return None


def your_work_items(*, actor: Actor) -> QuerySet[WorkItem]:
    """The open work items plans raised that the actor owns (meeting actions, drift, health
    requests), soonest first: the list for people whose work queue shows no education casework."""
    if not isinstance(actor, User):
        return WorkItem.objects.none()
    return (WorkItem.objects.filter(owner=actor, closed_at__isnull=True, source__in=WORK_ITEM_SOURCES)
            .select_related("child").order_by("due_date", "created_at"))


# -- health ---------------------------------------------------------------------------------


def health_team(actor: Actor) -> Agency | None:
    """The health team a health practitioner works for, when it covers postcode districts."""
    agency = getattr(actor, "agency", None)
    if actor.role != Role.HEALTH_PRACTITIONER or agency is None or not agency.districts:
        return None
    return agency


def health_children(*, actor: Actor) -> QuerySet[HealthShare]:
    """The home-educated children shared with the actor's health team and still theirs to see
    (home educated, in the team's districts), newest shared first."""
    team = health_team(actor)
    if team is None:
        return HealthShare.objects.none()
    return (HealthShare.objects.filter(agency=team, child__in=child_queryset_for(actor),
                                       child__status=Status.EHE)
            .select_related("child").order_by("-shared_on", "child__surname", "child__forename"))


def health_teams_for(child: Child) -> list[Agency]:
    """The health teams whose postcode districts cover the child's home."""
    district = child.postcode.split(" ")[0].upper() if child.postcode else ""
    if not district:
        return []
    return [a for a in Agency.objects.filter(kind=Agency.Kind.HEALTH).exclude(postcode_districts="")
            if district in a.districts]


@dataclass(frozen=True)
class HealthSummary:
    shares: list[HealthShare]
    records: list[HealthRecord]
    detail: bool  # the health practitioner sees the concern's words; others the flag


@page_memo
def child_health(*, actor: Actor, child: Child) -> HealthSummary | None:
    """What health was told and what health did, for the education team (a concern as the
    flag only) and the child's health team (everything)."""
    detail = health_team(actor) is not None
    if not (actor.can(Cap.VIEW_CASEWORK) or detail):
        return None
    shares = list(HealthShare.objects.filter(child=child).select_related("agency"))
    records = list(HealthRecord.objects.filter(child=child).select_related("agency", "created_by"))
    return HealthSummary(shares, records, detail)


def child_health_facts(child_ids: Q) -> list[tuple[Any, Any, str, dt.date]]:
    """Health records the risk model reads as health agency facts: (child id, record, the
    indicator, the day). Every concern is `health_concern`; the child's latest GP registration,
    when it is "not registered", is `not_registered_with_gp`."""
    rows = []
    latest_gp: dict[Any, tuple[Any, str, dt.date]] = {}
    for pk, child_id, concern, gp, on in HealthRecord.objects.filter(child_ids).filter(
            ~Q(concern="") | ~Q(gp="")).order_by("recorded_on", "created_at").values_list(
                "pk", "child_id", "concern", "gp", "recorded_on"):
        if concern:
            rows.append((child_id, pk, "health_concern", on))
        if gp:
            latest_gp[child_id] = (pk, gp, on)
    rows += [(child_id, pk, "not_registered_with_gp", on)
             for child_id, (pk, gp, on) in latest_gp.items() if gp == HealthRecord.Gp.NO]
    return rows
