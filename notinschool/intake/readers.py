"""Reading an intake file as rows of text cells, whatever its container (CSV or XLSX).

Column names are matched case-insensitively, ignoring surrounding spaces. The whole file is
read before anything is written, so an import is all or nothing."""

import csv
import datetime as dt
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from notinschool.core.errors import InputProblem

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_CELL = 100_000
csv.field_size_limit(MAX_CELL * 10)
_FOLDER = "is a folder, not a file: name the file to import"


class UnreadableFile(Exception):
    def __init__(self, problem: InputProblem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class RawTable:
    header: list[str]          # normalised names, in file order
    rows: list[tuple[int, list[str]]]  # (file row number, the header being 1; cells stripped)


def read_table(path: Path, display: str) -> RawTable:
    file_check(path, display)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, display)
    return _read_csv(path, display)


def file_check(path: Path, display: str) -> None:
    """Raise UnreadableFile unless `path` is a readable file of at most MAX_FILE_BYTES: a
    missing file, a folder, a file the import may not read are a problem, not a traceback."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableFile(InputProblem(display, 0, "-", "no such file")) from None
    except OSError as error:
        raise UnreadableFile(_os_problem(display, error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(InputProblem(display, 0, "-", _FOLDER))
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(InputProblem(display, 0, "-", "is not a plain file"))
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableFile(InputProblem(display, 0, "-", "the file is larger than 512 MB"))
    if not os.access(path, os.R_OK):
        raise UnreadableFile(InputProblem(display, 0, "-", "cannot be read: permission denied"))


def file_bytes(path: Path, display: str) -> bytes:
    """The file's content; an error reading it is an UnreadableFile."""
    file_check(path, display)
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableFile(_os_problem(display, error)) from None


def _os_problem(display: str, error: OSError) -> InputProblem:
    if isinstance(error, PermissionError):
        return InputProblem(display, 0, "-", "cannot be read: permission denied")
    if isinstance(error, IsADirectoryError):
        return InputProblem(display, 0, "-", _FOLDER)
    return InputProblem(display, 0, "-", f"cannot be read: {error.strerror or type(error).__name__}")


def _read_csv(path: Path, display: str) -> RawTable:
    data = file_bytes(path, display)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(InputProblem(
            display, row, "-", "the file is not UTF-8 text: save it as CSV UTF-8")) from None
    if "\x00" in content:
        raise UnreadableFile(InputProblem(display, 1, "-", "the file is not a text CSV file"))
    try:
        rows = list(csv.reader(io.StringIO(content, newline="")))
    except csv.Error as error:
        raise UnreadableFile(InputProblem(display, 0, "-", f"cannot read the CSV: {error}")) from None
    return _table(rows, display)


def _read_xlsx(path: Path, display: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(InputProblem(
            display, 0, "-", f"cannot read the spreadsheet: {type(error).__name__}")) from None
    sheet = book.worksheets[0]
    rows = [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _table(rows, display)


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows: list[list[str]], display: str) -> RawTable:
    if not rows or not any((c or "").strip() for c in rows[0]):
        raise UnreadableFile(InputProblem(display, 1, "-", "the file is empty: it needs a header row"))
    header = [normalise_column(c) for c in rows[0]]
    body = []
    for number, cells in enumerate(rows[1:], start=2):
        stripped = [(c or "").strip() for c in cells]
        if any(stripped):
            body.append((number, stripped))
    return RawTable(header=header, rows=body)


def normalise_column(name: str) -> str:
    return (name or "").strip().lower()
