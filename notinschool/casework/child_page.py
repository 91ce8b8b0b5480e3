"""casework's sections of the child's page (people.child_page): the contacts with the family
(with the actions to record one and to plan a visit), consent to withdraw from school and the
alerts to children's social care, below the record, each for the roles that may see them
(`casework.selectors`, `casework.contact_selectors`); consent and alerts only when there is
something to show. And casework's entries on the child's timeline (people.timeline): every
contact, consent decision and alert, with who did it."""

from collections.abc import Iterator

from django.utils import timezone

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.casework.contact_selectors import child_contacts
from notinschool.casework.models import Alert, Contact
from notinschool.casework.selectors import child_alerts, child_consent
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _contacts(actor: Actor, child: Child) -> SectionContext | None:
    contacts = child_contacts(actor=actor, child=child)
    return None if contacts is None else {"contacts": contacts}


def _consent(actor: Actor, child: Child) -> SectionContext | None:
    consent = child_consent(actor=actor, child=child)
    if consent is None or not (consent.waiting or consent.decisions or consent.barred):
        return None
    return {"child": child, "consent": consent}


def _alerts(actor: Actor, child: Child) -> SectionContext | None:
    alerts = child_alerts(actor=actor, child=child)
    return {"alerts": alerts} if alerts else None


child_page_section_register(ChildPageSection("contacts", BELOW + 10, "casework/child/contacts.html",
                                             _contacts))
child_page_section_register(ChildPageSection("consent", BELOW + 20, "casework/child/consent.html", _consent))
child_page_section_register(ChildPageSection("alerts", BELOW + 30, "casework/child/alerts.html", _alerts))


# -- the child's timeline -------------------------------------------------------------------
def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _contact_title(c: Contact) -> str:
    method = c.get_method_display()
    if c.state == Contact.State.PLANNED:
        return f"{method} planned"
    if c.state == Contact.State.MISSED:
        return f"{method} missed" + (f": {c.get_outcome_display().lower()}" if c.outcome else "")
    if not c.outcome:
        return f"{method} sent, awaiting a reply"
    seen = ("child seen alone" if c.seen_alone else "child seen") if c.child_seen else "child not seen"
    return f"{method}: {c.get_outcome_display().lower()}, {seen}"


def _contact_detail(c: Contact) -> str:
    if c.state == Contact.State.PLANNED:
        officer = _name(c.officer)
        return f"At {c.place}" + (f", by {officer}" if officer else "") + "."
    parts = [c.notes] if c.notes and not c.next_steps else []
    if c.child_views:  # the child's own words, apart from the adults' account
        parts.insert(0, f"In the child's own words: \u201c{c.child_views}\u201d")
    if c.next_steps:
        parts.append(f"Next steps: {c.next_steps}")
    if c.next_contact_date:
        parts.append(f"Next contact by {c.next_contact_date:%-d %B %Y}.")
    return "\n".join(parts)


def contact_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    """Every contact, planned, done or missed, recorded or imported, with who recorded it."""
    for c in child_contacts(actor=actor, child=child) or ():
        yield TimelineEntry(day=c.contact_date, kind="contact", title=_contact_title(c),
                            detail=_contact_detail(c), who=c.who, at=c.recorded_at or c.created_at,
                            link="#contacts", link_text="Contacts")
        if c.planned_for is not None and c.state != Contact.State.PLANNED:  # the plan, before
            officer = _name(c.officer)
            yield TimelineEntry(
                day=timezone.localdate(c.created_at), kind="contact", at=c.created_at,
                title=f"{c.get_method_display()} planned for {c.planned_for.day} {c.planned_for:%B %Y}",
                detail=f"At {c.place}" + (f", by {officer}" if officer else "") + ".",
                who=_name(c.created_by))


def consent_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    """Each decision on consent to withdraw from school, with its reasons and who decided."""
    consent = child_consent(actor=actor, child=child)
    for d in consent.decisions if consent is not None else ():
        yield TimelineEntry(day=d.decided_on, kind="consent", title=d.get_decision_display(),
                            detail=d.reasons, who=_name(d.decided_by), at=d.decided_at)


def _alert_to(alert: Alert) -> str:
    if alert.recipient is not None:
        return _name(alert.recipient)
    return f"{alert.recipient_agency.name} (front door)" if alert.recipient_agency else "nobody yet"


def alert_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    """Each alert to children's social care: raised, emailed, acknowledged."""
    for alert in child_alerts(actor=actor, child=child) or ():
        yield TimelineEntry(day=alert.raised_on, kind="alert", at=alert.created_at,
                            title="Alert to children's social care raised",
                            detail=f"For {_alert_to(alert)}.")
        if alert.emailed_at is not None:
            yield TimelineEntry(day=timezone.localdate(alert.emailed_at), kind="alert",
                                at=alert.emailed_at, title="Alert to children's social care emailed",
                                detail=f"To {_alert_to(alert)}.")
        if alert.acknowledged_at is not None:
            yield TimelineEntry(day=timezone.localdate(alert.acknowledged_at), kind="alert",
                                at=alert.acknowledged_at, who=_name(alert.acknowledged_by),
                                title="Alert to children's social care acknowledged")


timeline_source_register("casework.contacts", contact_entries)
timeline_source_register("casework.consent", consent_entries)
timeline_source_register("casework.alerts", alert_entries)
