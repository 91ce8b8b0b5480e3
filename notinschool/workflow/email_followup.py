"""Emails that did not go are never lost: every five minutes the worker tries again each email
to a family whose next try is due (mail.services.emails_retry_due), then keeps the work queue
in step with what is still not sent. An email about a child that has not gone (being tried
again, or given up on after its tries, or an alert waiting for casework's next run) is a work
item "Email not sent: <subject>" in the child's officer's queue, due the day it failed, linked
to the child's page where the email shows on the timeline with the reason; the item closes by
itself when the email goes, or when a later email of the same kind to the same people does."""

from django.db.models import QuerySet
from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.casework.models import WorkItem
from notinschool.casework.work_items import work_item_open, work_items_close
from notinschool.mail.models import SentEmail
from notinschool.mail.services import UNSENT, emails_retry_due
from notinschool.people.models import Child

SOURCE = "mail"
KIND = "email_not_sent"


def emails_follow_up(*, actor: Actor) -> dict[str, int]:
    """The five-minute run: retry what is due, then open and close the work items."""
    result = emails_retry_due(actor=actor)
    result.update(email_work_items_sync(actor=actor))
    return result


def email_work_items_sync(*, actor: Actor, child: Child | None = None) -> dict[str, int]:
    """One open work item for each email about a child not sent; none for one that went (or
    was replaced by a later one). `child`: only that child's (the page that just failed)."""
    unsent: QuerySet[SentEmail] = SentEmail.objects.filter(status__in=UNSENT, child__isnull=False)
    open_items = WorkItem.objects.filter(source=SOURCE, kind=KIND, closed_at__isnull=True)
    if child is not None:
        unsent, open_items = unsent.filter(child=child), open_items.filter(child=child)
    have = {pk for pk in open_items.values_list("source_id", flat=True) if pk is not None}
    opened = 0
    for email in unsent.select_related("child").exclude(pk__in=have):
        assert email.child is not None
        work_item_open(child=email.child, kind=KIND, title=f"Email not sent: {email.subject}"[:200],
                       due_date=email.sent_at.date(), source=SOURCE, source_id=email.pk,
                       link=reverse("child_detail", kwargs={"child_id": email.child_id}), actor=actor)
        opened += 1
    closed = 0
    done = SentEmail.objects.filter(pk__in=have).exclude(status__in=UNSENT)
    for email in done:
        reason = "sent" if email.status == SentEmail.Status.SENT else "a later email went instead"
        closed += work_items_close(source=SOURCE, source_id=email.pk, kind=KIND, actor=actor, reason=reason)
    return {"opened": opened, "closed": closed}
