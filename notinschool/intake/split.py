"""Splitting a wrong merge: some notifications on a child's record were about another child.

An officer picks the notifications that belong to someone else and gives a reason. The record
is then rebuilt from the notifications it keeps, and a new record is built from the ones that
move, by replaying them through the same appliers an import uses (so statuses, addresses,
parents and register content follow the same rules and the dates in the notifications). The
decision is kept (SplitDecision, audited) and the two records are never matched to each other
again by cross-referencing (PersonMatch pairs are per record, so nothing carries over).

Contacts stay with the original record: they are casework about the child the officer saw."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError
from notinschool.intake.appliers import APPLIERS
from notinschool.intake.columns import KINDS, CellError
from notinschool.intake.models import Notification, SplitDecision
from notinschool.intake.parsing import ParsedRow
from notinschool.intake.services import after_import
from notinschool.intake.workspace import Resolved, Workspace, _new_child, flush
from notinschool.people.matching import ChildIndex
from notinschool.people.models import Address, Child, ChildParent, Provider, StatusChange
from notinschool.people.services import child_refs_next

# what a rebuild keeps: who works with the child, and decisions people made about the record
_KEPT_FIELDS = {"household", "officer", "do_not_disclose_address", "created_by", "modified_by",
                "created_at", "modified_at"}


def child_split(*, actor: Any, child: Child, notification_ids: Iterable[UUID], reason: str) -> Child:
    """Move the chosen notifications to a new child record and rebuild both. Returns the new
    child. Raises DomainError when the choice leaves either record without a notification."""
    chosen = {UUID(str(pk)) for pk in notification_ids}
    if not reason.strip():
        raise DomainError("give a reason for the split")
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        notes = list(child.notifications.order_by("event_date", "created_at"))
        move = [n for n in notes if n.pk in chosen]
        keep = [n for n in notes if n.pk not in chosen]
        if not move or len(move) != len(chosen):
            raise DomainError("choose at least one of this record's notifications to move")
        if not keep:
            raise DomainError("leave at least one notification on this record")
        _reset(child, _values(keep[0]))
        _replay(actor, child, keep)
        new = _replay(actor, None, move)
        Notification.objects.filter(pk__in=[n.pk for n in move]).update(child=new)
        SplitDecision.objects.create(child=child, new_child=new, reason=reason.strip(),
                                     notification_ids=[str(n.pk) for n in move],
                                     created_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="decide", object_type="child_split",
                     object_ids=[child.pk, new.pk], child_ids=[child.pk, new.pk],
                     detail={"moved": len(move), "kept": len(keep)}, reason=reason.strip())
        after_import(actor=actor, children={child.pk, new.pk})
    return new


def _reset(child: Child, first: dict[str, Any]) -> None:
    """Forget what the notifications made of the record; its identity comes from the first
    notification it keeps, as if that had arrived first."""
    StatusChange.objects.filter(child=child).delete()
    Address.objects.filter(child=child).delete()
    ChildParent.objects.filter(child=child).delete()
    Provider.objects.filter(child=child).delete()
    blank = _new_child(first)
    for f in Child._meta.concrete_fields:
        if f.name not in _KEPT_FIELDS and not f.primary_key and f.name != "child_ref":
            setattr(child, f.attname, getattr(blank, f.attname))


@dataclass
class _ReplayWorkspace(Workspace):
    """A workspace whose rows all belong to one child: `target`, or one it makes."""

    target: Child | None = None
    made: list[Child] = field(default_factory=list)

    def resolve(self, rows: list[ParsedRow], *, create: bool = True) -> list[Resolved]:
        if self.target is None:
            self.target = _new_child(rows[0].values)
            self.target.child_ref = child_refs_next(1)[0]
            self.new_children.append(self.target)
            self.children[self.target.pk] = self.target
        elif self.target.pk not in self.children:
            self.children[self.target.pk] = self.target
        return [Resolved(row, self.target.pk, None) for row in rows]


def _replay(actor: Any, child: Child | None, notes: list[Notification]) -> Child:
    ws = _ReplayWorkspace(batch=notes[0].batch, actor=actor, index=ChildIndex(), target=child)
    for note in notes:
        ws.batch = note.batch
        APPLIERS[note.kind](ws, [ParsedRow(note.row_number or 0, _values(note), {})])
    ws.notifications.clear()  # the notifications exist already; they only change records
    assert ws.target is not None
    flush(ws)
    return ws.target


def _values(note: Notification) -> dict[str, Any]:
    """The row's parsed values again, from what the notification kept."""
    values: dict[str, Any] = {}
    for name, column in KINDS[note.kind].items():
        cell = _cell(note.data.get(name))
        try:
            values[name] = column.parse(cell) if cell else None
        except CellError:
            values[name] = None
    return values


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list):
        return ";".join(f"{p['name']}|{p.get('type') or ''}|{p.get('hours_per_week') or ''}"
                        for p in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
