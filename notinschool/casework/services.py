"""Casework writes: consent decisions, alerts to children's social care, allocations and the
daily summaries. Each takes the actor, checks the rule it carries and writes its audit event in
the same transaction."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.services import audit_record
from notinschool.casework import emails
from notinschool.casework.consent import CONSENT_REQUIRED, consent_states
from notinschool.casework.models import (
    Alert,
    ConsentDecision,
    Contact,
    DailySummary,
    SocialWorkerAllocation,
)
from notinschool.casework.selectors import alert_may_acknowledge, work_counts
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.appliers import seen
from notinschool.mail.models import SentEmail
from notinschool.mail.services import email_send
from notinschool.people.models import Child
from notinschool.risk.models import RequiredAction

ALERT_SOCIAL_CARE = "alert_social_care"
log = logging.getLogger(__name__)


def consent_request_decide(
    *, actor: User, child: Child, decision: str, reasons: str, parent_notified_on: dt.date,
    parent_notice_method: str, school_notified_on: dt.date,
) -> ConsentDecision:
    """Decide the open consent request for a child (EA 1996 s.434A): grant or refuse, with
    reasons, and record that the parent and the school were told. Closes the required action;
    a refusal bars a new request for `NOTINSCHOOL_CONSENT_BAR_MONTHS` months."""
    if not actor.can(Cap.DECIDE_CONSENT):
        raise NotPermitted("only a team manager can decide consent")
    if decision not in ConsentDecision.Decision.values:
        raise DomainError("Select whether consent is given or refused")
    if not reasons.strip():
        raise DomainError("Enter the reasons for the decision")
    today = clock.today()
    if parent_notified_on > today or school_notified_on > today:
        raise DomainError("A notice can only be recorded once it has been sent")
    with transaction.atomic():
        action = (RequiredAction.objects.select_for_update()
                  .filter(child=child, code=CONSENT_REQUIRED, state=RequiredAction.State.OPEN).first())
        if action is None:
            raise DomainError("There is no consent request waiting for this child")
        state = consent_states([child.pk], today).get(child.pk)
        refused = decision == ConsentDecision.Decision.REFUSED
        made = ConsentDecision.objects.create(
            child=child, required_action=action, deletion=state.deletion if state else None,
            decision=decision, reasons=reasons.strip(), decided_by=actor, decided_at=clock.now(),
            decided_on=today, parent_notified_on=parent_notified_on,
            parent_notice_method=parent_notice_method, school_notified_on=school_notified_on,
            re_request_from=clock.add_months(today, settings.NOTINSCHOOL_CONSENT_BAR_MONTHS)
            if refused else None, created_by=actor, modified_by=actor)
        action.state = RequiredAction.State.DONE
        action.save(update_fields=["state", "modified_at"])
        audit_record(actor=actor, action="decide", object_type="consent_decision",
                     object_ids=[made.pk], child_ids=[child.pk],
                     detail={"decision": decision, "required_action": str(action.pk),
                             "fields": ["reasons", "parent_notified_on", "parent_notice_method",
                                        "school_notified_on"]})
    return made


def social_worker_allocate(*, actor: Actor, child: Child, worker: User) -> SocialWorkerAllocation:
    """Record the social worker allocated to a child, to whom alerts about the child go."""
    if not actor.can(Cap.ALLOCATE_SOCIAL_WORKER):
        raise NotPermitted("only a team manager or a social worker can allocate a social worker")
    if worker.role != Role.SOCIAL_WORKER or not worker.is_active:
        raise DomainError("Choose an active social worker")
    with transaction.atomic():
        allocation, _ = SocialWorkerAllocation.objects.update_or_create(
            child=child, defaults={"worker": worker, "modified_by": actor_user(actor)})
        audit_record(actor=actor, action="update", object_type="social_worker_allocation",
                     object_ids=[allocation.pk], child_ids=[child.pk], detail={"worker": worker.pk})
    return allocation


def front_door_agency() -> Agency | None:
    """The social care team that takes alerts for children with no allocated social worker:
    the agency the setting names, else the first social care agency by name."""
    agencies = Agency.objects.filter(kind=Agency.Kind.SOCIAL_CARE).order_by("name")
    if settings.NOTINSCHOOL_FRONT_DOOR_AGENCY:
        agencies = agencies.filter(name=settings.NOTINSCHOOL_FRONT_DOOR_AGENCY)
    return agencies.first()


def alerts_raise(*, actor: Actor) -> list[Alert]:
    """Alert children's social care for each open `alert_social_care` action that has none yet:
    to the allocated social worker, else to the front door team; then email every alert not yet
    emailed. Idempotent: one alert per action, one email per alert. Called after each risk run."""
    pending = list(RequiredAction.objects.filter(
        code=ALERT_SOCIAL_CARE, state=RequiredAction.State.OPEN, alert__isnull=True)
        .select_related("child"))
    created = []
    if pending:
        workers = dict(SocialWorkerAllocation.objects.filter(
            child_id__in=[a.child_id for a in pending], worker__is_active=True)
            .values_list("child_id", "worker"))
        door = front_door_agency()
        for action in pending:
            worker = workers.get(action.child_id)
            alert = Alert(child=action.child, required_action=action, raised_on=clock.today(),
                          due_date=action.due_date, recipient_id=worker,
                          recipient_agency=None if worker else door)
            created.append(alert)
        try:
            with transaction.atomic():
                Alert.objects.bulk_create(created)
                audit_record(actor=actor, action="create", object_type="alert",
                             object_ids=[a.pk for a in created],
                             child_ids=[a.child_id for a in created])
        except IntegrityError:  # another run raised them first
            created = []
    alerts_email_pending(actor=actor)
    return created


def alerts_email_pending(*, actor: Actor) -> int:
    """Email each alert not emailed yet; an alert with nobody to email waits for the next run,
    as does one the email backend refused (kept on the child as not sent). Each email is about
    a child, so it is kept on the child and audited (with the child, how many it went to, not
    the addresses) by mail.services.email_send."""
    sent = 0
    for alert in Alert.objects.filter(emailed_at__isnull=True, acknowledged_at__isnull=True) \
            .select_related("child", "recipient", "recipient_agency"):
        to = _alert_addresses(alert)
        if not to:
            continue
        subject, body = emails.alert_email(alert)
        try:
            email_send(actor=actor, to=to, subject=subject, body=body, kind=SentEmail.Kind.ALERT,
                       child=alert.child, audit_object_ids=[alert.pk])
        except DomainError as error:  # not sent (EmailNotSent) or a bad address: the next run
            log.warning("alert %s not emailed: %s", alert.pk, error)
            continue
        Alert.objects.filter(pk=alert.pk).update(emailed_at=clock.now(), emailed_to=to)
        sent += 1
    return sent


def _alert_addresses(alert: Alert) -> list[str]:
    if alert.recipient_id:
        assert alert.recipient is not None
        return [alert.recipient.email] if alert.recipient.email else []
    if settings.NOTINSCHOOL_FRONT_DOOR_EMAIL:
        return [settings.NOTINSCHOOL_FRONT_DOOR_EMAIL]
    if alert.recipient_agency_id is None:
        return []
    return sorted(User.objects.filter(agency_id=alert.recipient_agency_id, is_active=True,
                                      role=Role.SOCIAL_WORKER).exclude(email="")
                  .values_list("email", flat=True))


def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """A social worker confirms they have the alert: the allocated worker, or any social worker
    of the front door team it went to. Acknowledging twice changes nothing."""
    if not alert_may_acknowledge(actor, alert):
        raise NotPermitted("this alert was sent to someone else")
    if alert.acknowledged_at is not None:
        return alert
    with transaction.atomic():
        alert.acknowledged_at, alert.acknowledged_by = clock.now(), actor
        alert.modified_by = actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "modified_by", "modified_at"])
        if alert.required_action_id is not None:
            RequiredAction.objects.filter(pk=alert.required_action_id, state=RequiredAction.State.OPEN) \
                .update(state=RequiredAction.State.ACKNOWLEDGED)
        audit_record(actor=actor, action="update", object_type="alert", object_ids=[alert.pk],
                     child_ids=[alert.child_id], detail={"fields": ["acknowledged_at"]})
    return alert


def daily_summaries_send(*, actor: Actor) -> int:
    """Email each officer, manager and social worker their counts for today (no children's
    names) with a link to their work queue; at most once a person a day, and not at all when
    there is nothing to do. Returns how many were sent."""
    today = clock.today()
    done = set(DailySummary.objects.filter(day=today).values_list("user_id", flat=True))
    people = User.objects.filter(is_active=True, role__in=(
        Role.EHE_OFFICER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER)).exclude(email="").order_by("pk")
    sent = 0
    for person in people:
        if person.pk in done:
            continue
        counts = work_counts(actor=person, team=person.can(Cap.VIEW_TEAM_WORK))
        if not any(counts.values()):
            continue
        try:
            with transaction.atomic():
                DailySummary.objects.create(user=person, day=today, counts=counts)
        except IntegrityError:  # sent by another run meanwhile
            continue
        subject, body = emails.summary_email(counts)
        try:
            email_send(actor=actor, to=[person.email], subject=subject, body=body,
                       kind=SentEmail.Kind.DAILY_SUMMARY)
        except DomainError as error:  # not sent (EmailNotSent) or a bad address: the next run
            log.warning("daily summary for user %s not sent: %s", person.pk, error)
            DailySummary.objects.filter(user=person, day=today).delete()
            continue
        sent += 1
    audit_record(actor=actor, action="create", object_type="daily_summary",
                 detail={"sent": sent, "day": today.isoformat()})
    return sent


def child_contacts_reapply(*, child: Child) -> None:
    """After a record is rebuilt from its notifications (a split or a merge): the last
    contact, and the last time the child was seen (and whether alone), taking in the contacts
    recorded against the record now, the way importing them does. Part of the rebuild the
    caller audits; writes no event of its own."""
    held = Contact.objects.filter(child=child).exclude(state=Contact.State.PLANNED)
    for on, was_seen, alone in (held.order_by("contact_date")
                                .values_list("contact_date", "child_seen", "seen_alone")):
        if child.last_contact_date is None or on > child.last_contact_date:
            child.last_contact_date = on
        if was_seen:
            seen(child, on, alone)
    child.save(update_fields=["last_contact_date", "last_seen_date", "last_seen_alone",
                              "modified_at"])


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """A merge of ``other`` into ``keep`` (workflow.merge, which audits it): casework's
    records about ``other`` move to ``keep`` (contacts, consent decisions, alerts, and the
    social worker's allocation where ``keep`` has none). How many of each moved."""
    moved = {name: model.objects.filter(child=other).update(child=keep)  # type: ignore[attr-defined]
             for name, model in (("contacts", Contact), ("consent_decisions", ConsentDecision),
                                 ("alerts", Alert))}
    if not SocialWorkerAllocation.objects.filter(child=keep).exists():
        moved["social_worker_allocation"] = SocialWorkerAllocation.objects.filter(
            child=other).update(child=keep)
    return moved
