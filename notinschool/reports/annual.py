"""The annual report: the scorecard's measures over one reporting year, as a PDF for the
partnership to publish.

The reporting year is the school year, 1 September to 31 August (the return's year). A year not
yet over is reported to the day it is run, and says so.

- **Over the year**: children on the register at each month's end against the same month a
  year before, with the rate of change, and children joining (starts) and returning to school
  each month, against the year before, counted from the dated status history as the scorecard
  counts them (`scorecard._over_time`).
- **The children on the register during the year** (at any time in it, from the status
  history): by phase on the year's last day, sex, ethnicity, special educational needs, social
  care on that day, the home education reason, and the risk tier of their latest assessment
  (`scorecard.tables`). Sex, ethnicity, needs, reason and tier are as the records hold them when
  the report is run: the register keeps no history of those.
- **Contacts due and overdue** on the day the report is run (the register keeps each child's
  next contact due, not what was due on a past day).
- **How fast**: for the children who joined in the year, the median days from the first
  notification to the first contact with the family and to the child being seen.

Aggregates only, and always as for publication: counts from 1 to 4 are hidden, with secondary
suppression (`reports.suppression`)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from notinschool.people.models import OPEN_STATUSES, Child, StatusChange
from notinschool.reports.scorecard import (
    MonthRow,
    Table,
    Timing,
    _over_time,
    _sql_in,
    _status_events,
    month_ends,
    tables,
    timings,
)

_TABLE = "reports_annual_children"

# Children with a register status at any time from the first day to the last: the status they
# held on the day before the first (the latest change before it) or one they changed to in it.
_DURING_SQL = """
SELECT DISTINCT child_id FROM (
    SELECT child_id, date, status,
        LEAD(date) OVER (PARTITION BY child_id ORDER BY date, created_at) AS next_date
    FROM people_statuschange WHERE date <= %s
) history
WHERE status IN ({on}) AND (date >= %s OR next_date IS NULL OR next_date >= %s)
"""


def school_year(first: int) -> tuple[dt.date, dt.date]:
    """The school year beginning in September of `first`: (1 September, 31 August)."""
    return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)


def year_words(first: int) -> str:
    return f"{first} to {first + 1}"


def reporting_years(today: dt.date) -> list[int]:
    """The school years a report can be run for, newest first (by the year each began): from
    the first in the status history (or this one) to this one."""
    current = today.year if today.month >= 9 else today.year - 1
    first = StatusChange.objects.order_by("date").values_list("date", flat=True).first()
    earliest = current if first is None else (first.year if first.month >= 9 else first.year - 1)
    return list(range(current, max(earliest, current - 20) - 1, -1))


@dataclass
class AnnualReport:
    first_day: dt.date
    last_day: dt.date
    as_of: dt.date  # the last day counted: the year's last, or the day run if sooner
    run_on: dt.date
    months: list[MonthRow] = field(default_factory=list)
    on_register_start: int = 0
    on_register_start_year_before: int = 0
    starts: int = 0
    returns: int = 0
    starts_year_before: int = 0
    returns_year_before: int = 0
    month_starts_before: list[int] = field(default_factory=list)  # the same months a year before
    month_returns_before: list[int] = field(default_factory=list)
    during: int = 0
    tables: list[Table] = field(default_factory=list)
    contacts: Table | None = None
    timings: list[Timing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.as_of >= self.last_day

    @property
    def title(self) -> str:
        return f"{self.first_day.year} to {self.last_day.year}"

    @property
    def on_register_end(self) -> int:
        return self.months[-1].on_register if self.months else 0

    @property
    def change(self) -> float | None:
        return self.months[-1].change if self.months else None

    @staticmethod
    def rate(now: int, before: int) -> float | None:
        return (now - before) / before if before else None


def annual_report(*, first_year: int, today: dt.date) -> AnnualReport:
    """The report of the school year beginning in September of `first_year`, counted to its last
    day or to `today` if sooner (the caller checks who may run it and audits the run)."""
    first_day, last_day = school_year(first_year)
    as_of = min(last_day, today)
    report = AnnualReport(first_day, last_day, as_of, today)
    if as_of < first_day:
        raise ValueError("the year has not begun")
    # the year's months, the twelve before them (the same months a year before) and one more
    # month first, which gathers every change before it (so not counted)
    months = (as_of.year - first_day.year) * 12 + as_of.month - first_day.month + 1
    ends = month_ends(as_of, months + 13)
    counts = _over_time(_status_events(as_of), ends)
    report.months = [MonthRow(end, counts["on"][i], counts["starts"][i], counts["returns"][i],
                              counts["on"][i - 12]) for i, end in enumerate(ends) if i >= 13]
    report.on_register_start = counts["on"][12]  # at the end of the August before
    report.on_register_start_year_before = counts["on"][0]
    report.starts, report.returns = sum(counts["starts"][13:]), sum(counts["returns"][13:])
    report.month_starts_before = counts["starts"][1:months + 1]
    report.month_returns_before = counts["returns"][1:months + 1]
    report.starts_year_before = sum(report.month_starts_before)
    report.returns_year_before = sum(report.month_returns_before)
    with _children_during(first_day, as_of) as children:
        report.during = children.count()
        found = tables(children, report.during, as_of)
    report.tables = [t for t in found if t.key not in ("status", "contacts")]
    report.contacts = next(t for t in tables(Child.objects.filter(status__in=OPEN_STATUSES), 0, today)
                           if t.key == "contacts")
    report.timings = timings(first_day, as_of)
    return report


@contextmanager
def _children_during(first: dt.date, last: dt.date) -> Iterator[QuerySet[Child]]:
    """The children on the register at any time from `first` to `last`, written to a temporary
    table once (each table's count reads it, not the status history again)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"DROP TABLE IF EXISTS {_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_TABLE} AS "
                       + _DURING_SQL.format(on=_sql_in(OPEN_STATUSES)), [last, first, first])
        if connection.vendor == "postgresql":  # its size, for the plans of the counts that join it
            cursor.execute(f"ANALYZE {_TABLE}")
    try:
        yield Child.objects.filter(pk__in=RawSQL("SELECT child_id FROM reports_annual_children", ()))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_TABLE}")
