"""An agency file into the database, set-based: a million rows in a few statements.

People: the latest identity each record sent (by start date) is compared in Python with what
the source sent before; new people are streamed in, changed ones updated from a scratch table,
both keyed for candidate lookups first (`candidates.person_keys_set`'s keys, worked out by the
engine over an Arrow table). Facts: the file's facts (the last row wins where the file repeats
one), each person's keyed in the file's order; those of people new in the file are streamed in as they are
(nothing of theirs can be stored yet), the others go into a scratch table, are counted against
the stored ones (new; changed: another end date, or new detail text), then applied by one
INSERT ... ON CONFLICT DO UPDATE. A snapshot ends, in one UPDATE, the source's current facts
that the scratch table does not have (all of them are facts of people sent before); first it
counts them, and one that would end more than its share (`max_end_share`) ends nothing.

No model objects are made for facts, and none for people beyond their keys, so memory and time
grow with the file, not with what is stored. PostgreSQL and SQLite run the same statements."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection

from notinschool.core import clock
from notinschool.core.bulk import ordered_uuid_hex
from notinschool.core.rows import (
    arrow_insert,
    arrow_scratch_table,
    db_date,
    db_now,
    db_uuid,
    execute,
    fetch,
    postgres,
    scratch_drop,
)
from notinschool.intake.columnar import ROW, ColumnarRows
from notinschool.intake.parsing import ParsedRow
from notinschool.linkage.candidates import KEY_FIELDS
from notinschool.linkage.models import AgencyFact, AgencyPerson, PersonMatch

IDENTITY = ("forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
            "postcode", "nhs_number", "upn", "parent1_name", "parent2_name")
_AUDIT = ("id", "created_at", "modified_at", "created_by_id", "modified_by_id")
PERSON_COLUMNS = (*_AUDIT, "source", "record_id", *IDENTITY, *KEY_FIELDS.values(), "keys_version")
FACT_COLUMNS = (*_AUDIT, "person_id", "source", "indicator", "start_date", "end_date",
                "ended_by_snapshot", "detail", "batch_id")
_STAGE = "_agency_facts_in"
_CHANGED = "_agency_people_changed"
_BY_RECORD = 5000


@dataclass
class AgencyLoad:
    person_ids: list[str]       # every person of the file, as UUID text (str(uuid)), sorted
    new_facts: int
    changed_facts: int
    ended_facts: int
    children: set[UUID]


class SnapshotTooLarge(Exception):
    """A snapshot would end more than the share of the source's current facts it may."""

    def __init__(self, *, current: int, ending: int):
        self.current, self.ending = current, ending
        super().__init__(f"the snapshot would end {ending} of {current} current facts")


def agency_rows_load(*, source: str, rows: Sequence[ParsedRow], batch_id: UUID,
                     snapshot: bool, max_end_share: float | None = None) -> AgencyLoad:
    """Write the people and facts of one agency file of `source` (inside the caller's
    transaction). `rows` are the file's valid rows: a ColumnarRows (their columns are used as
    they are) or a list of ParsedRow. A snapshot that would end more than `max_end_share` of
    the source's current facts raises SnapshotTooLarge before any fact is written (the caller's
    transaction undoes the people written)."""
    from notinschool.linkage.engine.linking import DUCKDB_CONFIG

    duck = duckdb.connect(config=dict(DUCKDB_CONFIG))
    try:
        duck.register("file_rows", _rows_table(rows))
        people = _people_write(duck, source)
        fresh, staged = _facts_stage(duck, source)
    finally:
        duck.close()
    try:
        if snapshot and max_end_share is not None:
            current, ending = _snapshot_counts(source)
            if ending > max_end_share * current:
                raise SnapshotTooLarge(current=current, ending=ending)
        # before the new people's facts go in: the facts a snapshot ends are the stored ones
        # the scratch table does not have (its facts are the only ones it updates)
        ended = _snapshot_end(source) if snapshot else 0
        new, changed = _facts_apply(fresh, staged, batch_id)
        children = _children_linked()
    finally:
        scratch_drop(_STAGE)
    return AgencyLoad(person_ids=people, new_facts=new, changed_facts=changed,
                      ended_facts=ended, children=children)


def _rows_table(rows: Sequence[ParsedRow]) -> pa.Table:
    """The valid rows' values as columns (`_row` the file row number)."""
    if isinstance(rows, ColumnarRows):
        return rows.values
    names = (*IDENTITY, "record_id", "indicator", "start_date", "end_date", "detail")
    dates = ("date_of_birth", "start_date", "end_date")
    columns = {ROW: pa.array([r.number for r in rows], pa.int32())}
    for name in names:
        columns[name] = pa.array([r.values.get(name) for r in rows],
                                 pa.date32() if name in dates else pa.string())
    return pa.table(columns)


def _people_stored(source: str, record_ids: list[str]) -> pa.Table:
    """The stored people of `source` among `record_ids`: record_id, id (32 hex digits) and the
    identity fields."""
    stored = AgencyPerson.objects.filter(source=source)
    fields = ("record_id", "id", *IDENTITY)
    found: list[tuple[Any, ...]] = []
    if len(record_ids) >= _BY_RECORD:  # a large file: one pass over the source, no huge IN lists
        wanted = set(record_ids)
        found = [r for r in stored.values_list(*fields).iterator(chunk_size=20_000) if r[0] in wanted]
    else:
        for start in range(0, len(record_ids), _BY_RECORD):
            chunk = stored.filter(record_id__in=record_ids[start:start + _BY_RECORD])
            found += chunk.values_list(*fields)
    columns: list[Any] = list(zip(*found, strict=True)) if found else [[] for _ in fields]
    table = {"record_id": pa.array(columns[0], pa.string()),
             "id": pa.array([pk.hex for pk in columns[1]], pa.string())}
    for name, values in zip(IDENTITY, columns[2:], strict=True):
        table[name] = pa.array(values, pa.date32() if name == "date_of_birth" else pa.string())
    return pa.table(table)


def _people_write(duck: Any, source: str) -> list[str]:
    """Insert the new people and update the changed ones (a field the file leaves empty keeps
    what was stored). Returns the id of every person in the file, as UUID text, sorted."""
    texts = [f for f in IDENTITY if f != "date_of_birth"]
    latest_identity = ", ".join(f"COALESCE({f}, '') AS {f}" if f in texts else f for f in IDENTITY)
    duck.execute(f"CREATE TEMP TABLE latest AS SELECT record_id, {latest_identity}, "  # noqa: S608
                 f"min({ROW}) OVER (PARTITION BY record_id) AS first_row FROM file_rows "
                 f"QUALIFY row_number() OVER (PARTITION BY record_id "
                 f"ORDER BY start_date DESC, {ROW} DESC) = 1")
    records = duck.sql("SELECT record_id FROM latest").fetchnumpy()["record_id"].tolist()
    duck.register("stored", _people_stored(source, records))
    # new people, in the order the file first names them (their ids rise in that order)
    new = duck.sql("SELECT l.* FROM latest l ANTI JOIN stored s USING (record_id) "
                   "ORDER BY first_row").to_arrow_table()
    new = new.append_column("id", ordered_uuid_hex(new.num_rows))
    differs = " OR ".join(f"(l.{f} IS NOT NULL AND l.{f} <> s.{f})" if f == "date_of_birth"
                          else f"(l.{f} <> '' AND l.{f} <> s.{f})" for f in IDENTITY)
    merged = ", ".join(f"COALESCE(l.{f}, s.{f}) AS {f}" if f == "date_of_birth"
                       else f"CASE WHEN l.{f} <> '' THEN l.{f} ELSE s.{f} END AS {f}" for f in IDENTITY)
    changed = duck.sql(f"SELECT s.id, l.record_id, {merged} FROM latest l JOIN stored s "  # noqa: S608
                       f"USING (record_id) WHERE {differs}").to_arrow_table()
    duck.register("new_people", new)
    duck.register("changed_people", changed)
    fields = f"id, record_id, {', '.join(IDENTITY)}"
    keyed = duck.sql(f"SELECT {fields} FROM new_people UNION ALL "  # noqa: S608
                     f"SELECT {fields} FROM changed_people").to_arrow_table()
    duck.register("person_keys", _keys(keyed))
    now = db_now()
    identity = ", ".join("p." + f for f in IDENTITY)
    keys = ", ".join("k." + f for f in KEY_FIELDS.values())
    duck.execute(
        f"CREATE TEMP TABLE person_rows AS SELECT p.id, $now AS created_at, "  # noqa: S608
        f"$now AS modified_at, CAST(NULL AS VARCHAR) AS created_by_id, "
        f"CAST(NULL AS VARCHAR) AS modified_by_id, $source AS source, p.record_id, {identity}, "
        f"{keys}, k.keys_version FROM (SELECT {fields} FROM new_people UNION ALL "
        f"SELECT {fields} FROM changed_people) AS p JOIN person_keys k USING (id)",
        {"now": str(now), "source": source})
    fresh = duck.sql("SELECT * FROM person_rows WHERE id IN (SELECT id FROM new_people) "
                     "ORDER BY id").to_arrow_table()
    with built_after(AgencyPerson, fresh.num_rows):
        arrow_insert(AgencyPerson._meta.db_table, fresh)
    if changed.num_rows:
        _people_update(duck.sql("SELECT * FROM person_rows WHERE id IN "
                                "(SELECT id FROM changed_people)").to_arrow_table())
    duck.execute("CREATE TEMP TABLE person_ids AS SELECT record_id, id, TRUE AS new "
                 "FROM new_people UNION ALL SELECT record_id, id, FALSE FROM stored "
                 "WHERE record_id IN (SELECT record_id FROM latest)")
    # as text, sorted, as the batch keeps them for its follow-up (no UUID object each: half a
    # million made and turned back into text cost 2 s of the import)
    text = "||'-'||".join(f"substr(id, {start}, {length})" for start, length in _UUID_PARTS)
    return duck.sql(f"SELECT {text} AS id FROM person_ids ORDER BY id").fetchnumpy()["id"].tolist()  # noqa: S608


_UUID_PARTS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


def _keys(people: pa.Table) -> pa.Table:
    """id -> the candidate keys (KEY_FIELDS' columns, empty when not known) and keys_version,
    as the engine's preparation makes them."""
    from notinschool.linkage import engine
    from notinschool.linkage.linking import COLUMNS

    columns = {"id": people.column("id")}
    for name in COLUMNS[1:]:
        column = people.column(name)
        if name != "date_of_birth":  # an empty field is not known
            column = pc.if_else(pc.equal(column, ""), None, column)
        columns[name] = column
    version = engine.keys_version()
    if people.num_rows:
        keys = engine.blocking_keys(pa.table(columns))
    else:
        keys = pa.table({"id": pa.array([], pa.string()),
                         **{c: pa.array([], pa.string()) for c in KEY_FIELDS}})
    result = {"id": keys.column("id")}
    for column, field in KEY_FIELDS.items():
        result[field] = pc.fill_null(keys.column(column), "")
    result["keys_version"] = pa.array([version] * keys.num_rows, pa.string())
    return pa.table(result)


def _people_update(rows: pa.Table) -> None:
    qn = connection.ops.quote_name
    table = qn(AgencyPerson._meta.db_table)
    written = PERSON_COLUMNS[2:3] + PERSON_COLUMNS[7:]  # modified_at, identity, keys
    types = {"id": "uuid", "modified_at": "timestamptz", "date_of_birth": "date"}
    arrow_scratch_table(_CHANGED, [(c, types.get(c, "text")) for c in PERSON_COLUMNS], rows)
    assignments = ", ".join(f"{qn(c)} = s.{qn(c)}" for c in written)
    try:
        execute(f"UPDATE {table} SET {assignments} FROM {qn(_CHANGED)} AS s "  # noqa: S608
                f"WHERE {table}.id = s.id")
    finally:
        scratch_drop(_CHANGED)


def _facts_stage(duck: Any, source: str) -> tuple[pa.Table, int]:
    """The file's facts (the last row wins where a fact repeats), each person's keyed in the
    order of the file's rows. Those of people the source had sent before go into the scratch table, to be
    compared with what is stored; those of the people new in this file are returned as they
    will be stored (none of them can be stored yet), with how many were staged."""
    facts = duck.sql(f"SELECT p.id AS person_id, p.new, $source AS source, f.indicator, "  # noqa: S608
                     f"f.start_date, "
                     f"f.end_date, COALESCE(f.detail, '') AS detail FROM file_rows f "
                     f"JOIN person_ids p USING (record_id) "
                     f"QUALIFY row_number() OVER (PARTITION BY f.record_id, f.indicator, "
                     f"f.start_date ORDER BY f.{ROW} DESC) = 1 ORDER BY p.id, f.{ROW}",
                     params={"source": source}).to_arrow_table()
    # keys rise person by person, each person's facts in the file's order: a person's facts
    # are read back in key order (the order in which a rule lists them as its evidence), and
    # rows in the order of both the key index and the person's unique index go into their
    # ends (1,000,000 new facts: 5.2 s where the file's order took 7.7 s)
    facts = facts.add_column(0, "id", ordered_uuid_hex(facts.num_rows))
    new = facts.column("new")
    fresh = facts.filter(new).drop_columns(["new"])
    staged = facts.filter(pc.invert(new))
    arrow_scratch_table(_STAGE, [("id", "uuid"), ("person_id", "uuid"), ("source", "text"),
                                 ("indicator", "text"), ("start_date", "date"), ("end_date", "date"),
                                 ("detail", "text")], staged)
    execute(f"CREATE INDEX ON {_STAGE} (person_id, indicator, start_date)" if postgres() else
            f"CREATE INDEX {_STAGE}_key ON {_STAGE} (person_id, indicator, start_date)")
    return fresh, staged.num_rows


def _differs(s: str = "s") -> str:
    """Stored fact f differs from the file's fact `s`: another end date, or detail text it did
    not have."""
    distinct = "IS DISTINCT FROM" if postgres() else "IS NOT"
    return f"(f.end_date {distinct} {s}.end_date OR ({s}.detail <> '' AND f.detail <> {s}.detail))"


def _facts_apply(fresh: pa.Table, staged: int, batch_id: UUID) -> tuple[int, int]:
    """Store the new people's facts as they are (one stream, no comparison: nothing of theirs
    is stored), and the staged ones against what is stored: new, or changed (another end
    date, or new detail text). Returns how many facts were new and how many changed."""
    facts = AgencyFact._meta.db_table
    known = changed = 0
    if staged:
        same = ("f.person_id = s.person_id AND f.indicator = s.indicator "
                "AND f.start_date = s.start_date")
        [(known, changed)] = fetch(
            f"SELECT COUNT(*), COUNT(CASE WHEN {_differs()} THEN 1 END) FROM {_STAGE} AS s "  # noqa: S608
            f"JOIN {facts} AS f ON {same}")
    new = fresh.num_rows + staged - int(known)
    now = db_now()
    columns = ", ".join(FACT_COLUMNS)
    with built_after(AgencyFact, new):
        if fresh.num_rows:
            arrow_insert(facts, _fact_rows(fresh, now, batch_id))
        if staged:
            execute(
                f"INSERT INTO {facts} AS f ({columns}) "  # noqa: S608
                f"SELECT s.id, %s, %s, NULL, NULL, s.person_id, s.source, s.indicator, "
                f"s.start_date, s.end_date, FALSE, s.detail, %s FROM {_STAGE} AS s WHERE TRUE "
                f"ON CONFLICT (person_id, indicator, start_date) DO UPDATE SET "
                f"end_date = excluded.end_date, ended_by_snapshot = FALSE, "
                f"modified_at = excluded.modified_at, "
                f"detail = CASE WHEN excluded.detail <> '' THEN excluded.detail ELSE f.detail END "
                f"WHERE {_differs('excluded')}",
                [now, now, db_uuid()(batch_id)])
    return new, int(changed)


def _fact_rows(fresh: pa.Table, now: Any, batch_id: UUID) -> pa.Table:
    """New people's facts as AgencyFact rows (FACT_COLUMNS), for `arrow_insert`."""
    rows = fresh.num_rows
    made = {"created_at": pa.repeat(pa.scalar(str(now)), rows),
            "modified_at": pa.repeat(pa.scalar(str(now)), rows),
            "created_by_id": pa.nulls(rows, pa.string()),
            "modified_by_id": pa.nulls(rows, pa.string()),
            "ended_by_snapshot": pa.repeat(pa.scalar(False), rows),
            "batch_id": pa.repeat(pa.scalar(batch_id.hex), rows)}
    return pa.table({c: made[c] if c in made else fresh.column(c) for c in FACT_COLUMNS})


BULK_ROWS = 50_000
"""A load of at least this many new rows, and at least half as many as the table holds, is a
bulk load (see `built_after`)."""


@contextmanager
def built_after(model: Any, new_rows: int) -> Iterator[None]:
    """For a bulk load on PostgreSQL (the first load of a large file, say): the table's plain
    indexes, and the foreign keys from its rows to agency people, are dropped before the rows go
    in and made again after, in the same transaction. Building an index from all rows at once
    (a sort) costs a fraction of inserting a million rows into it one at a time, and one join
    checks the foreign key where the commit would check each row. Unique indexes stay (they keep
    the rows unique as they go in). The table is locked against other sessions until the
    commit, as for any large import. Otherwise, and on SQLite: nothing."""
    table = model._meta.db_table
    if not (postgres() and new_rows >= BULK_ROWS
            and new_rows * 2 >= _rows_estimate(table)):
        yield
        return
    indexes = fetch(
        "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT x.indisunique AND NOT x.indisprimary", [table])
    keys = fetch(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
        "AND conrelid = %s::regclass AND confrelid = %s::regclass",
        [table, AgencyPerson._meta.db_table])
    qn = connection.ops.quote_name
    # checks this transaction has queued must run first (the table is altered): run them now,
    # and defer again what Django defers
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET CONSTRAINTS ALL DEFERRED")
    for name, _definition in keys:
        execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    for name, _definition in indexes:
        execute(f"DROP INDEX {qn(name)}")
    yield
    execute("SET LOCAL maintenance_work_mem = '256MB'")  # one sort in memory, not on disk
    for _name, definition in indexes:
        execute(definition)
    for name, definition in keys:
        execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


def _rows_estimate(table: str) -> int:
    [(rows,)] = fetch("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
                      [table])
    return int(rows)


_CURRENT = "source = %s AND (end_date IS NULL OR end_date > %s)"  # a source's current facts


def _not_staged(facts: str) -> str:
    return (f"NOT EXISTS (SELECT 1 FROM {_STAGE} AS s WHERE s.person_id = {facts}.person_id "  # noqa: S608
            f"AND s.indicator = {facts}.indicator AND s.start_date = {facts}.start_date)")


def current_facts(source: str) -> int:
    """How many facts of `source` are current (no end date, or one after today)."""
    facts = AgencyFact._meta.db_table
    [(count,)] = fetch(f"SELECT COUNT(*) FROM {facts} WHERE {_CURRENT}",  # noqa: S608
                       [source, db_date()(clock.today())])
    return int(count)


def _snapshot_counts(source: str) -> tuple[int, int]:
    """The source's current facts, and how many of them the staged snapshot would end."""
    facts = AgencyFact._meta.db_table
    [(current, ending)] = fetch(
        f"SELECT COUNT(*), COUNT(CASE WHEN {_not_staged(facts)} THEN 1 END) "  # noqa: S608
        f"FROM {facts} WHERE {_CURRENT}", [source, db_date()(clock.today())])
    return int(current), int(ending)


def _snapshot_end(source: str) -> int:
    """End the source's current facts that the snapshot no longer has."""
    facts = AgencyFact._meta.db_table
    today, now = db_date()(clock.today()), db_now()
    return execute(
        f"UPDATE {facts} SET end_date = %s, ended_by_snapshot = TRUE, modified_at = %s "  # noqa: S608
        f"WHERE {_CURRENT} AND {_not_staged(facts)}", [today, now, source, today])


def _children_linked() -> set[UUID]:
    """Register children linked to the people of the staged facts (the people new in the file
    are linked to nobody yet)."""
    matches = PersonMatch._meta.db_table
    found = fetch(f"SELECT DISTINCT child_id FROM {matches} WHERE person_id IN "  # noqa: S608
                  f"(SELECT person_id FROM {_STAGE})")
    return {_as_uuid(child) for (child,) in found}


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
