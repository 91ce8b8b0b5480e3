"""`export dfe-return`: the termly return's figures as a tidy CSV (data contract).

Columns `section, measure, breakdown, value, count`. Sections: `ehe_census` and `cme_census`
(children with that status on the census date) and `ehe_in_year` and `cme_in_year` (from
1 September of the school year to the census date). Every code of a breakdown gets a row,
zeros included; each breakdown sums to its total except `social_care`, where a child counts
under every value that applies (a child on a plan or looked after is also a child in need) and
`none` only where none does.

Status on a date follows the dates in the files (the status history), not the day a file was
imported. Only children of compulsory school age on the census date are counted; a child
whose date of birth is unknown cannot be shown to be, and is left out.

Missing education's time missing and primary reason (`cme_reason`) come from the child's
latest missing education case begun by the census date (cme.models.CmeCase).

Children whose records the retention job has deleted are counted from the anonymous facts it
kept (`reports.models.RetiredChild`), so a past census date's figures do not change.

How it is counted: one statement works out each child's facts (status on the census date,
whether the child was in each in-year measure, the code of every breakdown) in the database
(`_FACTS_SQL`, the same on PostgreSQL and SQLite) into a temporary table; the figures are
counted there by distinct facts, so a few thousand rows come back, not one a child (on 200,000
children a row a child cost seconds to fetch and classify). The children behind one figure are
the same statement filtered by that figure. The facts of a deleted record are worked out in
Python from what was kept (`_Child`), by the rules the statement follows."""

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connection, transaction

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record_counted
from notinschool.cme.models import CmeCase
from notinschool.cme.reasons import REASONS as CME_REASONS
from notinschool.core.errors import NotPermitted
from notinschool.intake.models import ImportKind
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.ages import is_compulsory_school_age, year_group
from notinschool.people.models import Child, StatusChange
from notinschool.reports import codes
from notinschool.reports.models import RetiredChild
from notinschool.statutory.models import StatutoryStep

COLUMNS = ("section", "measure", "breakdown", "value", "count")

SEX = codes.SEX.values
YEAR_GROUPS = codes.YEAR_GROUP.values
REASONS = codes.EHE_REASON.values
SEN = codes.SEN.values
SOCIAL_CARE = codes.SOCIAL_CARE.values
TIME_MISSING = codes.TIME_MISSING.values
PREVIOUS_SCHOOL_TYPE = codes.PREVIOUS_SCHOOL_TYPE.values
IN_YEAR_MEASURES = ("children", "starts", "returns_to_school", "preliminary_notices",
                    "school_attendance_orders_issued", "school_attendance_orders_revoked")
_TWELVE_WEEKS = dt.timedelta(weeks=12)
_SOCIAL_CARE_INDICATORS = ("child_in_need", "child_protection_plan", "looked_after")
_EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)
_TABLE = "reports_return_facts"


def school_year_start(on: dt.date) -> dt.date:
    return dt.date(on.year if on.month >= 9 else on.year - 1, 9, 1)


class Facts(NamedTuple):
    """What the return reads of one child on a census date: a row of the facts table."""
    census_status: str
    ehe_in_year: int
    ehe_start: int
    ehe_return: int
    ehe_notice: int
    ehe_order: int
    ehe_revoked: int
    cme_in_year: int
    cme_start: int
    cme_return: int
    cme_notice: int
    cme_order: int
    cme_revoked: int
    sex: str
    year_group: str
    reason: str
    sen: str
    time_missing: str
    cme_reason: str
    previous_school_type: str
    child_in_need: int
    child_protection_plan: int
    looked_after: int

    @property
    def counted(self) -> bool:
        return self.census_status in ("ehe", "cme") or bool(self.ehe_in_year or self.cme_in_year)


FACTS = Facts._fields
# the in-year measure -> the column of the facts (after the status: ehe_start, cme_notice ...)
_MEASURE_COLUMN = {"children": "in_year", "starts": "start", "returns_to_school": "return",
                   "preliminary_notices": "notice", "school_attendance_orders_issued": "order",
                   "school_attendance_orders_revoked": "revoked"}
_COUNTED = "census_status IN ('ehe', 'cme') OR ehe_in_year = 1 OR cme_in_year = 1"


def _breakdowns(section: str, measure: str) -> list[tuple[str, tuple[str, ...]]]:
    """The breakdowns of one measure, in the order of the return's rows."""
    status = section.split("_", 1)[0]
    out: list[tuple[str, tuple[str, ...]]] = [("total", ("",)), ("sex", SEX), ("year_group", YEAR_GROUPS)]
    if status == "ehe":
        out.append(("reason", REASONS))
    out.append(("sen", SEN))
    if status == "cme":
        out += [("time_missing", TIME_MISSING), ("cme_reason", codes.CME_REASON.values)]
    if measure == "starts":
        out.append(("previous_school_type", PREVIOUS_SCHOOL_TYPE))
    out.append(("social_care", SOCIAL_CARE))
    return out


_LAYOUT: list[tuple[str, str, list[tuple[str, tuple[str, ...]]]]] = [
    (section, measure, _breakdowns(section, measure))
    for status in ("ehe", "cme")
    for section, measures in ((f"{status}_census", ("children",)), (f"{status}_in_year", IN_YEAR_MEASURES))
    for measure in measures]
Key = tuple[str, str, str, str]
_KEYS: set[Key] = {(s, m, b, v) for s, m, breakdowns in _LAYOUT for b, values in breakdowns for v in values}


def _in_measure(facts: Facts, section: str, measure: str) -> bool:
    status, kind = section.split("_", 1)
    if kind == "census":
        return facts.census_status == status
    return bool(getattr(facts, f"{status}_{_MEASURE_COLUMN[measure]}"))


def _measure_where(section: str, measure: str) -> str:
    status, kind = section.split("_", 1)
    if kind == "census":
        return f"census_status = '{status}'"
    return f"{status}_{_MEASURE_COLUMN[measure]} = 1"


def _values(facts: Facts, breakdown: str) -> tuple[str, ...]:
    """The codes of `breakdown` a child counts under (several for social care)."""
    if breakdown == "total":
        return ("",)
    if breakdown == "social_care":
        care = tuple(v for v in _SOCIAL_CARE_INDICATORS if getattr(facts, v))
        return care or ("none",)
    return (getattr(facts, breakdown),)


@dataclass
class DataWarning:
    """Where the data cannot support a figure: what is wrong and the children to fix."""
    code: str
    title: str
    children: list[UUID]


@dataclass
class Figures:
    """The return for one census date: its rows (as the CSV writes them), how many children it
    counted and, of those, the ones counted from deleted records (`retired`), the warnings. The
    children behind one figure: `figure_children`, by the same statement."""
    census_date: dt.date
    rows: list[list[Any]]
    counted: int
    retired: set[UUID]
    warnings: list[DataWarning]


_WARNINGS = {
    "no_date_of_birth": "Home educated or missing education on the census date but no date of "
                        "birth: left out of every figure",
    "ehe_reason_not_recorded": "Home educated on the census date with no reason recorded: "
                               "counted as not known",
    "cme_reason_not_recorded": "Missing education on the census date with no primary reason "
                               "recorded: counted as not known",
    "time_missing_unknown": "Missing education on the census date since a date not known: time "
                            "missing counted as not known",
}
_WARNING_WHERE = {
    "ehe_reason_not_recorded": "census_status = 'ehe' AND reason_recorded = 0",
    "cme_reason_not_recorded": "census_status = 'cme' AND cme_reason = 'unknown'",
    "time_missing_unknown": "census_status = 'cme' AND time_missing = 'unknown'",
}


def dfe_return_rows(*, actor: Actor, census_date: dt.date) -> Iterator[list[Any]]:
    """The return's rows, counted over the whole register and audited with the children
    counted. An export of the register (`EXPORT_REGISTER`), checked at the call."""
    if not actor.can(Cap.EXPORT_REGISTER):
        raise NotPermitted("your role cannot export the register")
    return iter(dfe_return_figures(census_date, audit=Run(actor, "export")).rows)


@dataclass
class Run:
    """Who ran the return and how, for its audit event (`action` 'report' for the page, which
    opens no record; 'export' for the CSV and the PDF)."""
    actor: Actor
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


def dfe_return_figures(census_date: dt.date, *, audit: Run | None = None) -> Figures:
    """The return's figures; with `audit`, one audit event naming every child counted (who
    still has a record), written in the database from the facts table (173,791 children's ids
    sent back and forth took seconds)."""
    retired = _retired_facts(census_date)
    combos: Counter[Facts] = Counter(facts for _, facts in retired)
    with _facts_table(census_date) as table, connection.cursor() as cursor:
        names = ", ".join(FACTS)
        cursor.execute(f"SELECT {names}, COUNT(*) FROM {table} GROUP BY {names}")  # noqa: S608
        for *facts, n in cursor.fetchall():
            combos[Facts(*facts)] += n
        warnings = [DataWarning("no_date_of_birth", _WARNINGS["no_date_of_birth"],
                                _without_date_of_birth(census_date))]
        for code, where in _WARNING_WHERE.items():
            cursor.execute(f"SELECT child_id FROM {table} WHERE {where} ORDER BY child_id")  # noqa: S608
            warnings.append(DataWarning(code, _WARNINGS[code], [_uuid(pk) for (pk,) in cursor.fetchall()]))
        rows = _rows(combos)
        figures = Figures(census_date, rows, sum(n for facts, n in combos.items() if facts.counted),
                          {pk for pk, _ in retired}, warnings)
        if audit is not None:
            _audit(audit, figures, table)
    return figures


def _rows(combos: Counter[Facts]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for section, measure, breakdowns in _LAYOUT:
        group = [(facts, n) for facts, n in combos.items() if _in_measure(facts, section, measure)]
        for breakdown, values in breakdowns:
            cells: Counter[str] = Counter()
            for facts, n in group:
                for value in _values(facts, breakdown):
                    cells[value] += n
            rows += [[section, measure, breakdown, value, cells.get(value, 0)] for value in values]
    return rows


def _audit(run: Run, figures: Figures, table: str) -> None:
    """The run's audit event naming every child counted, inserted from the facts table."""
    audit_record_counted(
        actor=run.actor, action=run.action, object_type="dfe_return",
        children_sql=f"SELECT child_id FROM {table} WHERE {_COUNTED}",  # noqa: S608
        detail={"census_date": figures.census_date.isoformat(), "rows": len(figures.rows),
                "retired_children": len(figures.retired), **run.detail})


def figure_children(census_date: dt.date, key: Key) -> tuple[list[UUID], int] | None:
    """The children behind one figure on `census_date` who still have a record, and how many
    more it counted from deleted records; None if the return has no such figure. One statement
    filtered by the figure: the rest of the return is not counted."""
    if key not in _KEYS:
        return None
    section, measure, breakdown, value = key
    sql, params = _facts_sql(census_date)
    where = _measure_where(section, measure)
    if breakdown == "social_care":
        where += (" AND child_in_need = 0 AND child_protection_plan = 0 AND looked_after = 0"
                  if value == "none" else f" AND {value} = 1")
    elif breakdown != "total":
        where += f" AND {breakdown} = %(figure_value)s"
        params["figure_value"] = value
    with _planned(), connection.cursor() as cursor:
        cursor.execute(f"SELECT child_id FROM ({sql}) facts WHERE {where} ORDER BY child_id", params)  # noqa: S608
        ids = [_uuid(pk) for (pk,) in cursor.fetchall()]
    retired = sum(1 for _, facts in _retired_facts(census_date)
                  if _in_measure(facts, section, measure) and value in _values(facts, breakdown))
    return ids, retired


def warning_children(census_date: dt.date, code: str) -> DataWarning | None:
    """One check's children to fix on `census_date`, by that check's query alone; None if there
    is no such check."""
    if code == "no_date_of_birth":
        return DataWarning(code, _WARNINGS[code], _without_date_of_birth(census_date))
    if code not in _WARNING_WHERE:
        return None
    sql, params = _facts_sql(census_date)
    with _planned(), connection.cursor() as cursor:
        cursor.execute(f"SELECT child_id FROM ({sql}) facts WHERE {_WARNING_WHERE[code]} "  # noqa: S608
                       "ORDER BY child_id", params)
        return DataWarning(code, _WARNINGS[code], [_uuid(pk) for (pk,) in cursor.fetchall()])


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


@contextmanager
def _facts_table(census_date: dt.date) -> Iterator[str]:
    """The temporary table of every child's facts on `census_date`, dropped afterwards."""
    sql, params = _facts_sql(census_date)
    with _planned(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_TABLE} AS {sql}", params)
    try:
        yield _TABLE
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_TABLE}")


@contextmanager
def _planned() -> Iterator[None]:
    """On PostgreSQL, the facts statement without JIT compilation (the planner's estimate of
    its size, in the billions of rows, set it off: 7 of its 14 s on 200,000 children went in
    compiling) and with room to sort in memory; in a transaction of its own (SET LOCAL)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _in(values: tuple[str, ...]) -> str:
    """A list of our own codes as SQL literals (codes are letters, digits and underscores)."""
    if not all(v.replace("_", "").isalnum() for v in values):
        raise ValueError(f"not a code: {values}")
    return ", ".join(f"'{v}'" for v in values)


def _facts_sql(census_date: dt.date) -> tuple[str, dict[str, Any]]:
    """The statement of every child's facts on `census_date` (one row a child, the columns of
    `Facts` with `child_id` and `reason_recorded`), and its parameters."""
    year_start = school_year_start(census_date)
    oldest, youngest = _compulsory_school_age_births(census_date)
    params: dict[str, Any] = {
        "census": census_date, "year_start": year_start, "oldest": oldest, "youngest": youngest,
        "twelve_weeks_before": census_date - _TWELVE_WEEKS, "deletions": ImportKind.ROLL_DELETIONS.value,
        "same_person": PersonMatch.Kind.SAME_PERSON.value, "automatic": _EFFECTIVE[0].value,
        "accepted": _EFFECTIVE[1].value, "taken": StatutoryStep.State.TAKEN.value,
        "notice": StatutoryStep.Kind.PRELIMINARY_NOTICE.value, "order": StatutoryStep.Kind.ORDER.value,
        "revocation": StatutoryStep.Kind.REVOCATION.value, "revoked": StatutoryStep.Outcome.REVOKED.value}
    groups = []
    school_year = year_start.year
    for n, group in enumerate(YEAR_GROUPS):  # R is 0: born 1 September to 31 August
        params[f"born_from_{n}"] = dt.date(school_year - 5 - n, 9, 1)
        params[f"born_to_{n}"] = dt.date(school_year - 4 - n, 8, 31)
        groups.append(f"WHEN k.date_of_birth BETWEEN %(born_from_{n})s AND %(born_to_{n})s THEN '{group}'")
    days_closed = ("(cs.closed_on - cs.missing_since)" if connection.vendor == "postgresql"
                   else "(julianday(cs.closed_on) - julianday(cs.missing_since))")
    status_flags = []
    for s in ("ehe", "cme"):
        status_flags += [
            f"MAX(CASE WHEN status = '{s}' AND (date >= %(year_start)s OR next_date IS NULL "
            f"OR next_date >= %(year_start)s) "
            f"THEN 1 ELSE 0 END) AS {s}_in_year",
            f"MAX(CASE WHEN status = '{s}' AND date >= %(year_start)s AND (prev IS NULL OR prev <> '{s}') "
            f"THEN 1 ELSE 0 END) AS {s}_start",
            f"MAX(CASE WHEN prev = '{s}' AND status <> '{s}' AND date >= %(year_start)s "
            f"AND day_status = 'returned_to_school' THEN 1 ELSE 0 END) AS {s}_return"]
    step_flags = [f"MAX(CASE WHEN kind = %({k})s {extra} AND status = '{s}' THEN 1 ELSE 0 END) AS {s}_{name}"
                  for s in ("ehe", "cme")
                  for name, k, extra in (("notice", "notice", ""), ("order", "order", ""),
                                         ("revoked", "revocation", "AND outcome = %(revoked)s"))]
    since = "COALESCE(k.missing_since, sp.cme_since)"
    columns = [
        "COALESCE(sp.census_status, '') AS census_status",
        *(f"sp.{s}_{m}" for s in ("ehe",) for m in ("in_year", "start", "return")),
        *(f"COALESCE(st.ehe_{m}, 0) AS ehe_{m}" for m in ("notice", "order", "revoked")),
        *(f"sp.{s}_{m}" for s in ("cme",) for m in ("in_year", "start", "return")),
        *(f"COALESCE(st.cme_{m}, 0) AS cme_{m}" for m in ("notice", "order", "revoked")),
        f"CASE WHEN k.sex IN ({_in(SEX)}) THEN k.sex ELSE 'U' END AS sex",
        f"CASE {' '.join(groups)} ELSE '' END AS year_group",
        f"CASE WHEN k.ehe_reason IN ({_in(REASONS)}) THEN k.ehe_reason ELSE 'unknown' END AS reason",
        f"CASE WHEN k.sen_provision IN ({_in(SEN)}) THEN k.sen_provision ELSE 'unknown' END AS sen",
        f"""CASE WHEN cs.child_id IS NOT NULL THEN
              CASE WHEN cs.closed_on IS NOT NULL AND cs.closed_on < %(census)s THEN
                     CASE WHEN {days_closed} <= 84 THEN '12_weeks_or_less' ELSE 'over_12_weeks' END
                   WHEN cs.missing_since >= %(twelve_weeks_before)s THEN '12_weeks_or_less'
                   ELSE 'over_12_weeks' END
            WHEN {since} IS NULL OR {since} > %(census)s THEN 'unknown'
            WHEN {since} >= %(twelve_weeks_before)s THEN '12_weeks_or_less'
            ELSE 'over_12_weeks' END AS time_missing""",
        f"CASE WHEN cs.primary_reason IN ({_in(tuple(CME_REASONS))}) THEN cs.primary_reason "
        "ELSE 'unknown' END AS cme_reason",
        f"CASE WHEN sch.child_id IS NULL THEN 'none' WHEN sch.school_type IN ({_in(PREVIOUS_SCHOOL_TYPE)}) "
        "THEN sch.school_type ELSE 'unknown' END AS previous_school_type",
        "CASE WHEN ca.child_id IS NULL THEN 0 ELSE 1 END AS child_in_need",
        "COALESCE(ca.child_protection_plan, 0) AS child_protection_plan",
        "COALESCE(ca.looked_after, 0) AS looked_after",
    ]
    if [c.rsplit(" ", 1)[-1].split(".")[-1] for c in columns] != list(FACTS):
        raise ValueError("the facts statement's columns are not Facts'")
    sql = _FACTS_SQL.format(
        columns=",\n    ".join(columns), reasons=_in(REASONS), status_flags=",\n        ".join(status_flags),
        step_flags=",\n        ".join(step_flags))
    return sql, params


# Status on a day is the latest change on or before it, by (date, created_at), as everywhere.
# `prev` is the status before each change; a spell of a status begins at a change to it from
# anything else and ends at the next change to anything else. In the school year: held on the
# day before it began (the latest change before it: the next is on or after the first day, or
# none) or changed to during it. `day_status` is the status at the end of the change's day.
_FACTS_SQL = """
WITH kids AS (
    SELECT c.id, c.sex, c.date_of_birth, c.ehe_reason, c.sen_provision, c.missing_since
    FROM people_child c
    WHERE c.status <> 'merged' AND c.date_of_birth BETWEEN %(oldest)s AND %(youngest)s
      AND EXISTS (SELECT 1 FROM people_statuschange e WHERE e.child_id = c.id
                  AND e.status IN ('ehe', 'cme') AND e.date <= %(census)s)
),
history AS (
    SELECT h.child_id, h.date, h.status,
        LAG(h.status) OVER by_date AS prev,
        LEAD(h.date) OVER by_date AS next_date,
        LAST_VALUE(h.status) OVER (PARTITION BY h.child_id, h.date ORDER BY h.created_at
                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS day_status
    FROM people_statuschange h JOIN kids k ON k.id = h.child_id
    WHERE h.date <= %(census)s
    WINDOW by_date AS (PARTITION BY h.child_id ORDER BY h.date, h.created_at)
),
spells AS (
    SELECT child_id,
        MAX(CASE WHEN next_date IS NULL THEN status END) AS census_status,
        {status_flags},
        MAX(CASE WHEN status = 'cme' AND (prev IS NULL OR prev <> 'cme') THEN date END) AS cme_since
    FROM history GROUP BY child_id
),
cases AS (
    SELECT child_id, missing_since, closed_on, primary_reason FROM (
        SELECT child_id, missing_since, closed_on, primary_reason,
            ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY missing_since DESC, created_at DESC) AS r
        FROM cme_cmecase WHERE missing_since <= %(census)s AND child_id IN (SELECT id FROM kids)
    ) latest_case WHERE r = 1
),
schools AS (
    SELECT child_id, school_type FROM (
        SELECT child_id, school_type,
            ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY event_date DESC, created_at DESC) AS r
        FROM intake_notification WHERE kind = %(deletions)s AND child_id IN (SELECT id FROM kids)
    ) latest_deletion WHERE r = 1
),
care AS (
    SELECT m.child_id,
        MAX(CASE WHEN f.indicator = 'child_protection_plan' THEN 1 ELSE 0 END) AS child_protection_plan,
        MAX(CASE WHEN f.indicator = 'looked_after' THEN 1 ELSE 0 END) AS looked_after
    FROM linkage_personmatch m JOIN linkage_agencyfact f ON f.person_id = m.person_id
    WHERE m.kind = %(same_person)s AND m.state IN (%(automatic)s, %(accepted)s)
      AND f.indicator IN ('child_in_need', 'child_protection_plan', 'looked_after')
      AND f.start_date <= %(census)s AND (f.end_date IS NULL OR f.end_date >= %(census)s)
      AND m.child_id IN (SELECT id FROM kids)
    GROUP BY m.child_id
),
steps AS MATERIALIZED (
    SELECT sc.child_id, st.kind, st.outcome,
        (SELECT h.status FROM people_statuschange h WHERE h.child_id = sc.child_id
         AND h.date <= st.taken_on ORDER BY h.date DESC, h.created_at DESC LIMIT 1) AS status
    FROM statutory_statutorystep st JOIN statutory_statutorycase sc ON sc.id = st.case_id
    WHERE st.state = %(taken)s AND st.taken_on BETWEEN %(year_start)s AND %(census)s
),
stat AS (
    SELECT child_id,
        {step_flags}
    FROM steps GROUP BY child_id
)
SELECT k.id AS child_id,
    {columns},
    CASE WHEN k.ehe_reason IN ({reasons}) THEN 1 ELSE 0 END AS reason_recorded
FROM kids k JOIN spells sp ON sp.child_id = k.id
LEFT JOIN cases cs ON cs.child_id = k.id
LEFT JOIN schools sch ON sch.child_id = k.id
LEFT JOIN care ca ON ca.child_id = k.id
LEFT JOIN stat st ON st.child_id = k.id
"""


@functools.cache
def _compulsory_school_age_births(census_date: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last dates of birth of compulsory school age on `census_date`: an unbroken
    run (the age starts and ends later the later a child is born), found by asking
    `is_compulsory_school_age` of every day over twenty years."""
    days = [census_date - dt.timedelta(days=n) for n in range(20 * 366)]
    of_age = [day for day in days if is_compulsory_school_age(day, census_date)]
    return min(of_age), max(of_age)


@dataclass
class _Child:
    """A deleted record's child as the return reads it (from `RetiredChild`)."""
    pk: UUID
    sex: str
    dob: dt.date
    reason: str
    sen: str
    missing_since: dt.date | None
    history: list[tuple[dt.date, str]] = field(default_factory=list)
    # the missing education case behind the figures: missing since, closed on, reason
    cme_case: tuple[dt.date, dt.date | None, str] | None = None
    # statutory steps, as the return counts them: (kind, outcome, taken on)
    steps: list[tuple[str, str, dt.date]] = field(default_factory=list)

    def status_on(self, day: dt.date) -> str:
        status = ""
        for date, value in self.history:
            if date > day:
                break
            status = value
        return status

    def spells(self, status: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date | None]]:
        """(from, to) periods with `status` that overlap [start, end]; `to` is the date the
        status changed to something else, or None if it had not by `end`."""
        result: list[tuple[dt.date, dt.date | None]] = []
        current: dt.date | None = None
        for date, value in [*self.history, (dt.date.max, "")]:
            if date > end and current is None:
                break
            if value == status and current is None:
                current = date
            elif value != status and current is not None:
                stop = date if date <= end else None
                if stop is None or stop >= start:
                    result.append((current, stop))
                current = None
                if date > end:
                    break
        return result

    def facts(self, census_date: dt.date, care: set[str], school: str) -> Facts:
        """What the facts statement works out for a child with a record, by the same rules."""
        year_start = school_year_start(census_date)
        flags: list[int] = []
        for status in ("ehe", "cme"):
            spells = self.spells(status, year_start, census_date)
            flags += [int(bool(spells)),
                      int(any(year_start <= begin <= census_date for begin, _ in spells)),
                      int(any(end is not None and year_start <= end <= census_date
                              and self.status_on(end) == "returned_to_school" for _, end in spells))]
            for kind, outcome in ((StatutoryStep.Kind.PRELIMINARY_NOTICE, ""), (StatutoryStep.Kind.ORDER, ""),
                                  (StatutoryStep.Kind.REVOCATION, StatutoryStep.Outcome.REVOKED)):
                flags.append(int(any(
                    k == kind and (not outcome or o == outcome) and year_start <= day <= census_date
                    and self.status_on(day) == status for k, o, day in self.steps)))
        reason = self.cme_case[2] if self.cme_case is not None else ""
        care_flags = [int(value in care) for value in _SOCIAL_CARE_INDICATORS]
        return Facts._make([
            self.status_on(census_date), *flags, self.sex if self.sex in SEX else "U",
            year_group(self.dob, census_date), self.reason if self.reason in REASONS else "unknown",
            self.sen if self.sen in SEN else "unknown", self._time_missing(census_date),
            reason if reason in CME_REASONS else "unknown", school, *care_flags])

    def _time_missing(self, census_date: dt.date) -> str:
        """From the case: the date first known missing to the case's closure, or to the census
        date if it was open then. A child without a case: from the record's `missing_since`,
        else the start of the child's latest `cme` status, to the census date."""
        if self.cme_case is not None:
            begun, closed, _ = self.cme_case
            end = min(closed, census_date) if closed else census_date
            return "12_weeks_or_less" if end - begun <= _TWELVE_WEEKS else "over_12_weeks"
        since = self.missing_since
        if since is None:
            spells = self.spells("cme", dt.date.min, census_date)
            since = spells[-1][0] if spells else None
        if since is None or since > census_date:
            return "unknown"
        return "12_weeks_or_less" if census_date - since <= _TWELVE_WEEKS else "over_12_weeks"


def _retired_facts(census_date: dt.date) -> list[tuple[UUID, Facts]]:
    """The facts of the children of deleted records, from what the retention job kept: those
    who were home educated or missing education by the census date and of compulsory school
    age on it."""
    out: list[tuple[UUID, Facts]] = []
    for row in RetiredChild.objects.filter(birth_month__isnull=False).iterator():
        history = [(dt.date.fromisoformat(day), status) for day, status in row.history
                   if dt.date.fromisoformat(day) <= census_date]
        if not any(status in ("ehe", "cme") for _, status in history):
            continue
        if not is_compulsory_school_age(row.birth_month, census_date):
            continue
        child = _Child(row.id, row.sex, row.birth_month, row.ehe_reason, row.sen_provision,
                       row.missing_since, history,
                       steps=[(k, o, dt.date.fromisoformat(day)) for k, o, day in row.statutory_steps])
        cases = [(dt.date.fromisoformat(since), dt.date.fromisoformat(closed) if closed else None,
                  reason) for since, closed, reason in row.cme_cases
                 if dt.date.fromisoformat(since) <= census_date]
        child.cme_case = cases[-1] if cases else None
        care: set[str] = set()
        for indicator, start, end in row.social_care:
            if dt.date.fromisoformat(start) <= census_date and (
                    end is None or dt.date.fromisoformat(end) >= census_date):
                care |= {indicator, "child_in_need"}
        out.append((child.pk, child.facts(census_date, care, row.previous_school_type or "none")))
    return out


def _without_date_of_birth(census_date: dt.date) -> list[UUID]:
    """Children with status `ehe` or `cme` on the census date whose date of birth is not
    recorded, so the return cannot show they are of compulsory school age."""
    ids = set(StatusChange.objects.filter(
        status__in=("ehe", "cme"), date__lte=census_date,
        child__date_of_birth__isnull=True).exclude(child__status="merged")
        .values_list("child_id", flat=True))
    latest: dict[UUID, str] = {}
    for pk, status in (StatusChange.objects.filter(child_id__in=ids, date__lte=census_date)
                       .order_by("date", "created_at").values_list("child_id", "status")):
        latest[pk] = status
    return sorted((pk for pk, status in latest.items() if status in ("ehe", "cme")), key=str)


def _previous_school_type(child_id: UUID) -> str:
    """The type of the school whose roll deletion put the child on the register: the latest
    deletion's `school_type`, `unknown` where the school did not say; "" without one."""
    from notinschool.intake.models import Notification

    school_type = (Notification.objects.filter(kind=ImportKind.ROLL_DELETIONS, child_id=child_id)
                   .order_by("event_date", "created_at").values_list("school_type", flat=True).last())
    if school_type is None:
        return ""
    return school_type if school_type in PREVIOUS_SCHOOL_TYPE else "unknown"


def retired_child_facts(child_id: UUID, *, on: dt.date) -> RetiredChild | None:
    """What the return reads of one child, anonymous, for the retention job to keep before it
    deletes the record (not saved). None for a record the return never counts: no date of
    birth, a duplicate merged into another, or never electively home educated nor missing
    education."""
    row = Child.objects.filter(pk=child_id).exclude(status="merged").values_list(
        "sex", "date_of_birth", "ehe_reason", "sen_provision", "missing_since").first()
    if row is None:
        return None
    sex, dob, reason, sen, missing = row
    if dob is None:
        return None
    history = list(StatusChange.objects.filter(child_id=child_id).order_by("date", "created_at")
                   .values_list("date", "status"))
    if not any(status in ("ehe", "cme") for _, status in history):
        return None
    people = PersonMatch.objects.filter(child_id=child_id, kind=PersonMatch.Kind.SAME_PERSON,
                                        state__in=_EFFECTIVE).values_list("person_id", flat=True)
    facts = AgencyFact.objects.filter(person_id__in=list(people), indicator__in=_SOCIAL_CARE_INDICATORS,
                                      start_date__isnull=False).order_by("start_date")
    return RetiredChild(
        sex=sex, birth_month=dob.replace(day=1), ehe_reason=reason, sen_provision=sen,
        missing_since=missing, history=[[day.isoformat(), status] for day, status in history],
        social_care=[[indicator, start.isoformat(), end.isoformat() if end else None]
                     for indicator, start, end in facts.values_list("indicator", "start_date", "end_date")],
        previous_school_type=_previous_school_type(child_id),
        cme_cases=[[since.isoformat(), closed.isoformat() if closed else None, reason]
                   for since, closed, reason in CmeCase.objects.filter(child_id=child_id)
                   .order_by("missing_since", "created_at")
                   .values_list("missing_since", "closed_on", "primary_reason")],
        statutory_steps=[[kind, outcome, day.isoformat()] for kind, outcome, day in StatutoryStep.objects
                         .filter(case__child_id=child_id, state=StatutoryStep.State.TAKEN)
                         .order_by("taken_on").values_list("kind", "outcome", "taken_on") if day],
        retired_on=on)
