"""An agency file into the database, set-based: a million rows in a few statements.

People: the latest identity each record sent (by start date) is compared in Python with what
the source sent before; new people are streamed in, changed ones updated from a scratch table,
both keyed for candidate lookups first (`candidates.person_keys_set`'s keys, worked out by the
engine over an Arrow table). Facts: the file's facts (the last row wins where the file repeats
one) go into a scratch table, are counted against the stored ones (new; changed: another end
date, or new detail text), then applied by one INSERT ... ON CONFLICT DO UPDATE. A snapshot
ends, in one UPDATE, the source's current facts that the scratch table does not have.

No model objects are made for facts, and none for people beyond their keys, so memory and time
grow with the file, not with what is stored. PostgreSQL and SQLite run the same statements."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pyarrow as pa
from django.db import connection

from notinschool.core import clock
from notinschool.core.rows import (
    db_date,
    db_now,
    db_uuid,
    execute,
    fetch,
    ordered_uuid_texts,
    ordered_uuids,
    postgres,
    rows_insert,
    scratch_drop,
    scratch_table,
)
from notinschool.intake.parsing import ParsedRow
from notinschool.linkage.candidates import KEY_FIELDS
from notinschool.linkage.models import AgencyFact, AgencyPerson, PersonMatch

IDENTITY = ("forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
            "postcode", "nhs_number", "upn", "parent1_name", "parent2_name")
_DOB = IDENTITY.index("date_of_birth")
_AUDIT = ("id", "created_at", "modified_at", "created_by_id", "modified_by_id")
PERSON_COLUMNS = (*_AUDIT, "source", "record_id", *IDENTITY, *KEY_FIELDS.values(), "keys_version")
FACT_COLUMNS = (*_AUDIT, "person_id", "source", "indicator", "start_date", "end_date",
                "ended_by_snapshot", "detail", "batch_id")
_STAGE = "_agency_facts_in"
_CHANGED = "_agency_people_changed"
_BY_RECORD = 5000


@dataclass
class AgencyLoad:
    person_ids: list[UUID]
    new_facts: int
    changed_facts: int
    ended_facts: int
    children: set[UUID]


def agency_rows_load(*, source: str, rows: list[ParsedRow], batch_id: UUID, snapshot: bool) -> AgencyLoad:
    """Write the people and facts of one agency file of `source` (inside the caller's
    transaction)."""
    people = _people_write(source, _latest_identities(rows))
    facts = _facts_stage(rows, people, source)
    try:
        new, changed = _facts_apply(facts, batch_id)
        ended = _snapshot_end(source) if snapshot else 0
        children = _children_linked()
    finally:
        scratch_drop(_STAGE)
    return AgencyLoad(person_ids=list(people.values()), new_facts=new, changed_facts=changed,
                      ended_facts=ended, children=children)


def _latest_identities(rows: list[ParsedRow]) -> dict[str, tuple[Any, ...]]:
    """record_id -> identity fields (empty text, or None for a missing date of birth) from the
    row with the latest start date."""
    latest: dict[str, tuple[dt.date, tuple[Any, ...]]] = {}
    for row in rows:
        v = row.values
        start, record = v["start_date"], v["record_id"]
        seen = latest.get(record)
        if seen is None or start >= seen[0]:
            latest[record] = (start, tuple(v.get(f) or ("" if f != "date_of_birth" else None)
                                           for f in IDENTITY))
    return {record: identity for record, (_start, identity) in latest.items()}


def _people_stored(source: str, record_ids: list[str]) -> dict[str, tuple[UUID, tuple[Any, ...]]]:
    stored = AgencyPerson.objects.filter(source=source)
    fields = ("record_id", "id", *IDENTITY)
    if len(record_ids) >= _BY_RECORD:  # a large file: one pass over the source, no huge IN lists
        wanted = set(record_ids)
        return {r[0]: (r[1], tuple(r[2:])) for r in stored.values_list(*fields).iterator(chunk_size=20_000)
                if r[0] in wanted}
    found: dict[str, tuple[UUID, tuple[Any, ...]]] = {}
    for start in range(0, len(record_ids), _BY_RECORD):
        chunk = stored.filter(record_id__in=record_ids[start:start + _BY_RECORD])
        found.update({r[0]: (r[1], tuple(r[2:])) for r in chunk.values_list(*fields)})
    return found


def _people_write(source: str, latest: dict[str, tuple[Any, ...]]) -> dict[str, UUID]:
    """Insert the new people and update the changed ones (a field the file leaves empty keeps
    what was stored). Returns record_id -> person id for every person in the file."""
    stored = _people_stored(source, list(latest))
    ids: dict[str, UUID] = {}
    new_id = ordered_uuids()
    new: list[tuple[UUID, str, tuple[Any, ...]]] = []
    changed: list[tuple[UUID, str, tuple[Any, ...]]] = []
    for record, identity in latest.items():
        found = stored.get(record)
        if found is None:
            pk = new_id()
            new.append((pk, record, identity))
        else:
            pk, before = found
            if any(value and value != was for value, was in zip(identity, before, strict=True)):
                merged = tuple(value or was for value, was in zip(identity, before, strict=True))
                changed.append((pk, record, merged))
        ids[record] = pk
    keys = _keys(new + changed)
    uuid_, date_, now = db_uuid(), db_date(), db_now()

    def person_row(pk: UUID, record: str, identity: tuple[Any, ...]) -> list[Any]:
        values = list(identity)
        values[_DOB] = date_(values[_DOB])
        return [uuid_(pk), now, now, None, None, source, record, *values, *keys[pk]]

    rows_insert(AgencyPerson._meta.db_table, PERSON_COLUMNS, (person_row(*p) for p in new))
    if changed:
        _people_update([person_row(*p) for p in changed])
    return ids


def _keys(people: list[tuple[UUID, str, tuple[Any, ...]]]) -> dict[UUID, tuple[str, ...]]:
    """pk -> the candidate keys (in KEY_FIELDS order) and the keys version."""
    from notinschool.linkage import engine
    from notinschool.linkage.linking import COLUMNS

    if not people:
        return {}
    columns = {"id": pa.array([str(pk) for pk, _r, _i in people], type=pa.string())}
    for name in COLUMNS[1:]:
        index = IDENTITY.index(name)
        columns[name] = pa.array([identity[index] or None for _pk, _r, identity in people],
                                 type=pa.date32() if name == "date_of_birth" else pa.string())
    keys = engine.blocking_keys(pa.table(columns)).to_pydict()
    version = engine.keys_version()
    by_id = {str(pk): pk for pk, _r, _i in people}
    key_columns = [keys[column] for column in KEY_FIELDS]
    return {by_id[pk]: (*(column[i] or "" for column in key_columns), version)
            for i, pk in enumerate(keys["id"])}


def _people_update(rows: list[list[Any]]) -> None:
    qn = connection.ops.quote_name
    table = qn(AgencyPerson._meta.db_table)
    written = PERSON_COLUMNS[2:3] + PERSON_COLUMNS[7:]  # modified_at, identity, keys
    types = {"id": "uuid", "modified_at": "timestamptz", "date_of_birth": "date"}
    scratch_table(_CHANGED, [(c, types.get(c, "text")) for c in PERSON_COLUMNS],
                  rows)
    assignments = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in written)
    try:
        execute(f"UPDATE {table} SET {assignments} FROM {qn(_CHANGED)} AS s "  # noqa: S608
                f"WHERE {table}.id = s.id")
    finally:
        scratch_drop(_CHANGED)


def _facts_stage(rows: list[ParsedRow], people: dict[str, UUID], source: str) -> int:
    """The file's facts into the scratch table (the last row wins where a fact repeats)."""
    uuid_, date_ = db_uuid(), db_date()
    new_id = ordered_uuid_texts()  # new facts go into the end of the key index
    facts: dict[tuple[str, str, dt.date], tuple[Any, ...]] = {}
    for row in rows:
        v = row.values
        record, indicator, start = v["record_id"], v["indicator"], v["start_date"]
        facts[(record, indicator, start)] = (new_id(), uuid_(people[record]), source,
                                            indicator, date_(start), date_(v["end_date"]),
                                            v["detail"] or "")
    scratch_table(_STAGE, [("id", "uuid"), ("person_id", "uuid"), ("source", "text"),
                           ("indicator", "text"), ("start_date", "date"), ("end_date", "date"),
                           ("detail", "text")], facts.values())
    execute(f"CREATE INDEX ON {_STAGE} (person_id, indicator, start_date)" if postgres() else
            f"CREATE INDEX {_STAGE}_key ON {_STAGE} (person_id, indicator, start_date)")
    return len(facts)


def _differs(s: str = "s") -> str:
    """Stored fact f differs from the file's fact `s`: another end date, or detail text it did
    not have."""
    distinct = "IS DISTINCT FROM" if postgres() else "IS NOT"
    return f"(f.end_date {distinct} {s}.end_date OR ({s}.detail <> '' AND f.detail <> {s}.detail))"


def _facts_apply(staged: int, batch_id: UUID) -> tuple[int, int]:
    facts = AgencyFact._meta.db_table
    same = "f.person_id = s.person_id AND f.indicator = s.indicator AND f.start_date = s.start_date"
    [(known, changed)] = fetch(
        f"SELECT COUNT(*), COUNT(CASE WHEN {_differs()} THEN 1 END) FROM {_STAGE} AS s "  # noqa: S608
        f"JOIN {facts} AS f ON {same}")
    now = db_now()
    columns = ", ".join(FACT_COLUMNS)
    execute(
        f"INSERT INTO {facts} AS f ({columns}) "  # noqa: S608
        f"SELECT s.id, %s, %s, NULL, NULL, s.person_id, s.source, s.indicator, s.start_date, "
        f"s.end_date, FALSE, s.detail, %s FROM {_STAGE} AS s WHERE TRUE "
        f"ON CONFLICT (person_id, indicator, start_date) DO UPDATE SET "
        f"end_date = excluded.end_date, ended_by_snapshot = FALSE, modified_at = excluded.modified_at, "
        f"detail = CASE WHEN excluded.detail <> '' THEN excluded.detail ELSE f.detail END "
        f"WHERE {_differs('excluded')}",
        [now, now, db_uuid()(batch_id)])
    return staged - int(known), int(changed)


def _snapshot_end(source: str) -> int:
    """End the source's current facts that the snapshot no longer has."""
    facts = AgencyFact._meta.db_table
    today, now = db_date()(clock.today()), db_now()
    return execute(
        f"UPDATE {facts} SET end_date = %s, ended_by_snapshot = TRUE, modified_at = %s "  # noqa: S608
        f"WHERE source = %s AND (end_date IS NULL OR end_date > %s) AND NOT EXISTS ("
        f"SELECT 1 FROM {_STAGE} AS s WHERE s.person_id = {facts}.person_id "
        f"AND s.indicator = {facts}.indicator AND s.start_date = {facts}.start_date)",
        [today, now, source, today])


def _children_linked() -> set[UUID]:
    """Register children linked to the people of the staged facts."""
    matches = PersonMatch._meta.db_table
    found = fetch(f"SELECT DISTINCT child_id FROM {matches} WHERE person_id IN "  # noqa: S608
                  f"(SELECT person_id FROM {_STAGE})")
    return {_as_uuid(child) for (child,) in found}


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
