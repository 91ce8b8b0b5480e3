"""Casework reads, scoped to the person asking: work queues, consent requests waiting for a
decision, alerts. Lists that name children write an audit event with the children shown.

Work queue (docs/product.md, "Work queues and alerts"): an officer's queue is the children allocated
to them (`Child.officer`); a manager's team queue is every child. An item is *overdue* when its
date has passed and *due* when it falls in the next 5 working days: the next contact date of
the latest assessment, and the deadline of each open required action (consent requests and
alerts to social care have their own lists). Social workers see the alerts sent to them.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.services import audit_record
from notinschool.casework.consent import CONSENT_REQUIRED, ConsentState, consent_states
from notinschool.casework.models import Alert, ConsentDecision
from notinschool.core import clock
from notinschool.core.workdays import add_working_days
from notinschool.linkage.models import AgencyFact
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import child_queryset_for
from notinschool.risk.engine import DEFAULT
from notinschool.risk.models import Assessment, RequiredAction

DUE_WITHIN_WORKING_DAYS = 5
ROWS_SHOWN = 100
OWN_LISTS = (CONSENT_REQUIRED, "alert_social_care")
ACTION_LABELS = {a.code: a.description for a in DEFAULT.actions}


@dataclass(frozen=True)
class QueueItem:
    child: Child
    what: str
    due: dt.date | None
    overdue: bool


@dataclass
class WorkQueue:
    team: bool
    education: bool  # the actor does education casework (due, overdue, decisions)
    counts: dict[str, int]
    overdue: list[QueueItem] = field(default_factory=list)
    due: list[QueueItem] = field(default_factory=list)
    decisions: list[QueueItem] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    visible_children: set[Any] = field(default_factory=set)


def _children(actor: Actor, team: bool) -> QuerySet[Child]:
    children = child_queryset_for(actor).filter(status__in=OPEN_STATUSES)
    if team and actor.can(Cap.VIEW_TEAM_WORK):
        return children
    return children.filter(officer=actor) if isinstance(actor, User) else children.none()


def _querysets(actor: Actor, team: bool) -> dict[str, QuerySet[Any]]:
    today = clock.today()
    horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
    children = _children(actor, team)
    contacts = Assessment.objects.filter(is_latest=True, child__in=children,
                                         next_contact_due__isnull=False)
    actions = RequiredAction.objects.filter(state=RequiredAction.State.OPEN, child__in=children,
                                            due_date__isnull=False).exclude(code__in=OWN_LISTS)
    return {
        "overdue_contacts": contacts.filter(next_contact_due__lt=today),
        "overdue_actions": actions.filter(due_date__lt=today),
        "due_contacts": contacts.filter(next_contact_due__gte=today, next_contact_due__lte=horizon),
        "due_actions": actions.filter(due_date__gte=today, due_date__lte=horizon),
        "decisions": RequiredAction.objects.filter(code=CONSENT_REQUIRED, child__in=children,
                                                   state=RequiredAction.State.OPEN),
    }


def alerts_for(actor: Actor, team: bool) -> QuerySet[Alert]:
    """Alerts not yet acknowledged that the actor should see: a social worker's own (and their
    front door team's); a manager's team view, every one; an officer, those about their
    children."""
    waiting = Alert.objects.filter(acknowledged_at__isnull=True)
    if actor.role == Role.SOCIAL_WORKER:
        mine = Q(recipient=actor)
        if actor.agency_id:
            mine |= Q(recipient__isnull=True, recipient_agency_id=actor.agency_id)
        return waiting.filter(mine)
    if not actor.can(Cap.VIEW_CASEWORK):
        return waiting.none()
    return waiting.filter(child__in=_children(actor, team))


def alert_may_acknowledge(actor: Actor, alert: Alert) -> bool:
    if actor.role != Role.SOCIAL_WORKER or not actor.is_active:
        return False
    if alert.recipient_id is not None:
        return bool(alert.recipient_id == actor.pk)
    return alert.recipient_agency_id is not None and alert.recipient_agency_id == actor.agency_id


def work_counts(*, actor: Actor, team: bool) -> dict[str, int]:
    """How many items of each kind, naming no child (for the daily summary)."""
    counts = {"alerts": alerts_for(actor, team).count()}
    if actor.can(Cap.VIEW_CASEWORK):
        sets = _querysets(actor, team)
        counts["overdue"] = sets["overdue_contacts"].count() + sets["overdue_actions"].count()
        counts["due"] = sets["due_contacts"].count() + sets["due_actions"].count()
        counts["decisions"] = sets["decisions"].count()
    return counts


def work_queue(*, actor: Actor, team: bool) -> WorkQueue:
    """The actor's work queue: counts, and the first rows of each list, soonest first."""
    team = team and actor.can(Cap.VIEW_TEAM_WORK)
    education = actor.can(Cap.VIEW_CASEWORK)
    queue = WorkQueue(team=team, education=education, counts=work_counts(actor=actor, team=team))
    today = clock.today()
    if education:
        sets = _querysets(actor, team)
        queue.overdue = _items(sets["overdue_contacts"], sets["overdue_actions"], today)
        queue.due = _items(sets["due_contacts"], sets["due_actions"], today)
        queue.decisions = [_action_item(a, today) for a in sets["decisions"]
                           .select_related("child").order_by("due_date", "raised_on")[:ROWS_SHOWN]]
    queue.alerts = list(alerts_for(actor, team).select_related("child", "recipient", "recipient_agency")
                        .order_by("due_date", "raised_on")[:ROWS_SHOWN])
    shown = {i.child.pk for i in queue.overdue + queue.due + queue.decisions}
    alert_children = {a.child_id for a in queue.alerts}
    queue.visible_children = shown | set(
        child_queryset_for(actor).filter(pk__in=alert_children).values_list("pk", flat=True))
    if queue.visible_children:
        audit_record(actor=actor, action="list", object_type="work_queue",
                     child_ids=sorted(queue.visible_children, key=str), detail={"team": team})
    return queue


def _items(contacts: QuerySet[Assessment], actions: QuerySet[RequiredAction],
           today: dt.date) -> list[QueueItem]:
    rows = [QueueItem(a.child, "Contact the family", a.next_contact_due,
                      bool(a.next_contact_due and a.next_contact_due < today))
            for a in contacts.select_related("child").order_by("next_contact_due")[:ROWS_SHOWN]]
    rows += [_action_item(a, today)
             for a in actions.select_related("child").order_by("due_date")[:ROWS_SHOWN]]
    rows.sort(key=lambda i: (i.due or dt.date.max, i.child.child_ref))
    return rows[:ROWS_SHOWN]


def _action_item(action: RequiredAction, today: dt.date) -> QueueItem:
    return QueueItem(action.child, ACTION_LABELS.get(action.code, action.code.replace("_", " ")),
                     action.due_date, bool(action.due_date and action.due_date < today))


def alert_get(*, actor: Actor, alert_id: Any) -> Alert | None:
    """An alert the actor may acknowledge, or None."""
    alert = Alert.objects.select_related("child").filter(pk=alert_id).first()
    return alert if alert is not None and alert_may_acknowledge(actor, alert) else None


# --- consent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRequest:
    """A child's consent request as the decision page shows it."""

    child: Child
    action: RequiredAction | None
    state: ConsentState | None
    grounds: list[str]
    reason: str
    decisions: list[ConsentDecision]


def consent_requests_waiting(*, actor: Actor) -> list[RequiredAction]:
    """Open consent requests, the oldest deadline first."""
    if not actor.can(Cap.DECIDE_CONSENT):
        return []
    rows = list(RequiredAction.objects.filter(
        code=CONSENT_REQUIRED, state=RequiredAction.State.OPEN,
        child__in=child_queryset_for(actor)).select_related("child").order_by("due_date", "raised_on"))
    if rows:
        audit_record(actor=actor, action="list", object_type="consent_request",
                     child_ids=[r.child_id for r in rows])
    return rows


def consent_bars_current(*, actor: Actor) -> list[tuple[Child, ConsentState]]:
    """Children withdrawn again for home education while a refusal's bar runs: no new request
    was opened, and the manager sees the refusal and the bar instead."""
    if not actor.can(Cap.DECIDE_CONSENT):
        return []
    today = clock.today()
    refused = ConsentDecision.objects.filter(
        decision=ConsentDecision.Decision.REFUSED, re_request_from__gt=clock.add_months(today, -12),
        child__in=child_queryset_for(actor)).values_list("child_id", flat=True)
    states = consent_states(set(refused), today)
    barred = {c: s for c, s in states.items() if s.state == "barred"}
    children = Child.objects.in_bulk(list(barred))
    rows = sorted(((children[c], s) for c, s in barred.items()), key=lambda r: r[0].child_ref)
    if rows:
        audit_record(actor=actor, action="list", object_type="consent_bar",
                     child_ids=[c.pk for c, _ in rows])
    return rows


def consent_request_get(*, actor: Actor, child: Child) -> ConsentRequest:
    """Why consent is needed for this child, from the latest assessment's `consent_required`
    firing and the facts it names (plan, enquiry, plan ended within the look-back, special
    school place arranged by the authority), with the decisions already made."""
    action = RequiredAction.objects.filter(child=child, code=CONSENT_REQUIRED,
                                           state=RequiredAction.State.OPEN).first()
    state = consent_states([child.pk], clock.today()).get(child.pk)
    firing = _consent_firing(child)
    return ConsentRequest(child=child, action=action, state=state,
                          grounds=_grounds(firing, state), reason=firing.get("reason", ""),
                          decisions=list(child.consent_decisions.select_related("decided_by")))


def _consent_firing(child: Child) -> dict[str, Any]:
    assessment = child.assessments.filter(is_latest=True).first()
    for fired in (assessment.fired_rules if assessment else []):
        if fired.get("rule") == CONSENT_REQUIRED:
            return dict(fired)
    return {}


def _grounds(firing: dict[str, Any], state: ConsentState | None) -> list[str]:
    refs = [r for r in firing.get("evidence", []) if _is_uuid(r)]
    deletion = state.deletion if state else None
    on = deletion.event_date if deletion else None
    grounds = []
    for fact in AgencyFact.objects.filter(pk__in=refs).order_by("start_date"):
        grounds.append(_ground(fact.indicator, fact.start_date, fact.end_date, on))
    if deletion is not None and deletion.data.get("la_arranged_special_placement"):
        grounds.append("Condition A: the authority arranged the child's special school place")
    return grounds


def _ground(indicator: str, start: dt.date, end: dt.date | None, on: dt.date | None) -> str:
    label = {"child_protection_plan": "child protection plan",
             "section_47_enquiry": "section 47 enquiry"}.get(indicator, indicator.replace("_", " "))
    since = f"from {start.day} {start:%B %Y}"
    if end is not None and on is not None and end < on:
        return (f"Condition B: a {label} ({since}) ended on {end.day} {end:%B %Y}, within the "
                "look-back before the deletion")
    return f"Condition B: under a {label} on the deletion date ({since})"


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- a child's page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChildConsent:
    """A child's consent to withdraw from school, as the child's page shows it: the request
    waiting (if any), the state of the latest home-education deletion, and every decision."""

    waiting: RequiredAction | None
    state: ConsentState | None
    decisions: list[ConsentDecision]

    @property
    def barred(self) -> ConsentDecision | None:
        return self.state.bar if self.state is not None and self.state.state == "barred" else None


def _sees_child_casework(actor: Actor, child: Child) -> bool:
    """Consent decisions and alerts to social care: the education team (officers and managers)
    and social workers, for children they may open (a social worker's children are those known
    to social care, which these decisions and alerts are about). Not health practitioners:
    education casework (docs/product.md, 'Who uses it')."""
    allowed = actor.can(Cap.VIEW_CASEWORK) or actor.role == Role.SOCIAL_WORKER
    return allowed and child_queryset_for(actor).filter(pk=child.pk).exists()


def child_consent(*, actor: Actor, child: Child) -> ChildConsent | None:
    """The child's consent request and decisions (Education Act 1996 s.434A; the six-month bar
    after a refusal, docs/legal-basis.md), or None when the actor may not see them. Read
    after the actor opened the child (`people.selectors.child_get`, which audits the view)."""
    if not _sees_child_casework(actor, child):
        return None
    return ChildConsent(
        waiting=RequiredAction.objects.filter(child=child, code=CONSENT_REQUIRED,
                                              state=RequiredAction.State.OPEN).first(),
        state=consent_states([child.pk], clock.today()).get(child.pk),
        decisions=list(child.consent_decisions.select_related("decided_by")),
    )


def child_alerts(*, actor: Actor, child: Child) -> list[Alert] | None:
    """Every alert to children's social care about the child, latest first: to whom, when it
    was emailed and whether it was acknowledged; None when the actor may not see them."""
    if not _sees_child_casework(actor, child):
        return None
    return list(Alert.objects.filter(child=child)
                .select_related("recipient", "recipient_agency", "acknowledged_by")
                .order_by("-raised_on", "-created_at"))
