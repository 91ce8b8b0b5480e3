"""mail's part of the child's page (people.child_page): beside the record, the way to email
the family (for those who record casework), and on the timeline every email about the child:
its subject, how many it went to, what kind, who sent it, and whether it went. What it said
is education casework: only roles that see casework read it there."""

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.mail.models import SentEmail
from notinschool.mail.selectors import child_emails
from notinschool.people.child_page import SIDE, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.disclosure import casework_visible
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _emails(actor: Actor, child: Child) -> SectionContext | None:
    if not actor.can(Cap.RECORD_CASEWORK):
        return None
    return {"count": len(child_emails(actor=actor, child=child))}  # the timeline lists them


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    show_body = casework_visible(actor)
    return [_entry(email, show_body) for email in child_emails(actor=actor, child=child)]


def _entry(email: SentEmail, show_body: bool) -> TimelineEntry:
    sent = email.status == SentEmail.Status.SENT
    count = len(email.to)
    to = f"{count} {'address' if count == 1 else 'addresses'}"
    if sent:
        said = f"Sent to {to}" + (f" at the {_nth(email.attempts)} try." if email.attempts > 1 else ".")
    else:
        tries = f", {email.attempts} {'try' if email.attempts == 1 else 'tries'} so far" \
            if email.status == SentEmail.Status.RETRYING else ""
        said = f"{email.get_status_display()} (to {to}{tries})."
    lines = [f"{email.get_kind_display()}. {said}"]
    if show_body:  # the reason may quote an address; the body is casework
        lines += [email.error, email.body] if not sent else [email.body]
    return TimelineEntry(
        day=email.sent_at.date(), at=email.sent_at, kind="email",
        title=f"{'Email' if sent else 'Email not sent'}: {email.subject}",
        detail="\n\n".join(lines), who=email.sent_by_label)


child_page_section_register(ChildPageSection("emails", SIDE + 30, "mail/child/emails.html", _emails))
timeline_source_register("mail.emails", _entries)


def _nth(n: int) -> str:
    return {2: "second", 3: "third"}.get(n, f"{n}th")
