"""Calendar months, cached: a bulk run asks about the same few hundred days again and again."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from notinschool.core import clock


@lru_cache(maxsize=1 << 16)
def add_months(day: dt.date, months: int) -> dt.date:
    """`core.clock.add_months`: calendar months, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    return clock.add_months(day, months)
