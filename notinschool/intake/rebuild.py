"""Rebuilding a child's record from its notifications, as if they had arrived in date order:
what a split (intake.split) and a merge (workflow.merge) do to the records they change. The
notifications are replayed through the same appliers an import uses, so statuses, addresses,
parents and register content follow the same rules and the dates in the notifications.

Then what people changed by hand (people.editing) is put back, in the order it was made
(intake.hand_edits): a rebuild never loses a hand edit silently. The details set by hand are set
again; addresses, parents and providers added by hand come back as they stood; those that came
from a notification and were changed by hand are found among the rebuilt rows by what they were
before the change, and take the hand-changed values. The history rows (`FieldChange`) are
pointed at the rebuilt rows. On a merge the hand edits of both records are put back, in time
order (the later wins); on a split they stay with the record they were made on. A hand edit
that cannot be put back (a split moved the notification that made the address it changed)
gets a history row saying so, by the person who rebuilt the record, and an audit event.

A rebuild counts as a change of the record: its `version` goes up, so a form opened before it
is told the record changed."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.audit.services import audit_record
from notinschool.intake.columns import CellError
from notinschool.intake.hand_edits import HandEdits, hand_edits_capture, hand_edits_restore
from notinschool.intake.kinds import intake_kind
from notinschool.intake.models import Notification
from notinschool.intake.parsing import ParsedRow
from notinschool.intake.workspace import Resolved, Workspace, _new_child, flush
from notinschool.people.matching import ChildIndex, Decision
from notinschool.people.models import Address, Child, ChildParent, FieldChange, Provider, StatusChange
from notinschool.people.services import child_refs_next

# what a rebuild keeps: who works with the child, and decisions people made about the record
KEPT_FIELDS = {"household", "officer", "do_not_disclose_address", "merged_into", "created_by",
               "modified_by", "created_at", "modified_at", "version"}


def rebuild(actor: Actor, child: Child, notes: list[Notification], *,
            edits: HandEdits | None = None, why: str = "split") -> HandEdits:
    """Forget what notifications made of ``child``, replay ``notes`` (oldest first) onto it, then
    put back the hand edits: ``edits`` (a merge reads both records' before it moves anything),
    else the child's own. ``why`` names the rebuild in the history. Returns the edits, with
    how many were put back and the history rows of those that were not.
    What its contacts say about when it was last contacted and seen is casework's to take in
    again afterwards (`casework.services.child_contacts_reapply`: the workflow does it)."""
    edits = edits if edits is not None else hand_edits_capture([child])
    reset(child, values(notes[0]))
    child.version += 1
    replay(actor, child, notes)
    hand_edits_restore(actor, child, edits, KEPT_FIELDS, why)
    if edits.notes:
        FieldChange.objects.bulk_create(edits.notes)
        audit_record(actor=actor, action="update", object_type="hand_edits_not_reapplied",
                     object_ids=sorted({str(n.object_id) for n in edits.notes}),
                     child_ids=[child.pk], detail={"why": why, "fields": [
                         f"{n.object_type}.{n.field}" for n in edits.notes]})
    return edits


def reset(child: Child, first: dict[str, Any]) -> None:
    """Forget what the notifications made of the record; its identity comes from the first
    notification it keeps, as if that had arrived first."""
    StatusChange.objects.filter(child=child).delete()
    Address.objects.filter(child=child).delete()
    ChildParent.objects.filter(child=child).delete()
    Provider.objects.filter(child=child).delete()
    blank = _new_child(first)
    for f in Child._meta.concrete_fields:
        if f.name not in KEPT_FIELDS and not f.primary_key and f.name != "child_ref":
            setattr(child, f.attname, getattr(blank, f.attname))


@dataclass
class _ReplayWorkspace(Workspace):
    """A workspace whose rows all belong to one child: `target`, or one it makes. The first
    row is the child's arrival; every later row is about a child already known (a referral
    about a child on the register opens no case, say), as when they were first imported."""

    target: Child | None = None
    arrived: bool = False

    def resolve(self, rows: list[ParsedRow], *, create: bool = True) -> list[Resolved]:
        if self.target is None:
            self.target = _new_child(rows[0].values)
            self.target.child_ref = child_refs_next(1)[0]
            self.new_children.append(self.target)
            self.children[self.target.pk] = self.target
        elif self.target.pk not in self.children:
            self.children[self.target.pk] = self.target
        resolved = []
        for row in rows:
            known = Decision(self.target.pk, 0, ("replayed onto the same record",))
            resolved.append(Resolved(row, self.target.pk, known if self.arrived else None))
            self.arrived = True
        return resolved


def replay(actor: Actor, child: Child | None, notes: list[Notification]) -> Child:
    """Apply ``notes`` to ``child`` (or to a new record made from the first) and write it."""
    ws = _ReplayWorkspace(batch=notes[0].batch, actor=actor, index=ChildIndex(), target=child)
    for note in notes:
        ws.batch = note.batch
        apply = intake_kind(note.kind).apply
        assert apply is not None, f"{note.kind} notifications are not applied to the register"
        apply(ws, [ParsedRow(note.row_number or 0, values(note), {})])
    ws.notifications.clear()  # the notifications exist already; they only change records
    assert ws.target is not None
    flush(ws)
    return ws.target


def values(note: Notification) -> dict[str, Any]:
    """The row's parsed values again, from what the notification kept."""
    parsed: dict[str, Any] = {}
    for name, column in intake_kind(note.kind).columns.items():
        cell = _cell(note.data.get(name))
        try:
            parsed[name] = column.parse(cell) if cell else None
        except CellError:
            parsed[name] = None
    return parsed


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
