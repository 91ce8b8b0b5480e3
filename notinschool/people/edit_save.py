"""One hand edit of a child's record being saved (people.editing): what the user saw (`Seen`),
the version check that tells the second of two people editing one record (`EditConflict`, with
who changed what), and the history rows (`FieldChange`) with the values before.

`Seen` holds the child's `version`, which every save here increments, and the edited fields'
values as the form loaded them: a save against an older version, or over values another way in
changed meanwhile (an import does not count versions), is refused and written nowhere."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Model
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.disclosure import address_visible
from notinschool.people.models import Child, FieldChange, Parent, Provider

DETAIL_FIELDS = ("eligibility_basis", "ethnicity", "sen_provision", "hours_parent_per_week",
                 "hours_other_per_week", "do_not_disclose_address")
ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode", "moved_in_date", "moved_out_date")
PARENT_FIELDS = ("name", "address_line_1", "postcode", "phone", "email")
LINK_FIELDS = ("lives_with_child", "educates")
PROVIDER_FIELDS = ("name", "provider_type", "hours_per_week")

FIELD_LABELS = {
    "eligibility_basis": "eligible because", "ethnicity": "ethnicity",
    "sen_provision": "special educational needs", "hours_parent_per_week": "hours a week with parents",
    "hours_other_per_week": "hours a week with others",
    "do_not_disclose_address": "do not disclose the address",
    "line_1": "address line 1", "line_2": "address line 2", "town": "town", "postcode": "postcode",
    "moved_in_date": "moved in", "moved_out_date": "moved out", "is_current": "current address",
    "address": "address", "current": "current address",
    "name": "name", "address_line_1": "address", "phone": "phone", "email": "email",
    "lives_with_child": "lives with the child", "educates": "educates the child", "parent": "parent",
    "provider_type": "type", "hours_per_week": "hours a week", "provider": "provider",
}
# Where a value is an address, shown only to those who may see the child's address.
ADDRESS_VALUES = {("address", f) for f in (*ADDRESS_FIELDS, "address", "is_current")} | {
    ("parent", "address_line_1"), ("parent", "postcode")}



class FieldProblem(DomainError):
    """A value the rules refuse, for one field of the form."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


class EditConflict(DomainError):
    """The record changed after the user opened the form; `changes` says who changed what."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        super().__init__("Someone else changed this record while you were editing: "
                         + "; ".join(changes) + ". Check your answers and save again.")


@dataclass(frozen=True)
class Seen:
    """What the user saw when they opened the form: the child's version and the edited values."""

    version: int
    values: Mapping[str, str] = field(default_factory=dict)


def as_text(value: Any) -> str:
    """A value as the history keeps it: '' for none, Yes/No, ISO dates, hours without trailing 0s."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def snapshot(obj: Model | None, fields: Iterable[str], prefix: str = "") -> dict[str, str]:
    return {prefix + f: as_text(getattr(obj, f)) if obj is not None else "" for f in fields}


def address_seen(child: Child) -> dict[str, str]:
    """What a new address is checked against: which address is current."""
    current = child.addresses.filter(is_current=True).first()
    return {"current": str(current.pk) if current else ""}


def actor_name(actor: Actor) -> str:
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return str(name or actor.get_username())


# -- one save ------------------------------------------------------------------------------------
class EditSave:
    """A save in progress: the child locked and checked, the changes and their history rows."""

    def __init__(self, actor: Actor, child: Child, seen: Seen,
                 now: Mapping[str, str] | Callable[[Child], Mapping[str, str]], reason: str,
                 *, address: bool = False):
        if not actor.can(Cap.EDIT_REGISTER):
            raise NotPermitted("your role cannot change the register")
        self.actor, self.reason, self.at = actor, reason.strip()[:200], timezone.now()
        self.child = Child.objects.select_for_update().get(pk=child.pk)
        if address and not address_visible(actor, self.child):
            raise NotPermitted("this child's address is withheld from your role")
        now = now(self.child) if callable(now) else now
        stale = {k: v for k, v in now.items() if k in seen.values and seen.values[k] != v}
        if self.child.version != seen.version or stale:
            raise EditConflict(_describe(self.child, seen, stale))
        self.seen = seen
        self.rows: list[FieldChange] = []
        self.others: set[Any] = set()  # other children whose record changed (a shared parent)

    def apply(self, obj: Model, values: Mapping[str, Any], object_type: str) -> list[str]:
        """Set the values that differ on `obj` (not saved) and note each in the history."""
        changed = []
        for name, value in values.items():
            before, after = as_text(getattr(obj, name)), as_text(value)
            if before != after:
                setattr(obj, name, value)
                changed.append(name)
                self.note(object_type, obj.pk, name, before, after)
        return changed

    def note(self, object_type: str, object_id: Any, name: str, before: str, after: str) -> None:
        self.rows.append(FieldChange(
            child=self.child, version=0, object_type=object_type, object_id=object_id, field=name,
            value_before=before, value_after=after, changed_by=actor_user(self.actor),
            changed_by_label=actor_name(self.actor), changed_at=self.at, reason=self.reason))

    def finish(self, object_type: str, object_ids: Iterable[Any], **detail: Any) -> int:
        """Count the version, write the history and the audit event; returns the fields changed."""
        if not self.rows:
            return 0
        bumped = Child.objects.filter(pk=self.child.pk, version=self.seen.version).update(
            version=F("version") + 1, modified_at=self.at, modified_by=actor_user(self.actor))
        if not bumped:  # a writer got in between the check and now (no row lock on SQLite)
            raise EditConflict(["the record changed as you saved"])
        self.child.version = self.seen.version + 1
        rows = list(self.rows)
        for row in rows:
            row.version = self.child.version
        rows += self._others_rows()
        FieldChange.objects.bulk_create(rows)
        audit_record(actor=self.actor, action="update", object_type=object_type,
                     object_ids=list(object_ids), child_ids=[self.child.pk, *self.others],
                     detail={"fields": sorted({r.field for r in self.rows}),
                             "version": self.child.version, **detail},
                     reason=self.reason)
        return len(self.rows)

    def _others_rows(self) -> list[FieldChange]:
        if not self.others:
            return []
        Child.objects.filter(pk__in=self.others).update(version=F("version") + 1)
        versions = dict(Child.objects.filter(pk__in=self.others).values_list("pk", "version"))
        return [FieldChange(**{**_row_fields(r), "child_id": other, "version": versions[other]})
                for other in self.others for r in self.rows
                if r.object_type == "parent" and r.field in PARENT_FIELDS]


def _row_fields(row: FieldChange) -> dict[str, Any]:
    names = ("object_type", "object_id", "field", "value_before", "value_after", "changed_by",
             "changed_by_label", "changed_at", "reason")
    return {n: getattr(row, n) for n in names}


def _describe(child: Child, seen: Seen, stale: Mapping[str, str]) -> list[str]:
    rows = list(FieldChange.objects.filter(child=child, version__gt=seen.version))
    lines = [f"{r.changed_by_label} changed {FIELD_LABELS.get(r.field, r.field)}"
             + (f" from '{r.value_before}'" if r.value_before else "") + f" to '{r.value_after}'"
             for r in rows]
    explained = {r.field for r in rows}
    lines += [f"{FIELD_LABELS.get(k, k)} is now '{v}' (changed by an import or another part of "
              "the service)" for k, v in stale.items() if k not in explained]
    return lines or ["the record was changed"]


# -- reading the history -------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeRow:
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeGroup:
    """The fields one save changed: when, who, why."""

    version: int
    at: dt.datetime
    who: str
    reason: str
    rows: list[ChangeRow]


def field_change_groups(*, actor: Actor, child: Child) -> list[ChangeGroup]:
    """The record's hand changes, newest save first, for a child the actor has opened (the page
    audits the view); addresses are withheld from those who may not see the child's address."""
    changes = list(FieldChange.objects.filter(child=child).order_by("-version", "changed_at", "created_at"))
    names = _object_names(changes)
    visible = address_visible(actor, child)
    groups: dict[int, ChangeGroup] = {}
    for change in changes:
        group = groups.setdefault(change.version, ChangeGroup(
            change.version, change.changed_at, change.changed_by_label, change.reason, []))
        hidden = not visible and (change.object_type, change.field) in ADDRESS_VALUES
        what = FIELD_LABELS.get(change.field, change.field)
        owner = names.get(change.object_id, "") if change.object_type in ("parent", "provider") else ""
        if change.object_type != "child" and change.field != change.object_type:
            what = f"{change.object_type.capitalize()}{' ' + owner if owner else ''}: {what}"
        group.rows.append(ChangeRow(what[:1].upper() + what[1:],
                                    "Withheld" if hidden else change.value_before,
                                    "Withheld" if hidden else change.value_after))
    return list(groups.values())


def _object_names(changes: list[FieldChange]) -> dict[Any, str]:
    """The parents' and providers' names, as they are now or as they were when removed."""
    ids = {c.object_id for c in changes}
    names = {c.object_id: c.value_before or c.value_after for c in changes
             if c.field in ("provider", "parent")}
    names.update(Parent.objects.filter(pk__in=ids).values_list("pk", "name"))
    names.update(Provider.objects.filter(pk__in=ids).values_list("pk", "name"))
    return names
