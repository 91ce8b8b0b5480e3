"""Work items: deadlines and chasers that domains above casework raise for a child (see
`WorkItem`). Opening one is idempotent for its record and kind while it is open, so a job that
runs every day may open the same item again without doubling it; closing gives the reason in
words. The work queue (casework.queue) lists open items beside required actions and contacts
due."""

import datetime as dt
import uuid

from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.audit.services import audit_record
from notinschool.casework.models import WorkItem
from notinschool.core import clock
from notinschool.people.models import Child


def work_item_open(*, child: Child, kind: str, title: str, due_date: dt.date | None, source: str,
                   source_id: uuid.UUID | None, link: str = "", owner: User | None = None,
                   actor: Actor | None = None) -> WorkItem:
    """Opens the item, or brings the open one for the same record and kind up to date (title,
    date, owner and link) and returns it."""
    item = WorkItem.objects.filter(source=source, source_id=source_id, kind=kind, child=child,
                                   closed_at__isnull=True).first()
    by = actor if isinstance(actor, User) else None
    if item is None:
        item = WorkItem.objects.create(child=child, kind=kind, title=title, due_date=due_date,
                                       owner=owner, source=source, source_id=source_id, link=link,
                                       created_by=by)
        if actor is not None:
            audit_record(actor=actor, action="create", object_type="work_item",
                         object_ids=[item.pk], child_ids=[child.pk], detail={"kind": kind})
        return item
    changed = {"title": title, "due_date": due_date, "owner": owner, "link": link}
    if any(getattr(item, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(item, name, value)
        item.modified_by = by
        item.save(update_fields=[*changed, "modified_by", "modified_at"])
    return item


def work_items_close(*, source: str, source_id: uuid.UUID | None, kind: str | None = None,
                     actor: Actor | None = None, reason: str = "") -> int:
    """Closes the open items the record raised (of one kind, or every kind); returns how many."""
    items = WorkItem.objects.filter(source=source, source_id=source_id, closed_at__isnull=True)
    if kind is not None:
        items = items.filter(kind=kind)
    closed = list(items)
    by = actor if isinstance(actor, User) else None
    now = clock.now()
    for item in closed:
        item.closed_at, item.closed_by, item.closed_reason = now, by, reason[:200]
        item.save(update_fields=["closed_at", "closed_by", "closed_reason", "modified_at"])
    if closed and actor is not None:
        audit_record(actor=actor, action="update", object_type="work_item",
                     object_ids=[i.pk for i in closed],
                     child_ids=sorted({i.child_id for i in closed}, key=str),
                     detail={"closed": reason[:200]})
    return len(closed)


def open_work_items(*, child: Child) -> QuerySet[WorkItem]:
    """The child's open items, soonest first."""
    return WorkItem.objects.filter(child=child, closed_at__isnull=True).select_related("owner")
