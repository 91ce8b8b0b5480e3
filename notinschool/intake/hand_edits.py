"""The hand edits (people.editing) of a record carried through a rebuild (intake.rebuild).

A rebuild replays the notifications; then the hand edits are put back, from their history
(`people.models.FieldChange`, oldest first) and the rows as they stood before the rebuild
(`hand_edits_capture`, taken before anything is deleted):

- a child's detail set by hand is set again, if it still stood (the record showed that value
  before the rebuild: a notification that changed it since wins, as it had);
- an address, parent or provider added by hand is made again as it stood;
- one that came from a notification and was changed by hand is found among the rebuilt rows
  by what it was before the hand change (an address by its first line and postcode, a parent
  or provider by name) and the fields changed by hand take the values they had; a provider
  removed by hand is removed again;
- the history rows are pointed at the rebuilt rows, so a later rebuild finds them again.

A hand edit that cannot be put back (what it changed is no longer on the record: a split moved
the notification that made it) is not dropped silently: a history row by the person who
rebuilt the record says so, with the value it had, and the audit event counts it."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, Model
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.people.edit_save import PARENT_FIELDS, actor_name, as_text
from notinschool.people.models import Address, Child, ChildParent, FieldChange, Parent, Provider
from notinschool.people.names import address_key, fold

# the reason of a history row saying a hand edit was not put back (it is not tried again)
NOT_REAPPLIED = "Not applied again by the "
# the child's own fields a rebuild keeps anyway (intake.rebuild.KEPT_FIELDS) are not set again
_NOT_REPLAYED = {"do_not_disclose_address"}


@dataclass
class HandEdits:
    """What hand edits made of one or more records, read before a rebuild."""

    changes: list[FieldChange]
    before: dict[Any, dict[str, str]]  # each record's own fields as text
    addresses: dict[Any, Address]
    providers: dict[Any, Provider]
    parents: dict[Any, tuple[Parent, ChildParent | None]]
    notes: list[FieldChange] = field(default_factory=list)  # the edits not put back
    reapplied: int = 0


def hand_edits_capture(children: list[Child]) -> HandEdits:
    """The hand edits of ``children`` (a merge's two records, or the one rebuilt)."""
    ids = [c.pk for c in children]
    changes = list(FieldChange.objects.filter(child_id__in=ids)
                   .order_by("changed_at", "created_at", "pk"))
    touched = {t: {c.object_id for c in changes if c.object_type == t} for t in ("address", "parent",
                                                                               "provider")}
    links = {(lk.child_id, lk.parent_id): lk for lk in ChildParent.objects.filter(
        child_id__in=ids, parent_id__in=touched["parent"])}
    parents: dict[Any, tuple[Parent, ChildParent | None]] = {}
    for parent in Parent.objects.filter(pk__in=touched["parent"]):
        for child_id in ids:
            if (child_id, parent.pk) in links:
                parents[(child_id, parent.pk)] = (parent, links[(child_id, parent.pk)])
    return HandEdits(
        changes=changes,
        before={c.pk: {f.name: as_text(getattr(c, f.attname)) for f in Child._meta.concrete_fields}
                for c in children},
        addresses={a.pk: a for a in Address.objects.filter(child_id__in=ids, pk__in=touched["address"])},
        providers={p.pk: p for p in Provider.objects.filter(child_id__in=ids,
                                                            pk__in=touched["provider"])},
        parents=parents)


def hand_edits_restore(actor: Actor, child: Child, edits: HandEdits, kept: set[str],
                       why: str) -> HandEdits:
    """Put ``edits`` back on ``child``, rebuilt; ``kept`` are the child's fields the rebuild kept,
    ``why`` names the rebuild (for the history rows of the edits not put back)."""
    _details(child, edits, kept)
    by_object: dict[tuple[str, Any, Any], list[FieldChange]] = defaultdict(list)
    for change in edits.changes:
        if change.object_type != "child":
            by_object[(change.object_type, change.child_id, change.object_id)].append(change)
    claimed: set[Any] = set()
    for (kind, source, object_id), rows in by_object.items():
        restore = {"address": _address, "parent": _parent, "provider": _provider}.get(kind)
        if restore is None or any(r.reason.startswith(NOT_REAPPLIED) for r in rows):
            continue
        gone = restore(child, edits, source, object_id, rows, claimed)
        if gone:
            _not_reapplied(actor, child, edits, rows, f"{why}: {gone}")
        else:
            edits.reapplied += 1
    _one_current_address(child)
    return edits


# -- the child's details -------------------------------------------------------------------------
def _details(child: Child, edits: HandEdits, kept: set[str]) -> None:
    last: dict[tuple[Any, str], FieldChange] = {}
    for change in edits.changes:
        if change.object_type == "child" and change.field not in kept | _NOT_REPLAYED:
            last[(change.child_id, change.field)] = change
    standing = sorted((c for (source, name), c in last.items()
                       if edits.before.get(source, {}).get(name) == c.value_after),
                      key=lambda c: (c.changed_at, c.created_at))
    names = []
    for change in standing:
        setattr(child, change.field, _value(Child, change.field, change.value_after))
        names.append(change.field)
        edits.reapplied += 1
    if names:
        child.save(update_fields=[*dict.fromkeys(names), "modified_at"])


def _value(model: type[Model], name: str, text: str) -> Any:
    """A value from the text the history keeps (people.edit_save.as_text)."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, BooleanField):
        return {"Yes": True, "No": False}.get(text)
    if text == "" and model_field.null:
        return None
    return model_field.to_python(text)  # type: ignore[union-attr]


def _before(live: Model | None, rows: list[FieldChange], name: str) -> str:
    """What ``name`` was before the first hand change of it (as the notification made it)."""
    first = next((r for r in rows if r.field == name), None)
    if first is not None:
        return first.value_before
    return as_text(getattr(live, name)) if live is not None else ""


def _hand_fields(rows: list[FieldChange], names: tuple[str, ...]) -> list[str]:
    return [n for n in dict.fromkeys(r.field for r in rows) if n in names]


def _copy(obj: Model, child: Child) -> Any:
    """A new row on ``child`` with ``obj``'s content (who made it kept)."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
              if f.name not in ("id", "child", "created_at", "modified_at")}
    return type(obj)._default_manager.create(child=child, **values)


def _remap(child: Child, source: Any, old: Any, new: Any) -> None:
    if old != new:
        FieldChange.objects.filter(child_id__in={child.pk, source}, object_id=old).update(object_id=new)


# -- addresses, parents, providers: each returns '' when put back, else why not ------------------
_PROVIDER = ("name", "provider_type", "hours_per_week")
_ADDRESS = ("line_1", "line_2", "town", "postcode", "moved_in_date", "moved_out_date", "is_current")


def _address(child: Child, edits: HandEdits, source: Any, object_id: Any,
             rows: list[FieldChange], claimed: set[Any]) -> str:
    live = edits.addresses.get(object_id)
    if live is None:
        return "the address it changed is no longer on the record"
    added = any(r.field == "address" and not r.value_before for r in rows)
    key = address_key(live.line_1, live.postcode) if added else address_key(
        _before(live, rows, "line_1"), _before(live, rows, "postcode"))
    match = _pick([a for a in Address.objects.filter(child=child)
                   if address_key(a.line_1, a.postcode) == key], claimed)
    if match is None and added:  # not also in a notification: made again as it stood
        match = _copy(live, child)
        claimed.add(match.pk)
    elif match is None:
        return "the address it changed came from a notification no longer on the record"
    else:
        names = list(_ADDRESS) if added else _hand_fields(rows, _ADDRESS)
        for name in names:
            setattr(match, name, getattr(live, name))
        match.save(update_fields=[*names, "modified_at"])
    _remap(child, source, object_id, match.pk)
    return ""


def _parent(child: Child, edits: HandEdits, source: Any, object_id: Any,
            rows: list[FieldChange], claimed: set[Any]) -> str:
    live, link = edits.parents.get((source, object_id), (None, None))
    if live is None or link is None:
        return "the parent it changed is no longer on the record"
    added = any(r.field == "parent" and not r.value_before for r in rows)
    name = fold(live.name if added else _before(live, rows, "name"))
    match = _pick([lk for lk in ChildParent.objects.filter(child=child).select_related("parent")
                   if fold(lk.parent.name) == name], claimed)
    if match is None and added:  # not also in a notification: linked again as it stood
        if not ChildParent.objects.filter(child=child, parent=live).exists():
            ChildParent.objects.create(child=child, parent=live, lives_with_child=link.lives_with_child,
                                       educates=link.educates, created_by_id=link.created_by_id)
        return ""
    if match is None:
        return "the parent it changed came from a notification no longer on the record"
    names = [n for n in PARENT_FIELDS if getattr(live, n)] if added else _hand_fields(rows, PARENT_FIELDS)
    for name_ in names:
        setattr(match.parent, name_, getattr(live, name_))
    match.parent.save(update_fields=[*names, "modified_at"])
    links = ["lives_with_child", "educates"] if added else _hand_fields(
        rows, ("lives_with_child", "educates"))
    for name_ in links:
        setattr(match, name_, getattr(link, name_))
    match.save(update_fields=[*links, "modified_at"])
    _remap(child, source, object_id, match.parent_id)
    return ""


def _provider(child: Child, edits: HandEdits, source: Any, object_id: Any,
              rows: list[FieldChange], claimed: set[Any]) -> str:
    live = edits.providers.get(object_id)
    removed = rows[-1].field == "provider" and not rows[-1].value_after
    added = any(r.field == "name" and not r.value_before for r in rows)
    if added and (removed or live is None):
        return "" if removed else "the provider it changed is no longer on the record"
    if live is not None:
        name = fold(live.name if added else _before(live, rows, "name"))
    else:  # removed: by the name it had first
        name = fold(_before(None, rows, "name") or rows[-1].value_before)
    match = _pick([p for p in Provider.objects.filter(child=child) if fold(p.name) == name], claimed)
    if removed:
        if match is not None:
            match.delete()
        return ""
    if live is None:
        return "the provider it changed is no longer on the record"
    if match is None and added:  # not also in a notification: made again as it stood
        match = _copy(live, child)
        claimed.add(match.pk)
    elif match is None:
        return "the provider it changed came from a notification no longer on the record"
    else:
        names = list(_PROVIDER) if added else _hand_fields(rows, _PROVIDER)
        for name_ in names:
            setattr(match, name_, getattr(live, name_))
        match.save(update_fields=[*names, "modified_at"])
    _remap(child, source, object_id, match.pk)
    return ""


def _pick(candidates: list[Any], claimed: set[Any]) -> Any:
    """The first rebuilt row not yet given a hand edit, else one already given one (both
    records of a merge changed the same row: the later change is applied last)."""
    fresh = [c for c in candidates if c.pk not in claimed]
    match = (fresh or candidates or [None])[0]
    if match is not None:
        claimed.add(match.pk)
    return match


def _one_current_address(child: Child) -> None:
    """One current address after hand-made ones came back (a merge can bring a second): the one
    moved into last; the others are closed on that day. The child's postcode follows it."""
    current = list(Address.objects.filter(child=child, is_current=True).order_by("created_at"))
    if not current:
        return
    latest = max(current, key=lambda a: a.moved_in_date or dt.date.min)
    for address in current:
        if address.pk != latest.pk:
            address.is_current = False
            address.moved_out_date = address.moved_out_date or latest.moved_in_date
            address.save(update_fields=["is_current", "moved_out_date", "modified_at"])
    if child.postcode != latest.postcode:
        child.postcode = latest.postcode
        child.save(update_fields=["postcode", "modified_at"])


def _not_reapplied(actor: Actor, child: Child, edits: HandEdits, rows: list[FieldChange],
                   why: str) -> None:
    last = {r.field: r for r in rows}
    at = timezone.now()
    for name, row in last.items():
        edits.notes.append(FieldChange(
            child=child, version=child.version, object_type=row.object_type,
            object_id=UUID(str(row.object_id)), field=name, value_before=row.value_after,
            value_after="", changed_by=actor_user(actor), changed_by_label=actor_name(actor),
            changed_at=at, reason=f"{NOT_REAPPLIED}{why}"[:200]))
