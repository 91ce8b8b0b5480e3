"""Writing children's records: references, status changes, addresses, parents, households.

Bulk-friendly: functions work on objects in memory and leave saving to the caller's batch
(the intake services, which check the actor's capability and audit the import), so a file of
100,000 rows is a handful of queries, not 100,000. A function that writes on its own
(`household_assign`) takes the actor, checks it and audits what it wrote."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.bulk import build, insert_many, update_many, values_where_in
from notinschool.core.errors import NotPermitted
from notinschool.people.models import Address, Child, ChildParent, Household, Parent, StatusChange
from notinschool.people.names import address_key, fold, postcode_key, surname_parts

REF_PREFIX = "C"
REF_DIGITS = 7


def child_refs_next(count: int) -> list[str]:
    """The next `count` register references: C0000001, C0000002, ... in order of arrival."""
    register_write_lock()
    highest = Child.objects.aggregate(m=Max("child_ref"))["m"]
    start = int(highest[len(REF_PREFIX):]) + 1 if highest else 1
    return [f"{REF_PREFIX}{n:0{REF_DIGITS}d}" for n in range(start, start + count)]


def register_write_lock() -> None:
    """Serialise writers of the register until the end of the transaction: an import takes it
    before it reads the register, so a second import waits and then matches its rows against
    the first one's children, never beside them (SQLite's IMMEDIATE transactions already
    serialise writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(4365001)")


def in_area(postcode: str | None) -> bool:
    """Inside the authority's area: its postcode districts, or everywhere when none are set."""
    districts = settings.NOTINSCHOOL_AREA_DISTRICTS
    if not districts or not postcode:
        return True
    return postcode.upper().split(" ")[0] in districts


def status_change(child: Child, status: str, on: dt.date, reason: str) -> StatusChange | None:
    """Move the child to `status` from `on`, unless a later dated event already set the status
    (files can arrive out of order; status follows the dates in them). Returns the history
    row to save, or None when nothing changed."""
    if child.status_date and on < child.status_date:
        return build(StatusChange, child=child, status=status, date=on,  # type: ignore[no-any-return]
                     reason=f"{reason} (earlier event)")
    if child.status == status:
        return None
    child.status, child.status_date = status, on
    if status in ("ehe", "cme", "not_in_school_other") and not child.joined_register_date:
        child.joined_register_date = on
    return build(StatusChange, child=child, status=status, date=on,  # type: ignore[no-any-return]
                 reason=reason)


def address_move(child: Child, current: Address | None, *, line_1: str, line_2: str, town: str,
                 postcode: str, moved_in: dt.date | None) -> tuple[Address | None, Address | None]:
    """A new current address if it differs from `current`: returns (new, closed_old)."""
    if current and address_key(current.line_1, current.postcode) == address_key(line_1, postcode):
        for name, value in (("line_2", line_2), ("town", town)):
            if value and not getattr(current, name):
                setattr(current, name, value)
        return None, None
    new = build(Address, child=child, line_1=line_1, line_2=line_2, town=town, postcode=postcode,
                moved_in_date=moved_in, is_current=True)
    if current:
        current.is_current = False
        current.moved_out_date = moved_in
    child.postcode = postcode
    return new, current


def household_assign(*, actor: Actor, child_ids: Iterable[UUID]) -> int:
    """Put children who live together in one household: the same home address (postcode and
    first line, normalised) and either a surname part or a parent in common (data contract,
    agency section). Returns how many children changed household. Set-based: a few queries
    whatever the number of children. Changes the register (`EDIT_REGISTER`); audited with the
    children that moved, in the same transaction."""
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("your role cannot change the register")
    with transaction.atomic():
        new_households, moves = household_moves(child_ids=child_ids)
        insert_many(Household, new_households)
        update_many(Child, [build(Child, id=child, household_id=household)
                            for child, household in moves.items()], ["household"])
        if moves:
            audit_record(actor=actor, action="update", object_type="household",
                         object_ids=[h.pk for h in new_households], child_ids=list(moves),
                         detail={"households_new": len(new_households), "children": len(moves),
                                 "fields": ["household"]})
    return len(moves)


def household_moves(*, child_ids: Iterable[UUID], known: Mapping[Any, tuple[str, Any]] | None = None
                    ) -> tuple[list[Household], dict[Any, Any]]:
    """What `household_assign` would do, without writing it: (the households to make, each
    child whose household changes -> its household). `known` gives (surname, household id) of
    children not yet written (an import works it out before it writes its children once); the
    addresses and parents must be written already."""
    ids = set(child_ids)
    if not ids:
        return [], {}
    postcodes = {p for (p,) in values_where_in(Address, "child_id", ids, ("postcode",),
                                               is_current=True)}
    rows = _current_addresses(postcodes, known or {})
    parents = _parent_keys([r[0] for r in rows])
    by_address: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_address[address_key(row[1], row[2])].append(row)
    moves: dict[Any, Any] = {}
    new_households: list[Household] = []
    for members in by_address.values():
        if len(members) > 1:
            _join_households(members, parents, moves, new_households)
    return new_households, moves


def _current_addresses(postcodes: set[str], known: Mapping[Any, tuple[str, Any]]
                       ) -> list[tuple[Any, ...]]:
    """(child id, line 1, postcode, surname, household id) of every current address at
    `postcodes`."""
    addresses = values_where_in(Address, "postcode", postcodes, ("child_id", "line_1", "postcode"),
                                is_current=True)
    children = {c[0]: c[1:] for c in values_where_in(
        Child, "id", {a[0] for a in addresses if a[0] not in known},
        ("id", "surname", "household_id"))}
    return [(*a, *(known[a[0]] if a[0] in known else children[a[0]])) for a in addresses]


def _parent_keys(child_ids: list[Any]) -> dict[Any, set[str]]:
    links = values_where_in(ChildParent, "child_id", child_ids, ("child_id", "parent_id"))
    names = dict(values_where_in(Parent, "id", {p for _, p in links}, ("id", "name")))
    keys: dict[Any, set[str]] = defaultdict(set)
    for child_id, parent_id in links:
        keys[child_id].add(fold(names[parent_id]))
    return keys


def _join_households(members: list[tuple[Any, ...]], parents: dict[Any, set[str]],
                     moves: dict[Any, Any], new_households: list[Household]) -> None:
    """Group the children at one address; record in `moves` each child whose household changes
    (to a member's existing household, or to a new one added to `new_households`)."""
    groups: list[list[tuple[Any, ...]]] = []
    for member in members:
        home = next((g for g in groups if any(_related(member, o, parents) for o in g)), None)
        if home is None:
            groups.append([member])
        else:
            home.append(member)
    for group in (g for g in groups if len(g) > 1):
        household_id = next((moves.get(m[0], m[4]) for m in group if moves.get(m[0], m[4])), None)
        if household_id is None:
            household = build(Household)
            new_households.append(household)
            household_id = household.pk
        for member in group:
            if moves.get(member[0], member[4]) != household_id:
                moves[member[0]] = household_id


def _related(a: tuple[Any, ...], b: tuple[Any, ...], parents: dict[Any, set[str]]) -> bool:
    return bool(surname_parts(a[3]) & surname_parts(b[3])) or bool(parents[a[0]] & parents[b[0]])


def normalised_postcode(postcode: str | None) -> str:
    key = postcode_key(postcode)
    return f"{key[:-3]} {key[-3:]}" if len(key) > 3 else key
