"""Fixtures shared by the whole suite."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from notinschool.core import clock

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def as_of() -> Iterator[dt.date]:
    """Fix 'today' as the command line's --as-of does."""
    with clock.as_of(AS_OF):
        yield AS_OF


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write rows (a header list then value lists) as a CSV file in a temporary folder."""

    def write(name: str, header: list[str], *rows: list[str]) -> Path:
        path = tmp_path / name
        lines = [",".join(header)] + [",".join(r) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
