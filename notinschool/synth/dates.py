"""Date helpers: calendar months, compulsory school age, school days. Dates are ordinals."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

Date = dt.date


def add_months(d: Date, months: int) -> Date:
    """`d` moved by whole calendar months, clamped to the month's last day."""
    month0 = d.year * 12 + d.month - 1 + months
    year, month = divmod(month0, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return Date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)


def add_years(d: Date, years: int) -> Date:
    return add_months(d, 12 * years)


@lru_cache(maxsize=65536)
def iso(ordinal: int) -> str:
    return Date.fromordinal(ordinal).isoformat()


def _birthday(dob: Date, age: int) -> Date:
    return add_years(dob, age)


def csa_start(dob: Date) -> Date:
    """First day of compulsory school age: the first prescribed day (31 March, 31 August,
    31 December) on or after the fifth birthday."""
    fifth = _birthday(dob, 5)
    for month, day in ((3, 31), (8, 31), (12, 31)):
        prescribed = Date(fifth.year, month, day)
        if prescribed >= fifth:
            return prescribed
    raise AssertionError("31 December is on or after any day of its year")


def _last_friday_of_june(year: int) -> Date:
    d = Date(year, 6, 30)
    return d - dt.timedelta(days=(d.weekday() - 4) % 7)


def csa_end(dob: Date) -> Date:
    """Last day: the last Friday of June in the school year the child turns 16."""
    sixteenth = _birthday(dob, 16)
    school_year_end = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    return _last_friday_of_june(school_year_end)


def is_compulsory_school_age(dob: Date, on: Date) -> bool:
    return csa_start(dob) <= on <= csa_end(dob)


def weekday_on_or_before(ordinal: int) -> int:
    """The ordinal itself on Monday to Friday, otherwise the Friday before."""
    wd = (ordinal - 1) % 7  # Monday is 0 for proleptic ordinals (1 Jan 0001 was a Monday)
    return ordinal - (wd - 4) if wd > 4 else ordinal


def year_group(dob: Date, on: Date) -> int:
    """England: 0 for reception, 1..11; from the school year containing `on`."""
    school_year = on.year if on.month >= 9 else on.year - 1
    born_year = dob.year if dob.month >= 9 else dob.year - 1
    return school_year - born_year - 5


@lru_cache(maxsize=1024)
def as_date(ordinal: int) -> Date:
    return Date.fromordinal(ordinal)
