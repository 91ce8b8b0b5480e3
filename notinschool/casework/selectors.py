"""Casework reads, scoped to the person asking: work queues (casework.queue), consent requests
waiting for a decision, alerts. Lists that name children write an audit event with the
children shown. Social workers see the alerts sent to them.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.services import audit_record
from notinschool.casework.consent import CONSENT_REQUIRED, ConsentState, consent_states
from notinschool.casework.models import Alert, ConsentDecision, Contact

# the work queue's reads live in casework.queue; these names are kept here for their callers
from notinschool.casework.queue import ACTION_LABELS
from notinschool.casework.queue import work_counts as work_counts
from notinschool.casework.queue import work_queue as work_queue
from notinschool.core import clock
from notinschool.core.memo import page_memo
from notinschool.linkage.models import AgencyFact
from notinschool.people.models import Child
from notinschool.people.selectors import child_in_scope, child_queryset_for
from notinschool.risk.models import RequiredAction


def alert_may_acknowledge(actor: Actor, alert: Alert) -> bool:
    if actor.role != Role.SOCIAL_WORKER or not actor.is_active:
        return False
    if alert.recipient_id is not None:
        return bool(alert.recipient_id == actor.pk)
    return alert.recipient_agency_id is not None and alert.recipient_agency_id == actor.agency_id


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
    return allowed and child_in_scope(actor, child.pk)


@page_memo
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


@page_memo
def child_alerts(*, actor: Actor, child: Child) -> list[Alert] | None:
    """Every alert to children's social care about the child, latest first: to whom, when it
    was emailed and whether it was acknowledged; None when the actor may not see them."""
    if not _sees_child_casework(actor, child):
        return None
    return list(Alert.objects.filter(child=child)
                .select_related("recipient", "recipient_agency", "acknowledged_by")
                .order_by("-raised_on", "-created_at"))


# --- marking a required action done ------------------------------------------------------


@dataclass(frozen=True)
class EvidenceChoice:
    """A record of the child that may show an action was done: a contact or a decision."""

    kind: str  # "contact" or "consent_decision"
    id: uuid.UUID
    label: str


EVIDENCE_SHOWN = 20


def action_label(code: str) -> str:
    """A required action in words (the rule table's), e.g. "See the child"."""
    return ACTION_LABELS.get(code, code.replace("_", " ").capitalize())


def required_action_get(*, actor: Actor, action_id: Any) -> RequiredAction | None:
    """A required action of a child the actor may open, for marking it done; None otherwise."""
    if not actor.can(Cap.RECORD_CASEWORK):
        return None
    return (RequiredAction.objects.select_related("child", "done_by")
            .filter(pk=action_id, child__in=child_queryset_for(actor)).first())


def evidence_choices(*, action: RequiredAction) -> list[EvidenceChoice]:
    """The child's contacts and consent decisions recorded on or after the action was raised,
    newest first: what may show it was done. Read after the child was opened (audited)."""
    contacts = (Contact.objects.filter(child_id=action.child_id, contact_date__gte=action.raised_on)
                .exclude(state=Contact.State.PLANNED)
                .order_by("-contact_date", "-created_at")[:EVIDENCE_SHOWN])
    decisions = (ConsentDecision.objects.filter(child_id=action.child_id,
                                                decided_on__gte=action.raised_on)
                 .order_by("-decided_at")[:EVIDENCE_SHOWN])
    return ([EvidenceChoice("contact", c.pk, evidence_label(c)) for c in contacts]
            + [EvidenceChoice("consent_decision", d.pk, evidence_label(d)) for d in decisions])


def evidence_label(record: Contact | ConsentDecision) -> str:
    """A contact or decision in a few words, as the choices and the timeline show it."""
    if isinstance(record, Contact):
        outcome = ("missed" if record.state == Contact.State.MISSED and not record.outcome
                   else record.get_outcome_display().lower() or "sent, awaiting a reply")
        return f"{record.get_method_display()} on {_day(record.contact_date)}: {outcome}"
    return f"{record.get_decision_display()} on {_day(record.decided_on)}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
