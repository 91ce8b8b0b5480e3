"""Splink's SQL for one kind of run, written once and replayed.

Building a Splink linker and its prediction SQL costs about a second of Python (settings
validation, SQL parsing) whatever the size of the input, which is most of the time of linking
one new child. The SQL Splink runs depends only on the model, the link type, the blocking
rules, the threshold and the prior, never on the data: the first run of each kind goes through
Splink and records the statements it executes (CREATE and DROP; its schema reads are not
needed again), and later runs execute the same statements on their own tables. The prior
appears once, as a literal match weight, and is put back for each run, so one recording
serves every population.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import duckdb
from splink import DuckDBAPI
from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel
from splink.internals.misc import indent_sql, prob_to_match_weight

_PRIOR = "__nin_prior_match_weight__"


class RecordingAPI(DuckDBAPI):
    """Splink's DuckDB API, keeping the statements that create or drop tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        super().__init__(con)
        self.statements: list[str] = []

    def _execute_sql_against_backend(self, final_sql: str) -> duckdb.DuckDBPyRelation:
        if final_sql.lstrip()[:6].upper() in ("CREATE", "DROP T", "DROP V"):
            self.statements.append(final_sql)
        return super()._execute_sql_against_backend(final_sql)


@dataclass(frozen=True)
class Plan:
    """The statements of one run: blocking (making ``blocked``), then scoring (making
    ``predictions``), with the prior's match weight as a placeholder."""

    blocking: tuple[str, ...]
    scoring: tuple[str, ...]
    blocked: str
    predictions: str

    def run(self, con: duckdb.DuckDBPyConnection, statements: tuple[str, ...],
            prior: float) -> None:
        weight = f"cast({prob_to_match_weight(prior)} as float8)"
        for sql in statements:
            con.execute(sql.replace(_PRIOR, weight))


_PLANS: dict[tuple[Any, ...], Plan] = {}
_LOCK = threading.Lock()


def plan_get(key: tuple[Any, ...]) -> Plan | None:
    return _PLANS.get(key)


def plan_record(key: tuple[Any, ...], prior: float, blocking: list[str], scoring: list[str],
                blocked: str, predictions: str) -> None:
    """Keep the recorded statements of a run under ``key`` when the prior can be told apart
    in them (otherwise every run goes through Splink, as before)."""
    literal = re.escape(f"cast({prob_to_match_weight(prior)} as float8)")
    blocking_out = tuple(re.sub(literal, _PRIOR, sql) for sql in blocking)
    scoring_out = tuple(re.sub(literal, _PRIOR, sql) for sql in scoring)
    if not any(_PRIOR in sql for sql in scoring_out):
        return
    if not any(predictions in s for s in scoring_out) or not any(blocked in s for s in blocking):
        return
    with _LOCK:
        _PLANS[key] = Plan(blocking_out, scoring_out, blocked, predictions)


def plans_clear() -> None:
    """Forget every recorded plan (tests use it to compare replay with Splink itself)."""
    with _LOCK:
        _PLANS.clear()


# -- Splink's check of each comparison level's SQL, once per process ---------------------------
_VALID: set[tuple[str, str]] = set()
_splink_validate_sql = ComparisonLevel._validate_sql


def _validate_sql_once(level: ComparisonLevel) -> bool:
    """Splink's `ComparisonLevel._validate_sql`, which parses a level's SQL condition with
    sqlglot only to see that it parses, every time a linker is built: 2.9 s of the 3.1 s that
    building `notinschool link`'s three linkers took (the pairs, the household members, the
    possible duplicates), whose levels are mostly the same. A condition that parsed once in
    this process is not parsed again for the same dialect; one that does not parse is refused
    each time, as before."""
    key = (level.sql_condition, str(level.sqlglot_dialect))
    if key in _VALID:
        return True
    valid = bool(_splink_validate_sql(level))
    if valid:  # a condition that does not parse is checked (and refused) again next time
        with _LOCK:
            _VALID.add(key)
    return valid


ComparisonLevel._validate_sql = _validate_sql_once  # type: ignore[method-assign]


# -- the replaced-field combinations found in one step (model.combined_case) -------------------
_splink_case_statement = Comparison._case_statement


def splink_case(comparison: Comparison) -> str:
    """Splink's own CASE for ``comparison`` (one WHEN per level), for comparing with ours."""
    return str(_splink_case_statement.fget(comparison))  # type: ignore[attr-defined]


def _case_statement(comparison: Comparison) -> str:
    """Splink's CASE for a comparison, with the model's replaced-field combinations found in
    one step (`model.combined_case`: the same level for every pair; the date of birth's CASE
    over the 510,990 candidates of 100k x 1M took 2.4 CPU s where Splink's took 3.3): in every
    run, whether Splink runs it or a plan replays it."""
    from .model import combined_case

    levels = comparison.comparison_levels
    body = combined_case([lv.sql_condition for lv in levels],
                         [lv.comparison_vector_value for lv in levels])
    if body is None:
        return splink_case(comparison)
    return f"CASE\n{indent_sql(body)}\nEND as {comparison._gamma_column_name}"


Comparison._case_statement = property(_case_statement)  # type: ignore[method-assign,assignment]
