"""Writing tables out as CSV or XLSX, with spreadsheet formulae neutralised: a cell that
starts with = + - @ is written with a leading apostrophe so no spreadsheet runs it."""

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count


def write_xlsx(path: Path | IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]],
               *, title: str = "register") -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    count = 0
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        count += 1
    book.save(path)
    return count
