"""plans' sections of the child's page (people.child_page): the plans the child is under (with
social care's current plans from its file, read-only) and the professionals-only meetings
whose minutes the person may read; what health was told and did; and, for a social worker,
the education side that matters to them (status, tier and reasons, last seen, open actions,
the alerts and what was done about them). And plans' entries on the child's timeline."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap, Role
from notinschool.casework.models import Alert
from notinschool.casework.selectors import alert_may_acknowledge
from notinschool.casework.work_items import open_work_items
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register
from notinschool.plans.models import AlertOutcome, HealthRecord
from notinschool.plans.selectors import (
    agency_plans,
    child_health,
    child_meetings,
    child_plans,
    health_team,
    works_together,
)
from notinschool.risk.models import RequiredAction
from notinschool.risk.selectors import assessment_latest


def _plans(actor: Actor, child: Child) -> SectionContext | None:
    plans = child_plans(actor=actor, child=child)
    from_agency = agency_plans(actor=actor, child=child)
    meetings = child_meetings(actor=actor, child=child)
    may_record = works_together(actor)
    if not (plans or from_agency or meetings or may_record):
        return None
    meeting_asked = may_record and RequiredAction.objects.filter(
        child=child, code="professionals_meeting",
        state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)).first()
    return {"plans": plans, "agency_plans": from_agency, "meetings": meetings,
            "may_record": may_record, "child": child, "meeting_asked": meeting_asked}


def _health(actor: Actor, child: Child) -> SectionContext | None:
    summary = child_health(actor=actor, child=child)
    if summary is None or not (summary.shares or summary.records or health_team(actor)):
        return None
    return {"summary": summary, "may_record": health_team(actor) is not None, "child": child,
            "records": [(r, health_words(r, summary.detail)) for r in summary.records]}


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    outcome: str
    may_record: bool


def _social_care_view(actor: Actor, child: Child) -> SectionContext | None:
    """The education side for a social worker: what they need, not the education casework."""
    if actor.role != Role.SOCIAL_WORKER:
        return None
    alerts = []
    for alert in Alert.objects.filter(child=child).select_related("acknowledged_by").order_by("-raised_on"):
        outcome = getattr(getattr(alert, "outcome", None), "outcome", "")
        alerts.append(AlertRow(alert, outcome, alert_may_acknowledge(actor, alert)))
    latest = assessment_latest(child=child)
    actions = list(RequiredAction.objects.filter(
        child=child, state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED))
        .order_by("due_date"))
    return {"child": child, "assessment": latest, "reasons": _reasons(latest),
            "actions": actions, "work_items": list(open_work_items(child=child)), "alerts": alerts}


def _reasons(assessment: Any) -> list[str]:
    if assessment is None:
        return []
    return [str(reason) for reason in assessment.reasons or []]


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    entries = []
    for plan in child_plans(actor=actor, child=child):
        link = reverse("plan_detail", kwargs={"plan_id": plan.pk})
        entries.append(TimelineEntry(day=plan.start_date, at=plan.created_at, kind="plan",
                                     title=f"{plan.get_kind_display()} started",
                                     detail=f"Lead: {plan.lead_name}, {plan.lead_agency}.",
                                     link=link, link_text="The plan"))
        if plan.ended_on:
            entries.append(TimelineEntry(day=plan.ended_on, at=plan.modified_at, kind="plan",
                                         title=f"{plan.get_kind_display()} ended",
                                         detail=plan.end_reason, link=link, link_text="The plan"))
    for meeting in child_meetings(actor=actor, child=child):
        entries.append(TimelineEntry(
            day=meeting.held_on, at=meeting.created_at, kind="meeting",
            title="Professionals-only meeting", detail=f"{meeting.attendees.count()} attended.",
            link=reverse("meeting_detail", kwargs={"meeting_id": meeting.pk}), link_text="The minutes"))
    entries += _outcome_entries(actor, child)
    summary = child_health(actor=actor, child=child)
    if summary is not None:
        for share in summary.shares:
            entries.append(TimelineEntry(day=share.shared_on, at=share.created_at, kind="health",
                                         title=f"Shared with {share.agency.name} for the health offer",
                                         detail=share.get_how_display() + "."))
        for record in summary.records:
            entries.append(TimelineEntry(day=record.recorded_on, at=record.created_at, kind="health",
                                         title="Health contact recorded",
                                         detail=health_words(record, summary.detail)))
    return entries


def _outcome_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    """What social care did about each alert: its words for social care and managers (who see
    social care's detail), that it was recorded for the rest of the education team."""
    if not (actor.role == Role.SOCIAL_WORKER or actor.can(Cap.VIEW_CASEWORK)):
        return []
    words = actor.can(Cap.VIEW_AGENCY_DETAIL_SOCIAL_CARE)
    return [TimelineEntry(day=o.recorded_on, at=o.modified_at, kind="alert",
                          title="What social care did about the alert",
                          detail=o.outcome if words else "Recorded by social care (the detail is theirs).",
                          who=(o.modified_by.get_full_name() or o.modified_by.get_username())
                          if o.modified_by else "")
            for o in AlertOutcome.objects.filter(alert__child=child).select_related("modified_by")]


def health_words(record: HealthRecord, detail: bool) -> str:
    parts = []
    if record.service:
        parts.append(f"{record.get_service_display()}: {record.get_offer_display().lower()}")
    if record.gp:
        parts.append(record.get_gp_display())
    if record.concern:
        parts.append(f"Health concern: {record.concern}" if detail else "A health concern was recorded "
                     "(the detail is health's)")
    if record.request_to_ehe:
        parts.append(f"Request to the home education team: {record.request_to_ehe}")
    return ". ".join(parts) + "."


child_page_section_register(ChildPageSection("social_care_view", BELOW + 5,
                                             "plans/child/social_care_view.html", _social_care_view))
child_page_section_register(ChildPageSection("plans", BELOW + 40, "plans/child/plans.html", _plans))
child_page_section_register(ChildPageSection("health", BELOW + 45, "plans/child/health.html", _health))
timeline_source_register("plans.plans", _entries)
