"""Column-wise checking of an agency CSV file: a million rows checked by a few Arrow operations
per column instead of a Python call per cell.

The per-row path (`parsing._parse_row`) stays the reference. Each column here only *accepts*
cells: a cell is accepted when a vectorised test proves the reference parser would take it and
give the same value (plain ASCII forms: `2024-01-31`, `LS6 1AB`, `f`...). A row with any cell
not accepted (an error, or a form only the reference reads, such as `31/01/2024` or a name
without ASCII letters) is handed to the reference path, which gives its values or its
problems, so every message, row number and value is the reference's own. Reading is the same
`csv` module as `readers._read_csv`; a ragged file (rows of other lengths than the header) goes
through the reference path whole."""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from notinschool.core import identifiers
from notinschool.intake import columns as col
from notinschool.intake.readers import MAX_CELL, RawTable, UnreadableFile, normalise_column

ROW = "_row"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_ISO_DATE = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"


class ColumnarRows(Sequence[Any]):
    """The valid rows of a file, kept as columns: `values` (the kind's columns, typed, and
    `_row`, the file row number) and `raw` (the stripped cells of the header's named columns),
    in file order. Reads as the list of ParsedRow the row path gives, made on demand."""

    def __init__(self, values: pa.Table, raw: pa.Table):
        self.values, self.raw = values, raw

    def __len__(self) -> int:
        return self.values.num_rows

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return list(self)[index]
        count = len(self)
        if not -count <= index < count:
            raise IndexError("row index out of range")
        index %= count
        return next(iter(ColumnarRows(self.values.slice(index, 1), self.raw.slice(index, 1))))

    def __iter__(self) -> Iterator[Any]:
        from notinschool.intake.parsing import ParsedRow

        names = [n for n in self.values.column_names if n != ROW]
        for batch, raw_batch in zip(self.values.to_batches(max_chunksize=10_000),
                                    _aligned(self.raw, self.values), strict=True):
            numbers = batch.column(ROW).to_pylist()
            value_columns = [batch.column(n).to_pylist() for n in names]
            raw_names = raw_batch.column_names
            raw_columns = [raw_batch.column(n).to_pylist() for n in raw_names]
            for i, number in enumerate(numbers):
                yield ParsedRow(
                    number=number, values={n: c[i] for n, c in zip(names, value_columns, strict=True)},
                    raw={n: c[i] for n, c in zip(raw_names, raw_columns, strict=True)})


def _aligned(raw: pa.Table, values: pa.Table) -> Iterator[pa.Table]:
    offset = 0
    for batch in values.to_batches(max_chunksize=10_000):
        yield raw.slice(offset, batch.num_rows)
        offset += batch.num_rows


def read_columns(path: Path, display: str) -> tuple[list[str], list[Any], int] | RawTable:
    """The header, the body's cells column by column (lists or Arrow arrays, not yet stripped)
    and the body's row count; or, for a file whose rows are not all as wide as its header, the
    RawTable the reference reader makes. Raises UnreadableFile as `readers.read_table` does."""
    from notinschool.intake.readers import _read_csv, _table, file_bytes, read_table

    if path.suffix.lower() == ".xlsx":
        return read_table(path, display)
    data = file_bytes(path, display)  # raises as the reference reader does (no file, a folder...)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _read_csv(path, display)
    if "\x00" in content:
        return _read_csv(path, display)
    arrays = arrow_records(data.removeprefix(codecs.BOM_UTF8))
    if arrays is not None:
        del content
        head = [str(a[0].as_py()) for a in arrays]
        if not any(c.strip() for c in head):
            return _table([head], display)  # raises: no header
        return [normalise_column(c) for c in head], [a.slice(1) for a in arrays], len(arrays[0]) - 1
    try:
        rows = list(csv.reader(io.StringIO(content, newline="")))
    except csv.Error:
        return _read_csv(path, display)
    del content
    width = len(rows[0]) if rows else 0
    if not rows or not any(c.strip() for c in rows[0]) or any(len(r) != width for r in rows):
        return _table(rows, display)
    header = [normalise_column(c) for c in rows[0]]
    body = rows[1:]
    columns = [list(c) for c in zip(*body, strict=True)] if body else [[] for _ in header]
    return header, columns, len(body)


def arrow_records(data: bytes) -> list[pa.Array] | None:
    """The CSV records of `data` (UTF-8 without BOM) as columns, read by Arrow, when that
    provably gives the records `csv.reader` gives (the reference reader); else None. Proof: one
    record per line ("\\n" or "\\r\\n" ends lines, none empty; as many records as lines; two columns or more),
    a line without a quote character splits on commas the same way in both, and every line with
    one is read again by `csv.reader` and compared; no cell reaches the csv module's size limit."""
    if b"\r" in data:  # Windows line ends, as councils' systems write them: the csv module
        # reads "\r\n" as it reads "\n", so such a file is read as its "\n" copy; any other
        # carriage return (a lone one, one inside a cell) leaves it to the csv module
        if data.count(b"\r") != data.count(b"\r\n"):
            return None
        data = data.replace(b"\r\n", b"\n")
    if (not data or b"\n" not in data or data.startswith(b"\n")
            or b"\n\n" in data):  # an empty line is a record of no cells to the csv module
        return None
    if data.startswith(codecs.BOM_UTF8):  # a second BOM: Arrow would drop it, the csv module keeps it
        return None
    first = data[:data.index(b"\n")].decode("utf-8")
    try:
        width = len(next(csv.reader([first])))
    except (csv.Error, StopIteration):
        return None
    if width < 2:
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=",", quote_char='"', double_quote=True,
                                              escape_char=False, newlines_in_values=False,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    raw = np.frombuffer(data, np.uint8)
    ends = np.flatnonzero(raw == 10)
    lines = len(ends) + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines or table.num_columns != width:
        return None
    limit = csv.field_size_limit()
    if any((pc.max(pc.utf8_length(c)).as_py() or 0) >= limit for c in table.columns):
        return None
    quoted = np.unique(np.searchsorted(ends, np.flatnonzero(raw == 34)))
    if len(quoted):
        starts = np.concatenate([[0], ends + 1])
        read = table.take(pa.array(quoted)).to_pylist()
        for line, record in zip(quoted.tolist(), read, strict=True):
            stop = int(ends[line]) if line < len(ends) else len(data)
            try:
                again = list(csv.reader([data[int(starts[line]):stop].decode("utf-8")]))
            except csv.Error:
                return None
            if again != [[record[n] for n in names]]:
                return None
    return [c.combine_chunks() for c in table.columns]


# --- column checks: each returns (accepted mask, values) for non-empty stripped cells ---------

Check = Callable[[pa.Array], tuple[pa.Array, pa.Array]]


def _no_control(cells: pa.Array) -> pa.Array:
    return pc.invert(pc.match_substring_regex(cells, _CONTROL))


def _text(max_length: int) -> Check:
    def check(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
        ok = pc.and_(pc.less_equal(pc.utf8_length(cells), max_length), _no_control(cells))
        return ok, cells
    return check


def _name(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    ok, values = _text(100)(cells)
    return pc.and_(ok, pc.match_substring_regex(cells, "[A-Za-z]")), values


def _date(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    shaped = pc.match_substring_regex(cells, _ISO_DATE)
    candidates = pc.if_else(shaped, cells, "2000-01-01")
    try:  # every shaped cell a real date (the usual case): one cast
        return shaped, pc.if_else(shaped, pc.cast(candidates, pa.date32()), None)
    except pa.ArrowInvalid:
        pass
    stamps = pc.strptime(candidates, format="%Y-%m-%d", unit="s", error_is_null=True)
    real = pc.fill_null(pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), candidates), False)
    ok = pc.and_(shaped, real)
    return ok, pc.cast(pc.if_else(ok, stamps, None), pa.date32())


def _birth_date(today: dt.date) -> Check:
    def check(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
        ok, values = _date(cells)
        fits = pc.and_(pc.less_equal(values, pa.scalar(today, pa.date32())),
                       pc.greater_equal(values, pa.scalar(dt.date(1900, 1, 1), pa.date32())))
        return pc.and_(ok, pc.fill_null(fits, False)), values
    return check


def _date_between(earliest: dt.date, latest: dt.date) -> Check:
    """A date from `earliest` to `latest` (columns.fact_start_date, fact_end_date)."""
    def check(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
        ok, values = _date(cells)
        fits = pc.and_(pc.less_equal(values, pa.scalar(latest, pa.date32())),
                       pc.greater_equal(values, pa.scalar(earliest, pa.date32())))
        return pc.and_(ok, pc.fill_null(fits, False)), values
    return check


def _codes(allowed: Sequence[str], upper: bool) -> Check:
    def check(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
        values = pc.ascii_upper(cells) if upper else pc.ascii_lower(cells)
        ok = pc.and_(pc.string_is_ascii(cells), pc.is_in(values, pa.array(allowed, pa.string())))
        return ok, values
    return check


def _postcode(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    plain = pc.match_substring_regex(cells, "^[A-Za-z0-9 ]*$")
    compact = pc.replace_substring(pc.ascii_upper(cells), " ", "")
    ok = pc.and_(plain, pc.match_substring_regex(compact, "^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"))
    outward = pc.utf8_slice_codeunits(compact, 0, -3)
    inward = pc.utf8_slice_codeunits(compact, -3)
    return ok, pc.binary_join_element_wise(outward, inward, " ")


def _weighted(cells: pa.Array, form: pa.Array, positions: range, weights: range) -> pa.Array:
    """The weighted sum of the digits at `positions` (0-based) of the cells in `form` (others
    count as all zeros), as int64."""
    digits = pc.if_else(form, cells, pa.scalar("0" * 13))
    total = pa.array(np.zeros(len(cells), np.int64))
    for position, weight in zip(positions, weights, strict=True):
        digit = pc.cast(pc.utf8_slice_codeunits(digits, position, position + 1), pa.int64())
        total = pc.add(total, pc.multiply(digit, weight))
    return total


def _nhs_number(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Accepts ten digits whose check digit is right (identifiers.nhs_number_valid); a number
    that fails it goes to the reference path, which keeps the row and warns."""
    compact = pc.replace_substring(cells, " ", "")
    form = pc.fill_null(pc.match_substring_regex(compact, "^[0-9]{10}$"), False)
    check = pc.subtract(11, _mod(_weighted(compact, form, range(9), range(10, 1, -1)), 11))
    last = pc.cast(pc.utf8_slice_codeunits(pc.if_else(form, compact, pa.scalar("0" * 10)), 9, 10),
                   pa.int64())
    right = pc.equal(_mod(check, 11), last)  # 11 is written 0; 10 is never issued (never equal)
    return pc.and_(form, right), compact


def _upn(cells: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Accepts a permanent UPN (twelve digits after the letter) whose check letter is right;
    a temporary UPN, or one that fails its check, goes to the reference path."""
    upper = pc.ascii_upper(cells)
    form = pc.fill_null(pc.match_substring_regex(upper, "^[A-Z][0-9]{12}$"), False)
    letters = pa.array(list(identifiers.UPN_ALPHABET))
    expected = pc.take(letters, _mod(_weighted(upper, form, range(1, 13), range(2, 14)), 23))
    right = pc.equal(expected, pc.utf8_slice_codeunits(upper, 0, 1))
    return pc.and_(form, pc.fill_null(right, False)), upper


def _mod(values: pa.Array, divisor: int) -> pa.Array:
    return pc.subtract(values, pc.multiply(pc.divide(values, divisor), divisor))


def agency_checks(today: dt.date, latest: dt.date) -> dict[str, tuple[Check, pa.DataType]]:
    """The agency columns' vectorised checks (each mirrors its `columns.AGENCY` parser), for a
    file read on `today`, whose facts may be dated up to `latest` (columns.latest_event)."""
    text = pa.string()
    return {
        "record_id": (_text(100), text), "forename": (_name, text),
        "middle_names": (_text(200), text), "surname": (_name, text),
        "sex": (_codes(("F", "M", "U"), upper=True), text),
        "date_of_birth": (_birth_date(today), pa.date32()),
        "address_line_1": (_text(200), text), "postcode": (_postcode, text),
        "nhs_number": (_nhs_number, text), "upn": (_upn, text),
        "parent1_name": (_text(200), text), "parent2_name": (_text(200), text),
        "indicator": (_codes(col.INDICATORS, upper=False), text),
        "start_date": (_date_between(col.EARLIEST_FACT, latest), pa.date32()),
        "end_date": (_date_between(dt.date.min, latest), pa.date32()),
        "detail": (_text(5000), text),
    }


def parse_agency_columns(header: list[str], cells: list[Any], count: int, result: Any,
                         parse_row: Callable[[int, dict[str, str]], None]) -> None:
    """Check the body of an agency file column-wise; the rows not accepted go one by one to
    `parse_row` (the reference, appending to `result` as it does)."""
    kind_columns = col.AGENCY
    checks = agency_checks(col.as_of(), col.latest_event())
    named = [(i, n) for i, n in enumerate(header) if n]
    stripped = {i: pc.utf8_trim(cells[i] if isinstance(cells[i], pa.Array) else
                                pa.array(cells[i], pa.string()), WHITESPACE)
                for i in range(len(header))}
    del cells
    numbers = pa.array(range(2, count + 2), pa.int32())
    # a row whose every cell is empty is not a row (the reference skips it)
    filled = _any([pc.greater(pc.utf8_length(c), 0) for c in stripped.values()], count)
    position = {n: i for i, n in named}
    accepted = pa.array([True] * count, pa.bool_())
    values: dict[str, pa.Array] = {}
    for name, column in kind_columns.items():
        check, kind = checks[name]
        if name not in position:
            ok = pa.array([not column.required] * count, pa.bool_())
            values[name] = pa.nulls(count, kind)
        else:
            text = stripped[position[name]]
            empty = pc.equal(pc.utf8_length(text), 0)
            good, parsed = check(text)
            ok = pc.if_else(empty, not column.required, pc.fill_null(good, False))
            values[name] = pc.if_else(empty, pa.nulls(count, kind), pc.cast(parsed, kind))
        accepted = pc.and_(accepted, ok)
    ends_early = pc.less(values["end_date"], values["start_date"])
    accepted = pc.and_(accepted, pc.invert(pc.fill_null(ends_early, False)))
    keep = pc.and_(accepted, filled)
    table = pa.table({ROW: numbers, **values})
    raw = pa.table({n: stripped[i] for i, n in named})
    fast_values, fast_raw = table.filter(keep), raw.filter(keep)
    others = pc.indices_nonzero(pc.and_(pc.invert(accepted), filled)).to_pylist()
    slow = []
    if others:
        before = len(result.rows)
        for index in others:
            row_raw = {n: stripped[i][index].as_py() for i, n in named}
            parse_row(index + 2, row_raw)
        slow = result.rows[before:]
        del result.rows[before:]
    if slow:
        extra = pa.table({ROW: pa.array([r.number for r in slow], pa.int32()),
                          **{n: pa.array([r.values[n] for r in slow], table.schema.field(n).type)
                             for n in kind_columns}})
        extra_raw = pa.table({n: pa.array([r.raw[n] for r in slow], pa.string()) for _i, n in named})
        fast_values = pa.concat_tables([fast_values, extra])
        fast_raw = pa.concat_tables([fast_raw, extra_raw])
        order = pc.sort_indices(fast_values, [(ROW, "ascending")])
        fast_values, fast_raw = fast_values.take(order), fast_raw.take(order)
    result.rows = ColumnarRows(fast_values.combine_chunks(), fast_raw.combine_chunks())


WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
              "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
"""What str.strip() removes: every character for which str.isspace() holds (a test checks)."""


def _any(masks: list[pa.Array], count: int) -> pa.Array:
    found = pa.array([False] * count, pa.bool_())
    for mask in masks:
        found = pc.or_(found, mask)
    return found


__all__ = ["MAX_CELL", "ROW", "ColumnarRows", "UnreadableFile", "parse_agency_columns", "read_columns"]
