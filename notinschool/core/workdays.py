"""Working days and school days in England.

A working day is Monday to Friday less the bank holidays in England (docs/risk-model.md, "How the
rules read time and facts"), taken from the `holidays` package and cached by year. A school day
is a working day unless the authority has loaded its own closures (term dates, training days),
which are passed in as a set of dates.

Counting: `add_working_days(start, n)` is the n-th working day after `start`, so a deadline of
"1 working day" for data that arrives on a Friday falls on the Monday (or the Tuesday after a
bank holiday Monday). `start` itself never counts, whether or not it is a working day, and
`n = 0` is the same day (a "same day" deadline). A negative `n` counts backwards.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

import holidays

_NO_CLOSURES: frozenset[dt.date] = frozenset()
_ONE_DAY = dt.timedelta(days=1)


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays in England in `year`, substitute days included (26 Dec 2026 -> 28 Dec)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def is_school_day(day: dt.date, *, closures: frozenset[dt.date] = _NO_CLOSURES) -> bool:
    return is_working_day(day) and day not in closures


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (before it when n is negative); n = 0 is `start`."""
    return _add_days(start, n, _NO_CLOSURES)


def add_school_days(
    start: dt.date, n: int, *, closures: frozenset[dt.date] = _NO_CLOSURES
) -> dt.date:
    """The n-th school day after `start`: working days less the authority's `closures`."""
    return _add_days(start, n, closures)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        count += is_working_day(day)
    return count


@lru_cache(maxsize=1 << 16)  # a bulk run asks about the same few hundred days again and again
def _add_days(start: dt.date, n: int, closures: frozenset[dt.date]) -> dt.date:
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining, day = abs(n), start
    while remaining:
        day += step
        if day.weekday() < 5 and day not in bank_holidays(day.year) and day not in closures:
            remaining -= 1
    return day
