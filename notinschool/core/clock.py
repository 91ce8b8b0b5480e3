"""The one clock: every piece of code that asks for today's date asks here.

`notinschool --as-of YYYY-MM-DD` sets NOTINSCHOOL_AS_OF, so deadlines and due dates in a
replay or a test are those of that day.
"""

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_ENV = "NOTINSCHOOL_AS_OF"


def today() -> dt.date:
    fixed = os.environ.get(_ENV)
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(LONDON).date()


def now() -> dt.datetime:
    """The current moment; on a fixed day, noon of that day in London."""
    fixed = os.environ.get(_ENV)
    if fixed:
        return dt.datetime.combine(dt.date.fromisoformat(fixed), dt.time(12), LONDON)
    return dt.datetime.now(LONDON)


def set_as_of(day: dt.date | None) -> None:
    if day is None:
        os.environ.pop(_ENV, None)
    else:
        os.environ[_ENV] = day.isoformat()


@contextlib.contextmanager
def as_of(day: dt.date) -> Iterator[None]:
    previous = os.environ.get(_ENV)
    set_as_of(day)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(_ENV, None)
        else:
            os.environ[_ENV] = previous


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        with contextlib.suppress(ValueError):
            return dt.date(year, month, min(day.day, candidate))
    raise ValueError(day)
