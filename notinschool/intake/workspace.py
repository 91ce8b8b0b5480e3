"""The working set of one import: every row resolved to a child first, the children it touches
loaded in a few queries, changes made in memory, then written in bulk."""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any
from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.core.bulk import (
    build,
    insert_many,
    loaded,
    pipelining,
    update_many,
    values_where_in,
)
from notinschool.intake.models import ImportBatch, ImportKind, Notification
from notinschool.intake.parsing import ParsedRow
from notinschool.people.matching import Candidate, ChildIndex, Decision
from notinschool.people.models import (
    Address,
    Child,
    ChildParent,
    Household,
    Parent,
    Provider,
    StatusChange,
)
from notinschool.people.names import fold, postcode_key
from notinschool.people.services import address_move, child_refs_next, household_moves


def row_hash(kind: str, values: dict[str, Any]) -> str:
    """SHA-256 of `json.dumps([kind, sorted((name, str(value)) ...)])` over the values given."""
    items = sorted([(k, v if type(v) is str else str(v)) for k, v in values.items() if v is not None])
    # that JSON text put together directly where json.dumps would escape nothing: only
    # printable ASCII, and no quote but the ones put in here (4 a pair, less 2)
    inner = '"], ["'.join(map('", "'.join, items))
    if (items and inner.count('"') == 4 * len(items) - 2 and _plain(inner) and _plain(kind)
            and '"' not in kind):
        payload = f'["{kind}", [["{inner}"]]]'
    else:
        payload = json.dumps([kind, items])
    return hashlib.sha256(payload.encode()).hexdigest()


def _plain(text: str) -> bool:
    """Nothing in `text` that json.dumps would escape but quotes (only ASCII from space to ~,
    and no backslash)."""
    return text.isascii() and text.isprintable() and "\\" not in text


def parsed_row_hash(kind: str, row: ParsedRow) -> str:
    """`row_hash` of a parsed row, worked out once (the import asks twice)."""
    if not row.digest:
        row.digest = row_hash(kind, row.values)
    return row.digest


def load_index() -> ChildIndex:
    """Every child on the register, in order of arrival: where two children match a row
    equally well the first to arrive wins, whatever order the database keeps its rows in. A
    record merged into another (a duplicate of the same child) stays in the index under the
    record it was merged into, so a notification in the duplicate's spelling lands there."""
    index = ChildIndex()
    fields = ("pk", "forename", "middle_names", "surname", "date_of_birth", "postcode", "upn",
              "merged_into_id", "sex")
    rows = Child.objects.order_by("child_ref").values_list(*fields)
    for pk, forename, middle, surname, dob, postcode, upn, kept, sex in rows.iterator(
            chunk_size=20000):
        index.add(Candidate(kept or pk, forename, middle, surname, dob, postcode, upn, sex=sex))
    return index


@dataclass
class Resolved:
    row: ParsedRow
    key: UUID | None               # the child's id (existing or made by this import)
    decision: Decision | None


@dataclass
class Workspace:
    batch: ImportBatch
    actor: Actor
    index: ChildIndex = field(default_factory=load_index)
    children: dict[Any, Child] = field(default_factory=dict)
    new_children: list[Child] = field(default_factory=list)
    current_address: dict[Any, Address | None] = field(default_factory=dict)
    parents: dict[Any, dict[str, ChildParent]] = field(default_factory=lambda: defaultdict(dict))
    new_addresses: list[Address] = field(default_factory=list)
    changed_addresses: list[Address] = field(default_factory=list)
    filled_addresses: list[Address] = field(default_factory=list)
    new_parents: list[Parent] = field(default_factory=list)
    new_links: list[ChildParent] = field(default_factory=list)
    new_providers: list[Provider] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    # rows a kind of another app makes (casework's contacts): written at the end, one model each
    other_records: list[Any] = field(default_factory=list)
    # why each row that joined a known child was taken as it (by row number): Notification.joined_because
    joined_because: dict[int, dict[str, Any]] = field(default_factory=dict)
    # admission dates per child, so that a deletion imported after a later admission still
    # ends with the child back at school (status follows the dates in the files)
    admissions: dict[Any, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    # what _load read, by id, so that flush writes only what the import changed
    as_loaded: dict[Any, tuple[Any, ...]] = field(default_factory=dict)
    # with `stream`, inside core.bulk.pipelined(), notifications and status changes (which
    # never change once made) are written while later rows are applied; how many are
    stream: bool = False
    written: dict[str, int] = field(default_factory=lambda: {"notifications": 0, "status": 0})

    # -- resolving rows to children ---------------------------------------------------------
    def resolve(self, rows: list[ParsedRow], *, create: bool = True) -> list[Resolved]:
        """Each row's child: an existing one the matcher recognises, one made earlier in this
        file, or (with `create`) a new one."""
        resolved = []
        for row in rows:
            probe = _probe(row.values)
            decision = self.index.find(probe)
            if decision is not None:
                self.joined_because[row.number] = {"score": decision.score,
                                                   "evidence": list(decision.evidence)}
            if decision is not None or not create:
                resolved.append(Resolved(row, decision.key if decision else None, decision))
                continue
            child = _new_child(row.values)
            probe.key, probe.fresh = child.pk, True
            self.index.add(probe)
            self.new_children.append(child)
            self.children[child.pk] = child
            resolved.append(Resolved(row, child.pk, None))
        self._load([r.key for r in resolved if r.key is not None and r.key not in self.children])
        refs = child_refs_next(len(self.new_children)) if self.new_children else []
        for child, ref in zip(self.new_children, refs, strict=True):
            child.child_ref = ref
        return resolved

    def _load(self, ids: list[UUID]) -> None:
        """The children, current addresses, parents and admissions the rows touch: a query
        each, rows made into model instances without Django's per-object machinery."""
        rows = values_where_in(Child, "id", ids, _ATTNAMES[Child])
        for child in loaded(Child, _ATTNAMES[Child], rows):
            self.children[child.pk] = child
            self.as_loaded[child.pk] = _CHILD_VALUES(child)
        rows = values_where_in(Address, "child_id", ids, _ATTNAMES[Address], is_current=True)
        for address in loaded(Address, _ATTNAMES[Address], rows):
            self.current_address[address.child_id] = address
        links = loaded(ChildParent, _ATTNAMES[ChildParent],
                       values_where_in(ChildParent, "child_id", ids, _ATTNAMES[ChildParent]))
        rows = values_where_in(Parent, "id", [link.parent_id for link in links], _ATTNAMES[Parent])
        parents = {p.pk: p for p in loaded(Parent, _ATTNAMES[Parent], rows)}
        self.as_loaded.update((p.pk, _PARENT_VALUES(p)) for p in parents.values())
        self.as_loaded.update((link.pk, _LINK_VALUES(link)) for link in links)
        for link in links:
            parent = link._state.fields_cache["parent"] = parents[link.parent_id]
            self.parents[link.child_id][fold(parent.name)] = link
        for child_id, on in values_where_in(Notification, "child_id", ids, ("child_id", "event_date"),
                                            kind=ImportKind.SCHOOL_ADMISSIONS):
            self.admissions[child_id].append(on)

    def child(self, key: Any) -> Child:
        return self.children[key]

    # -- changes ---------------------------------------------------------------------------
    def move(self, child: Child, *, line_1: str | None, line_2: str | None = None,
             town: str | None = None, postcode: str | None, moved_in: dt.date | None) -> None:
        if not postcode:
            return
        key = child.pk
        current = self.current_address.get(key)
        known = (current.line_2, current.town) if current is not None else None
        new, closed = address_move(child, current, line_1=line_1 or "", line_2=line_2 or "",
                                   town=town or "", postcode=postcode, moved_in=moved_in)
        if new is not None:
            self.new_addresses.append(new)
            self.current_address[key] = new
        if closed is not None and not closed._state.adding:
            self.changed_addresses.append(closed)
        if (new is None and current is not None and not current._state.adding
                and (current.line_2, current.town) != known):  # the same home, filled in
            self.filled_addresses.append(current)

    def add_parent(self, child: Child, *, name: str | None, lives_with_child: bool,
                   educates: bool | None = None, **contact: str | None) -> None:
        if not name:
            return
        key = child.pk
        link = self.parents[key].get(fold(name))
        if link is None:
            parent = build(Parent, name=name)
            self.new_parents.append(parent)
            link = build(ChildParent, child=child, parent=parent, lives_with_child=lives_with_child)
            self.new_links.append(link)
            self.parents[key][fold(name)] = link
        for attr, value in contact.items():
            if value:
                setattr(link.parent, attr, value)
        if educates is not None:
            link.educates = educates
        if not lives_with_child:
            link.lives_with_child = False

    def record(self, child: Child | None, row: ParsedRow, *, event_date: dt.date,
               received: dt.date, outcome: str, **extra: str) -> None:
        data = {k: v if type(v) in _PLAIN else _jsonable(v)  # most are text: no call
                for k, v in row.values.items() if v is not None}
        self.notifications.append(build(
            Notification, kind=self.batch.kind, batch=self.batch, child=child,
            row_hash=parsed_row_hash(self.batch.kind, row), row_number=row.number,
            event_date=event_date, received_date=received, outcome=outcome, data=data,
            joined_because=self.joined_because.get(row.number, {}), **extra))
        unwritten = len(self.notifications) - self.written["notifications"]
        if self.stream and unwritten >= _STREAM_EVERY and pipelining():
            self.write_final()

    def write_final(self) -> None:
        """Write the notifications and status changes not written yet."""
        for key, model, objs in (("status", StatusChange, self.status_changes),
                                 ("notifications", Notification, self.notifications)):
            insert_many(model, objs[self.written[key]:])
            self.written[key] = len(objs)

    def status(self, change: StatusChange | None) -> None:
        if change is not None:
            self.status_changes.append(change)


_STREAM_EVERY = 5000


def _probe(values: dict[str, Any]) -> Candidate:
    return Candidate(key=None, forename=values.get("forename") or "",
                     middle_names=values.get("middle_names") or "",
                     surname=values.get("surname") or "", date_of_birth=values.get("date_of_birth"),
                     postcode=values.get("postcode") or "", upn=values.get("upn") or "",
                     sex=values.get("sex") or "",
                     other_postcodes=tuple(values[k] for k in _OTHER_POSTCODES if values.get(k)))


# a row's other addresses: where the child lived before, or is moving to
_OTHER_POSTCODES = ("previous_postcode", "future_postcode")


def _new_child(values: dict[str, Any]) -> Child:
    return build(  # type: ignore[no-any-return]
        Child, child_ref="", forename=values.get("forename") or "", surname=values["surname"],
        middle_names=values.get("middle_names") or "", sex=values.get("sex") or "",
        date_of_birth=values.get("date_of_birth"), upn=values.get("upn") or "",
        postcode=values.get("postcode") or "", surname_key=fold(values["surname"]),
    )


_JSON_PLAIN = (str, bool, int, type(None))
_PLAIN = frozenset(_JSON_PLAIN)


def _jsonable(value: Any) -> Any:
    """`value` as JSON would bring it back (dates as ISO text, decimals as text), without
    a round trip through JSON text."""
    if isinstance(value, _JSON_PLAIN):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def fill_blanks(child: Child, values: dict[str, Any], names: tuple[str, ...]) -> None:
    """An empty cell never overwrites a known value; a known cell fills an empty field."""
    for name in names:
        value = values.get(name)
        if value not in (None, "") and not getattr(child, name):
            setattr(child, name, value)


def same_postcode(a: str | None, b: str | None) -> bool:
    return postcode_key(a) == postcode_key(b)


# what _load reads: every field but the two timestamps (which the import never reads, and
# which cost more to load than all the others together)
_ATTNAMES = {model: tuple(f.attname for f in model._meta.concrete_fields
                          if f.name not in ("created_at", "modified_at"))
             for model in (Child, Address, ChildParent, Parent)}
_CHILD_CHANGES = [
    f for f in Child._meta.concrete_fields
    if f.name not in ("id", "child_ref", "created_at", "created_by", "modified_at", "modified_by")
]
_CHILD_FIELDS = [f.name for f in _CHILD_CHANGES]
_CHILD_VALUES = attrgetter(*(f.attname for f in _CHILD_CHANGES))
_LINK_FIELDS = ["lives_with_child", "educates"]
_LINK_VALUES = attrgetter(*_LINK_FIELDS)
_PARENT_FIELDS = ["address_line_1", "postcode", "phone", "email"]
_PARENT_VALUES = attrgetter(*_PARENT_FIELDS)


def flush(ws: Workspace, *, households: bool = False) -> set[UUID]:
    """Write everything the import changed, in bulk (COPY on PostgreSQL), and with
    `households` put the children touched into households (people.services.household_assign)
    before writing them, so each child row is written once. Returns the ids of the children
    touched."""
    actor_id = ws.actor.pk if getattr(ws.actor, "pk", None) else None
    for child in ws.children.values():
        child.modified_by_id = actor_id
    for child in ws.new_children:
        child.created_by_id = actor_id
    # first what households read (current addresses, parents' names), then the rest: within
    # core.bulk.pipelined() the server makes the other changes while households are worked out
    insert_many(Address, ws.new_addresses)
    update_many(Address, ws.changed_addresses, ["is_current", "moved_out_date"])
    insert_many(Parent, ws.new_parents)
    insert_many(ChildParent, ws.new_links)
    others = _households(ws) if households else {}
    update_many(Address, ws.filled_addresses, ["line_2", "town"])
    _flush_parents(ws)
    insert_many(Child, ws.new_children)
    new_ids = {c.pk for c in ws.new_children}
    existing = [c for c in ws.children.values() if c.pk not in new_ids]
    update_many(Child, existing, ["modified_at", "modified_by", *_changed_fields(ws, existing)])
    update_many(Child, [build(Child, id=child, household_id=household)
                        for child, household in others.items()], ["household"])
    insert_many(Provider, ws.new_providers)
    ws.write_final()
    for model in dict.fromkeys(type(r) for r in ws.other_records):
        insert_many(model, [r for r in ws.other_records if type(r) is model])
    return set(ws.children)


def _households(ws: Workspace) -> dict[Any, Any]:
    """Household moves of the workspace's children set on them; those of other children
    (the addresses' other residents) returned."""
    known = {pk: (c.surname, c.household_id) for pk, c in ws.children.items()}
    new_households, moves = household_moves(child_ids=ws.children, known=known)
    insert_many(Household, new_households)
    for pk in [pk for pk in moves if pk in ws.children]:
        ws.children[pk].household_id = moves.pop(pk)
    return moves


def _flush_parents(ws: Workspace) -> None:
    """The parent links and parents loaded that the import changed (new ones are written
    already)."""
    new_links = {id(link) for link in ws.new_links}
    old = [link for links in ws.parents.values() for link in links.values()
           if id(link) not in new_links]
    update_many(ChildParent, [link for link in old
                              if ws.as_loaded.get(link.pk) != _LINK_VALUES(link)], _LINK_FIELDS)
    update_many(Parent, [link.parent for link in old
                         if ws.as_loaded.get(link.parent.pk) != _PARENT_VALUES(link.parent)],
                _PARENT_FIELDS)


def _changed_fields(ws: Workspace, children: list[Child]) -> list[str]:
    """The fields of `children` that differ from what was loaded for any of them (all of them
    for a child not loaded by this workspace)."""
    changed: set[int] = set()
    for child in children:
        before = ws.as_loaded.get(child.pk)
        if before is None:
            return _CHILD_FIELDS
        after = _CHILD_VALUES(child)
        if after != before:
            changed.update(i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b)
    return [name for i, name in enumerate(_CHILD_FIELDS) if i in changed]
