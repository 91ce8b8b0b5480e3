"""Linking people: register x agency, register x register, and households.

The working set lives in DuckDB (a file in ``workdir`` when one is given, else memory); data
comes in and results go out as Arrow. Python only builds the small result objects.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa
from splink import Linker

from .model import (
    AUTO_THRESHOLD,
    REVIEW_ONLY_LEVELS,
    REVIEW_THRESHOLD,
    REVIEW_UNLESS,
    REVIEW_UNLESS_TWINS_RARE,
    ModelSpec,
    default_model,
    twins_rare,
)
from .plans import RecordingAPI, plan_get, plan_record
from .prepare import conform, prepare, register_nicknames

logger = logging.getLogger(__name__)

REGISTER_TABLE = "nin_register"
AGENCY_TABLE = "nin_agency"
_REGISTER_NAME = "register_people"
_AGENCY_NAME = "agency_people"

HOUSEHOLD_BLOCKING_RULE = "l.pc = r.pc AND l.addr = r.addr"

STAGES: tuple[str, ...] = ("prepare", "blocking", "scoring", "selection")
"""The stages of a linking run, in order, as passed to an ``on_stage`` callback (which is
also called with ``"check"`` after blocking when known pairs are checked, and with ``"done"``
at the end)."""

StageCallback = Callable[[str], None]

# DuckDB never fetches code from the network: extensions come only from inside the package.
DuckDBConfig = dict[str, str | bool | int | float | list[str]]

DUCKDB_CONFIG: DuckDBConfig = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}

ENV_THREADS = "NOTINSCHOOL_LINKAGE_THREADS"
ENV_MEMORY_LIMIT = "NOTINSCHOOL_LINKAGE_MEMORY_LIMIT"
ENV_TEMP_DIRECTORY = "NOTINSCHOOL_LINKAGE_TMP"


@dataclass
class LinkStats:
    """Counts from one linking run, filled in when passed to :func:`link_people_table`.

    ``checked_pairs`` and ``checked_pairs_blocked`` are set only when known pairs were given
    (``check_pairs``): how many of them the blocking rules produced as candidates, that is
    the blocking's pair completeness on those pairs.
    """

    register_records: int = 0
    agency_records: int = 0
    blocked_pairs: int = 0
    scored_pairs: int = 0
    selected_pairs: int = 0
    checked_pairs: int = 0
    checked_pairs_blocked: int = 0


def _stage(on_stage: StageCallback | None, name: str) -> None:
    if on_stage is not None:
        on_stage(name)


@dataclass(frozen=True)
class FieldEvidence:
    """How one comparison contributed to a match.

    ``field`` is the comparison (``forename``, ``middle_names``, ``surname``,
    ``date_of_birth``, ``address``, ``sex``, ``identifiers``), ``label`` the level that
    applied (``exact``, ``nickname match``, ``day/month swapped``, ``different``,
    ``not known``...) and ``weight`` its match weight (log2 Bayes factor; 0 when not known).
    """

    field: str
    label: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class Match:
    """A scored pair of records thought to be the same person.

    ``weight`` is the total match weight: the prior's log2 odds plus every evidence weight;
    ``probability`` is the same thing as a probability.
    """

    left_id: str
    right_id: str
    probability: float
    weight: float
    evidence: tuple[FieldEvidence, ...]

    @property
    def is_automatic(self) -> bool:
        """True when the match may be applied without a person."""
        return self.probability >= AUTO_THRESHOLD

    def evidence_as_dicts(self) -> list[dict[str, Any]]:
        """The evidence as JSON-ready dictionaries."""
        return [e.as_dict() for e in self.evidence]


class _Workspace:
    """One DuckDB connection holding the prepared tables for a run.

    ``threads``, ``memory_limit`` (DuckDB syntax, ``"2GB"``) and ``temp_directory`` (where
    DuckDB spills when over the limit) default to the environment variables
    NOTINSCHOOL_LINKAGE_THREADS, NOTINSCHOOL_LINKAGE_MEMORY_LIMIT and NOTINSCHOOL_LINKAGE_TMP,
    then to DuckDB's own defaults (all cores, 80% of memory; spills go to ``workdir`` when
    one is given).
    """

    def __init__(
        self,
        workdir: Path | None = None,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: Path | None = None,
    ) -> None:
        self.workdir = Path(workdir) if workdir is not None else None
        self.threads = threads or int(os.environ.get(ENV_THREADS) or 0) or None
        self.memory_limit = memory_limit or os.environ.get(ENV_MEMORY_LIMIT) or None
        tmp = temp_directory or os.environ.get(ENV_TEMP_DIRECTORY)
        if tmp is None and self.workdir is not None:
            tmp = self.workdir / "duckdb_tmp"
        self.temp_directory = Path(tmp) if tmp else None
        self.con: duckdb.DuckDBPyConnection
        self.tables: list[tuple[str, str]] = []
        self._apis: list[RecordingAPI] = []
        self._pending: pa.Table | None = None

    def __enter__(self) -> _Workspace:
        config: DuckDBConfig = dict(DUCKDB_CONFIG)
        config["preserve_insertion_order"] = False
        if self.threads:
            config["threads"] = self.threads
        if self.memory_limit:
            config["memory_limit"] = self.memory_limit
        if self.temp_directory is not None:
            config["temp_directory"] = self.temp_directory.as_posix()
        if self.workdir is not None:
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.workdir / "linkage.duckdb"), config=config)
        else:
            self.con = duckdb.connect(config=config)
        self.con.execute("SET enable_progress_bar = false")
        register_nicknames(self.con)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            for api in self._apis:
                api.delete_tables_created_by_splink_from_db()
        finally:
            self.con.close()

    def load(self, register: pa.Table, agency: pa.Table | None = None, *,
             staged: bool = False) -> None:
        """Prepare the tables. ``staged``: of the agency records, only the blocking keys now;
        :meth:`complete` prepares the rest of the records in a candidate pair (the model's
        blocking rules join on those keys alone: see :data:`.prepare.BLOCKING_COLUMNS`)."""
        prepare(self.con, register, REGISTER_TABLE)
        self.tables = [(REGISTER_TABLE, _REGISTER_NAME)]
        if agency is not None:
            if staged:
                agency = conform(agency)
                prepare(self.con, agency, AGENCY_TABLE, keys_only=True, checked=True)
                self._pending = agency
            else:
                prepare(self.con, agency, AGENCY_TABLE)
            self.tables.append((AGENCY_TABLE, _AGENCY_NAME))

    def load_agency(self, agency: pa.Table) -> None:
        """Replace the agency table by ``agency``, staged (as :meth:`load` with ``staged``):
        one chunk of a run that reads the agency side a part at a time."""
        agency = conform(agency)
        prepare(self.con, agency, AGENCY_TABLE, keys_only=True, checked=True)
        self._pending = agency
        if (AGENCY_TABLE, _AGENCY_NAME) not in self.tables:
            self.tables.append((AGENCY_TABLE, _AGENCY_NAME))

    def complete(self, blocked: str) -> None:
        """After a staged :meth:`load`: prepare in full the agency records that are in a pair
        of ``blocked`` (Splink's blocked pairs), in place of their keys."""
        if self._pending is None:
            return
        prefix = f"{_AGENCY_NAME}-__-"
        ids = " UNION ".join(
            f"SELECT substr(join_key_{side}, {len(prefix) + 1}) FROM {blocked} "
            f"WHERE starts_with(join_key_{side}, '{prefix}')"
            for side in ("l", "r")
        )
        prepare(self.con, self._pending, AGENCY_TABLE, only_ids=ids, checked=True)
        self._pending = None

    def linker(self, settings: dict[str, Any]) -> tuple[RecordingAPI, Linker]:
        api = RecordingAPI(self.con)
        self._apis.append(api)
        inputs = [api.register(physical, dataset_display_name=name)
                  for physical, name in self.tables]  # fmt: skip
        if len(inputs) == 1:
            return api, Linker(inputs[0], settings, log_level=None, validate_settings=False)
        return api, Linker(inputs, settings, log_level=None, validate_settings=False)

    def drop(self, table: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def count(self, table: str) -> int:
        rows = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()
        return int(rows[0][0])


# Just below AUTO_THRESHOLD, as a probability and as a match weight (log2 odds).
_REVIEW_CAP = AUTO_THRESHOLD - 1e-6
_REVIEW_CAP_WEIGHT = math.log2(_REVIEW_CAP / (1 - _REVIEW_CAP))


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _review_only(name: str, label: str, rare_twins: bool = False) -> str:
    """SQL: the pair rests on the review-only level ``label`` of ``name`` and nothing lifts it
    (:data:`.model.REVIEW_UNLESS`; with ``rare_twins``, :data:`.model.REVIEW_UNLESS_TWINS_RARE`
    too)."""
    condition = f"{name}_label = {_sql_text(label)}"
    unless = REVIEW_UNLESS.get((name, label))
    if unless:
        corroborated = " AND ".join(f"{n}_label = {_sql_text(v)}" for n, v in unless)
        condition = f"({condition} AND NOT ({corroborated}))"
    lifted = REVIEW_UNLESS_TWINS_RARE.get((name, label)) if rare_twins else None
    if lifted:
        corroborated = " AND ".join(
            f"{n}_label IN ({', '.join(_sql_text(v) for v in values)})" for n, values in lifted)
        condition = f"({condition} AND NOT ({corroborated}))"
    return condition


def _results_sql(physical: str, model: ModelSpec, dedupe: bool, best_only: bool,
                 homes: bool = False) -> str:
    """The result table of a run from Splink's predictions. ``homes`` (link only): also the
    agency record's postcode and first address line as prepared (``nin_home_pc``,
    ``nin_home_addr``), for :func:`_per_child`."""
    if dedupe:
        left = "least(unique_id_l, unique_id_r)"
        right = "greatest(unique_id_l, unique_id_r)"
    else:
        left = f"CASE WHEN source_dataset_l = '{_REGISTER_NAME}' THEN unique_id_l ELSE unique_id_r END"
        right = f"CASE WHEN source_dataset_l = '{_REGISTER_NAME}' THEN unique_id_r ELSE unique_id_l END"
    columns = [f"{left} AS left_id", f"{right} AS right_id",
               "match_probability AS probability", "match_weight AS weight"]  # fmt: skip
    if homes and not dedupe:
        for column in ("pc", "addr"):
            columns.append(f"CASE WHEN source_dataset_l = '{_REGISTER_NAME}' THEN {column}_r "
                           f"ELSE {column}_l END AS nin_home_{column}")  # fmt: skip
    for name, labels in model.level_labels().items():
        cases = " ".join(f"WHEN {value} THEN {_sql_text(label)}" for value, label in labels.items())
        columns.append(f"CASE gamma_{name} {cases} END AS {name}_label")
        columns.append(f"coalesce(mw_{name}, 0.0) AS {name}_weight")
    # Some levels never let a match apply without a person (twins' names can be alike).
    rare = twins_rare(model)
    review_only = " OR ".join(_review_only(name, label, rare)
                              for name, label in sorted(REVIEW_ONLY_LEVELS)) or "FALSE"  # fmt: skip
    capped = (f"* REPLACE (CASE WHEN {review_only} THEN least(probability, {_REVIEW_CAP!r}) "
              f"ELSE probability END AS probability, CASE WHEN {review_only} THEN "
              f"least(weight, {_REVIEW_CAP_WEIGHT!r}) ELSE weight END AS weight)")  # fmt: skip
    # An agency record is one person: it stays linked only to the register record(s) it
    # matches best (several only on an exact tie, e.g. a child registered twice).
    qualify = " QUALIFY weight = max(weight) OVER (PARTITION BY right_id)" if best_only else ""
    return (
        f"SELECT {capped} FROM (SELECT {', '.join(columns)} FROM {physical}){qualify} "
        "ORDER BY left_id, probability DESC, right_id"
    )


def _check_blocked(ws: _Workspace, blocked_table: str, pairs: pa.Table, stats: LinkStats) -> None:
    """Count how many of the known (register id, agency id) ``pairs`` were blocked (added to
    ``stats.checked_pairs_blocked``, so that the chunks of one run add up; ``checked_pairs``
    is the number of distinct known pairs)."""
    ws.con.register("nin_check_pairs", pairs.select([0, 1]).rename_columns(["l", "r"]))
    try:
        rows = ws.con.execute(
            f"""
            WITH c AS (
                SELECT DISTINCT
                    '{_REGISTER_NAME}-__-' || CAST(l AS VARCHAR) AS kreg,
                    '{_AGENCY_NAME}-__-' || CAST(r AS VARCHAR) AS kag
                FROM nin_check_pairs
            )
            SELECT count(*),
                   count(*) FILTER (WHERE a.join_key_l IS NOT NULL OR b.join_key_l IS NOT NULL)
            FROM c
            LEFT JOIN {blocked_table} AS a ON a.join_key_l = c.kreg AND a.join_key_r = c.kag
            LEFT JOIN {blocked_table} AS b ON b.join_key_l = c.kag AND b.join_key_r = c.kreg
            """
        ).fetchall()
    finally:
        ws.con.unregister("nin_check_pairs")
    stats.checked_pairs = int(rows[0][0])
    stats.checked_pairs_blocked += int(rows[0][1])


def _score(
    ws: _Workspace,
    model: ModelSpec,
    link_type: str,
    threshold: float | None,
    blocking_rules: tuple[str, ...] | None = None,
    *,
    population: int | None = None,
    best_only: bool = False,
    homes: bool = False,
    on_stage: StageCallback | None = None,
    stats: LinkStats | None = None,
    check_pairs: pa.Table | None = None,
) -> pa.Table:
    settings = model.settings_for(link_type, blocking_rules, population)
    prior = float(settings["probability_two_random_records_match"])
    # Some levels are set from the prior (model.py's _replaced_levels_set for a model weighed
    # by its register's counts, _household_u_scaled for a default one): those weights are in
    # the recorded SQL, so the prior is in the key.
    key = (model.to_json(), link_type, blocking_rules, threshold, prior)
    plan = plan_get(key)
    _stage(on_stage, "blocking")
    if plan is None:  # the first run of its kind goes through Splink, and is recorded
        api, linker = ws.linker(settings)
        blocked_pairs = linker.inference.compute_blocked_pairs_for_predict()
        blocked, recorded = blocked_pairs.physical_name, len(api.statements)
    else:
        plan.run(ws.con, plan.blocking, prior)
        blocked = plan.blocked
    if stats is not None:
        stats.blocked_pairs += ws.count(blocked)
        if check_pairs is not None and link_type == "link_only":
            _stage(on_stage, "check")
            _check_blocked(ws, blocked, check_pairs, stats)
    _stage(on_stage, "scoring")
    ws.complete(blocked)
    if plan is None:
        # Scoring the registered pairs lets Splink keep only the records that are in a pair
        # before joining them to the pairs (about half the time of joining everyone).
        linker.table_management.register_blocked_pairs_for_predict(blocked_pairs)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        ).physical_name
        plan_record(key, prior, api.statements[:recorded], api.statements[recorded:],
                    blocked, predictions)  # fmt: skip
    else:
        plan.run(ws.con, plan.scoring, prior)
        predictions = plan.predictions
    ws.drop(blocked)
    if stats is not None:
        stats.scored_pairs += ws.count(predictions)
    _stage(on_stage, "selection")
    sql = _results_sql(predictions, model, link_type == "dedupe_only",
                       best_only and link_type == "link_only", homes)  # fmt: skip
    table = ws.con.sql(sql).to_arrow_table()
    ws.drop(predictions)
    if stats is not None:
        stats.selected_pairs += table.num_rows
    return table


type AgencyInput = pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch | pa.Table]
"""Agency records as :func:`link_people_table` takes them: one table, or a stream of parts
(an Arrow record batch reader, or any iterable of batches or tables) read a part at a time."""

DEFAULT_CHUNK_ROWS = 2_000_000
"""Agency records linked at a time by :func:`link_people_table`: the working set stays about
the same whatever the size of the agency side."""


def _chunks(agency: AgencyInput, chunk_rows: int) -> Iterator[pa.Table]:
    """``agency`` in parts of about ``chunk_rows`` records (at least one part, maybe empty)."""
    if isinstance(agency, pa.Table):
        if agency.num_rows <= chunk_rows:
            yield agency
            return
        for start in range(0, agency.num_rows, chunk_rows):
            yield agency.slice(start, chunk_rows)
        return
    parts: list[pa.Table] = []
    rows = 0
    yielded = False
    for part in agency:
        table = part if isinstance(part, pa.Table) else pa.Table.from_batches([part])
        parts.append(table)
        rows += table.num_rows
        if rows >= chunk_rows:
            yield pa.concat_tables(parts).combine_chunks()
            parts, rows, yielded = [], 0, True
    if parts or not yielded:
        yield pa.concat_tables(parts).combine_chunks() if parts else pa.table(
            {"id": pa.array([], pa.string())})


def _per_child(table: pa.Table) -> pa.Table:
    """One child, one decision: a register record with an automatic match keeps, of its
    pairs waiting for review, only those whose agency record lives at the home (postcode and
    first address line) of one of its automatically matched records. A child found for
    certain is not also shown a namesake elsewhere: among ten million people, someone of
    the same name and birthday at another address is more often another child than the
    child's own old record (100,000 x 1,000,000 synthetic records: 325 such pairs wrong, 17
    true). Drops the ``nin_home_*`` columns."""
    con = duckdb.connect(config=dict(DUCKDB_CONFIG))
    try:
        con.register("nin_pairs", table)
        auto = f"probability >= {AUTO_THRESHOLD!r}"
        return con.sql(f"""
            SELECT * EXCLUDE (nin_home_pc, nin_home_addr) FROM nin_pairs AS p
            WHERE {auto}
               OR NOT EXISTS (SELECT 1 FROM nin_pairs AS a
                              WHERE a.left_id = p.left_id AND a.{auto})
               OR EXISTS (SELECT 1 FROM nin_pairs AS a
                          WHERE a.left_id = p.left_id AND a.{auto}
                            AND a.nin_home_pc = p.nin_home_pc
                            AND a.nin_home_addr = p.nin_home_addr)
            ORDER BY left_id, probability DESC, right_id
        """).to_arrow_table()  # fmt: skip
    finally:
        con.close()


def link_people_table(
    register: pa.Table,
    agency: AgencyInput,
    *,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    best_only: bool = True,
    per_child: bool = True,
    population: int | None = None,
    workdir: Path | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_stage: StageCallback | None = None,
    stats: LinkStats | None = None,
    check_pairs: pa.Table | None = None,
) -> pa.Table:
    """Like :func:`link_people`, but the result is an Arrow table (for bulk use).

    Columns: ``left_id`` (register), ``right_id`` (agency), ``probability``, ``weight``,
    then ``<field>_label`` and ``<field>_weight`` for every comparison of the model.

    ``population`` is the number of people the records are drawn from (it sets the prior:
    see :func:`.model.prior_for`); by default the larger of the two tables. When linking a
    few new records against everyone, pass the size of everyone. It is required when
    ``agency`` is a stream (its size is not known before it is read).

    The agency side is linked ``chunk_rows`` records at a time against the register (prepared
    once), so memory stays flat however many agency records there are; pass a stream (an
    Arrow record batch reader, say from a Parquet file) so that the caller need not hold
    them all either. An agency record's ids must be unique within its chunk (each chunk is
    checked; duplicates across chunks are not looked for). ``best_only`` keeps an agency
    record only against the register record(s) it matches best; ``per_child`` keeps, for a
    register record with an automatic match, only the pairs waiting for review at the home
    of one of its automatic matches (see :func:`_per_child`).

    For measuring: ``on_stage`` is called with each name in :data:`STAGES` as that stage
    starts (for each chunk), then with ``"done"``; ``stats`` (a :class:`LinkStats`) is filled
    in; and ``check_pairs`` (register id, agency id columns), when given, are looked up among
    the blocked candidate pairs (``stats.checked_pairs_blocked``). ``threads`` and
    ``memory_limit`` bound DuckDB (see :class:`_Workspace`).
    """
    model = model or default_model()
    if population is None:
        if not isinstance(agency, pa.Table):
            raise ValueError("pass population when the agency records come as a stream")
        population = max(register.num_rows, agency.num_rows)
    _stage(on_stage, "prepare")
    parts: list[pa.Table] = []
    with _Workspace(workdir, threads=threads, memory_limit=memory_limit) as ws:
        prepare(ws.con, register, REGISTER_TABLE)
        ws.tables = [(REGISTER_TABLE, _REGISTER_NAME)]
        if stats is not None:
            stats.register_records = register.num_rows
        for i, chunk in enumerate(_chunks(agency, max(chunk_rows, 1))):
            if i:
                _stage(on_stage, "prepare")
            ws.load_agency(chunk)
            if stats is not None:
                stats.agency_records += chunk.num_rows
            parts.append(_score(ws, model, "link_only", threshold, population=population,
                                best_only=best_only, homes=True, on_stage=on_stage,
                                stats=stats, check_pairs=check_pairs))  # fmt: skip
            del chunk
    table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    homes = ["nin_home_pc", "nin_home_addr"]
    table = _per_child(table) if per_child else table.drop_columns(homes)
    if stats is not None:
        stats.selected_pairs = table.num_rows
    _stage(on_stage, "done")
    return table


def matches_from_table(table: pa.Table, model: ModelSpec | None = None) -> list[Match]:
    """Turn a result table from :func:`link_people_table` into :class:`Match` objects."""
    model = model or default_model()
    fields = [c["output_column_name"] for c in model.settings["comparisons"]]
    cols = table.to_pydict()
    out: list[Match] = []
    for i in range(table.num_rows):
        evidence = tuple(
            FieldEvidence(f, cols[f"{f}_label"][i], float(cols[f"{f}_weight"][i]))
            for f in fields
        )
        out.append(
            Match(
                left_id=cols["left_id"][i],
                right_id=cols["right_id"][i],
                probability=float(cols["probability"][i]),
                weight=float(cols["weight"][i]),
                evidence=evidence,
            )
        )
    return out


def link_people(
    register: pa.Table,
    agency: pa.Table,
    *,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    best_only: bool = True,
    population: int | None = None,
    workdir: Path | None = None,
) -> list[Match]:
    """Pairs (register record, agency record) that are the same person with at least
    ``threshold`` probability, best first within each register record.

    A pair at or above :data:`AUTO_THRESHOLD` may be applied without a person; below it,
    it waits for review. One register record may match several agency records (an agency
    can hold a person twice, or under several sources). With ``best_only`` (the default) an
    agency record is kept only against the register record(s) it matches best, since it
    describes one person, and a register record with an automatic match keeps only the
    pairs waiting for review at the home of one of its automatic matches (see
    :func:`_per_child`); ``best_only=False`` returns every pair over the threshold.
    """
    model = model or default_model()
    table = link_people_table(register, agency, model=model, threshold=threshold,
                              best_only=best_only, per_child=best_only, population=population,
                              workdir=workdir)  # fmt: skip
    return matches_from_table(table, model)


def dedupe_people(
    register: pa.Table,
    *,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    workdir: Path | None = None,
) -> list[Match]:
    """Pairs of register records that are the same child (duplicate notifications),
    ``left_id < right_id``, at or above ``threshold`` probability."""
    model = model or default_model()
    with _Workspace(workdir) as ws:
        ws.load(register)
        table = _score(ws, model, "dedupe_only", threshold, population=register.num_rows)
    return matches_from_table(table, model)


def household_pairs(
    register: pa.Table,
    agency: pa.Table,
    *,
    model: ModelSpec | None = None,
    same_person_threshold: float = REVIEW_THRESHOLD,
    population: int | None = None,
    workdir: Path | None = None,
) -> list[tuple[str, str, str]]:
    """Agency people who belong to a register child's household.

    Returns ``(register_id, agency_id, basis)`` sorted, where the two share the home address
    (same postcode and first address line after normalising case, spaces and punctuation)
    and ``basis`` is ``"same_surname"`` or, failing that, ``"parent_in_common"`` (a parent
    name in common after normalising case, punctuation and titles). Pairs that the model
    scores as the same person (at or above ``same_person_threshold``, with the prior of
    ``population``, by default the larger table) are left out: those are
    :func:`link_people`'s business.
    """
    model = model or default_model()
    population = population or max(register.num_rows, agency.num_rows)
    with _Workspace(workdir) as ws:
        ws.load(register, agency)
        return _households(ws, model, same_person_threshold, population)


def link_people_and_households(
    register: pa.Table,
    agency: pa.Table,
    *,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    population: int | None = None,
) -> tuple[list[Match], list[tuple[str, str, str]]]:
    """:func:`link_people` (best only) and :func:`household_pairs` (with ``threshold`` as
    the same-person threshold) in one workspace: the tables are prepared once."""
    model = model or default_model()
    population = population or max(register.num_rows, agency.num_rows)
    with _Workspace() as ws:
        ws.load(register, agency)
        table = _score(ws, model, "link_only", threshold, population=population,
                       best_only=True, homes=True)  # fmt: skip
        households = _households(ws, model, threshold, population)
    return matches_from_table(_per_child(table), model), households


def _households(ws: _Workspace, model: ModelSpec, same_person_threshold: float,
                population: int) -> list[tuple[str, str, str]]:
    ws.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nin_household_candidates AS
        SELECT r.unique_id AS register_id, a.unique_id AS agency_id,
               CASE WHEN r.sn = a.sn THEN 'same_surname' ELSE 'parent_in_common' END
                   AS basis
        FROM {REGISTER_TABLE} AS r
        JOIN {AGENCY_TABLE} AS a ON r.pc = a.pc AND r.addr = a.addr
        WHERE r.sn = a.sn OR list_has_any(r.parents, a.parents)
        """
    )
    if ws.count("nin_household_candidates") == 0:
        return []
    same = _score(ws, model, "link_only", same_person_threshold,
                  blocking_rules=(HOUSEHOLD_BLOCKING_RULE,), population=population)
    ws.con.register("nin_same_person", same.select(["left_id", "right_id"]))
    rows = ws.con.execute(
        """
        SELECT c.register_id, c.agency_id, c.basis
        FROM nin_household_candidates AS c
        ANTI JOIN nin_same_person AS s
            ON s.left_id = c.register_id AND s.right_id = c.agency_id
        ORDER BY c.register_id, c.agency_id
        """
    ).fetchall()
    ws.con.unregister("nin_same_person")
    ws.drop("nin_household_candidates")
    return [(str(r), str(a), str(b)) for r, a, b in rows]
