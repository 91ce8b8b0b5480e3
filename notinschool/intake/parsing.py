"""Checking every row of an intake file against its kind's columns, collecting every problem
as FILE:ROW:COLUMN: message before anything is written."""

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notinschool.core.errors import InputProblem
from notinschool.intake.columns import AGENCY, CellError, CellWarning, Column, today_fixed
from notinschool.intake.kinds import intake_kind
from notinschool.intake.readers import MAX_CELL, RawTable, UnreadableFile, read_table

WARNINGS_SHOWN = 100


@dataclass
class ParsedRow:
    number: int                 # file row, the header being row 1
    values: dict[str, Any]      # every known column; None where the cell was empty
    raw: dict[str, str]         # the cells as sent, for a rejected-rows file
    digest: str = ""            # the row's content hash, once worked out (workspace.row_hash)


@dataclass
class ParsedFile:
    display: str
    kind: str
    rows: list[ParsedRow] = field(default_factory=list)  # a ColumnarRows for a columnar parse
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejected: list[tuple[ParsedRow, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    cell_warnings: int = 0  # rows kept without a value that failed its check

    def warn_cell(self, problem: InputProblem) -> None:
        """A cell's warning (FILE:ROW:COLUMN: message): the first WARNINGS_SHOWN in full, then
        one line counting the rest."""
        self.cell_warnings += 1
        if self.cell_warnings <= WARNINGS_SHOWN:
            self.warnings.append(str(problem))
            return
        line = (f"{self.display}: {self.cell_warnings - WARNINGS_SHOWN:,} more rows with a number "
                f"that fails its check (not used to match them)")
        if self.warnings and self.warnings[-1].startswith(f"{self.display}: ") and \
                self.warnings[-1].endswith("(not used to match them)"):
            self.warnings[-1] = line
        else:
            self.warnings.append(line)


def parse_file(kind: str, path: Path, display: str, *, columnar: bool = True) -> ParsedFile:
    """Every row of the file checked; the problems, or the rows. A kind with a reader of its
    own (agency files, checked column-wise: `rows` is then a ColumnarRows) uses it, with the
    same values, problems and rejected rows as the row path (`columnar=False`, the reference)."""
    registered = intake_kind(kind)
    if registered.parse is not None and columnar:
        return registered.parse(path, display)
    columns = dict(registered.columns)
    result = ParsedFile(display=display, kind=kind)
    try:
        table = read_table(path, display)
    except UnreadableFile as error:
        result.problems.append(error.problem)
        return result
    return _parse_table(table, columns, result)


def parse_agency_columnar(path: Path, display: str) -> ParsedFile:
    """An agency file, checked column-wise where it can be (intake.columnar)."""
    from notinschool.intake.columnar import parse_agency_columns, read_columns

    columns = AGENCY
    result = ParsedFile(display=display, kind="agency")
    try:
        read = read_columns(path, display)
    except UnreadableFile as error:
        result.problems.append(error.problem)
        return result
    if isinstance(read, RawTable):
        return _parse_table(read, columns, result)
    header, cells, count = read
    result.header = header
    if not _check_header(RawTable(header=header, rows=[]), columns, result):
        return result
    with today_fixed():
        parse_agency_columns(header, cells, count, result,
                             lambda number, raw: _parse_row(number, raw, columns, result))
    return result


def _parse_table(table: RawTable, columns: dict[str, Column], result: ParsedFile) -> ParsedFile:
    result.header = table.header
    if not _check_header(table, columns, result):
        return result
    header = table.header
    width, named = len(header), "" not in header
    with today_fixed():
        for number, cells in table.rows:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            raw = dict(zip(header, cells, strict=False))  # names unique (checked); extra cells dropped
            if not named:
                raw.pop("", None)
            _parse_row(number, raw, columns, result)
    return result


INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\u200e\u200f"
"""Characters a header cell may carry that nobody sees: byte-order mark, zero-width spaces and
joiners, word joiner, soft hyphen, direction marks. (Non-breaking and other spaces around a name
are already stripped: `readers.normalise_column`.)"""


def _invisible_problem(display: str, raw: str, column: str) -> InputProblem:
    found = sorted({ch for ch in raw if ch in INVISIBLE})
    if found == ["\ufeff"] and raw.startswith("\ufeff"):
        message = ("the column name starts with a byte-order mark (U+FEFF) left over after the "
                   "first: the file was saved with two. Save it again as CSV UTF-8 and send it again")
    else:
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'invisible character')}"
                          for ch in found)
        message = (f"the column name has an invisible character in it ({names}): type the "
                   f"name again and send the file again")
    return InputProblem(display, 1, column, message)


def _shown(name: str) -> str:
    """A header cell as a warning shows it: invisible characters written out."""
    return name if not any(ch in INVISIBLE for ch in name) else ascii(name)


def _check_header(table: RawTable, columns: dict[str, Column], result: ParsedFile) -> bool:
    seen: set[str] = set()
    disguised: set[str] = set()  # contract columns named with invisible characters in them
    for name in table.header:
        if name in seen and name:
            result.problems.append(InputProblem(result.display, 1, name, "the column appears twice"))
        seen.add(name)
        plain = "".join(ch for ch in name if ch not in INVISIBLE).strip()
        if plain != name and plain in columns:
            result.problems.append(_invisible_problem(result.display, name, plain))
            disguised.add(plain)
    unknown = [n for n in table.header
               if n and n not in columns and "".join(ch for ch in n if ch not in INVISIBLE).strip()
               not in disguised]
    if unknown:
        result.warnings.append(f"{result.display}: unknown columns ignored: "
                               f"{', '.join(_shown(n) for n in unknown)}")
    missing = [c.name for c in columns.values()
               if c.required and c.name not in seen and c.name not in disguised]
    for name in missing:
        result.problems.append(InputProblem(result.display, 1, name, "required column is missing"))
    return not result.problems


def _parse_row(number: int, raw: dict[str, str], columns: dict[str, Column], result: ParsedFile) -> None:
    values: dict[str, Any] = {}
    problems: list[InputProblem] = []
    for name, column in columns.items():
        cell = raw.get(name, "")
        if not cell:
            values[name] = None
            if column.required:
                problems.append(InputProblem(result.display, number, name, "is required"))
            continue
        if len(cell) > MAX_CELL:
            problems.append(InputProblem(result.display, number, name, "the cell is too long"))
            continue
        try:
            values[name] = column.parse(cell)
        except CellWarning as warning:
            values[name] = None
            result.warn_cell(InputProblem(result.display, number, name, str(warning)))
        except CellError as error:
            problems.append(InputProblem(result.display, number, name, str(error)))
    problems += _row_rules(result.kind, number, values, result.display)
    row = ParsedRow(number=number, values=values, raw=raw)
    if problems:
        result.problems += problems
        result.rejected.append((row, "; ".join(f"{p.column}: {p.message}" for p in problems)))
    else:
        result.rows.append(row)


def _row_rules(kind: str, number: int, values: dict[str, Any], display: str) -> list[InputProblem]:
    problems = []
    if kind == "referrals" and not (values.get("date_of_birth") or values.get("address_line_1")
                                    or values.get("postcode")):
        problems.append(InputProblem(display, number, "date_of_birth",
                                     "give the date of birth or an address"))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems.append(InputProblem(display, number, "end_date", "is before the start date"))
    return problems
