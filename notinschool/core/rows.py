"""Plain rows in and out of the database, for set-based services: a scratch table filled in one
stream (COPY on PostgreSQL, executemany on SQLite), so that the work is done by a few
statements joining it, not by a model object per row.

Values go in as the database stores them: `db_uuid` and `db_date` convert (SQLite keeps UUIDs
as 32 hex digits and dates as ISO text; PostgreSQL takes the Python objects)."""

import datetime as dt
import itertools
import os
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection


def ordered_uuids() -> Callable[[], uuid.UUID]:
    """A maker of time-ordered UUIDs (the layout of RFC 9562 version 7: the milliseconds since
    1970 when the maker was made, 12 random bits of its own, then a 30-bit count and 32 random
    bits), rising in the order made. A million new rows keyed by these go into the end of the
    primary key index, where random version 4 keys land all over it and make the database
    rewrite pages across the whole index. Not for secrets: the random bits only keep two
    makers of the same millisecond apart."""
    number = _ordered_numbers()

    def make() -> uuid.UUID:
        made = object.__new__(uuid.UUID)
        object.__setattr__(made, "int", number())
        object.__setattr__(made, "is_safe", uuid.SafeUUID.unknown)
        return made

    return make


def ordered_uuid_texts() -> Callable[[], str]:
    """As `ordered_uuids`, as the 32 hex digits both databases take for a UUID column (what
    SQLite stores; PostgreSQL reads them without hyphens), for rows written without objects."""
    number = _ordered_numbers()
    return lambda: f"{number():032x}"


def _ordered_numbers() -> Callable[[], int]:
    seed = int.from_bytes(os.urandom(8))
    high = (time.time_ns() // 1_000_000) << 80 | 7 << 76 | (seed % 4096) << 64 | 0b10 << 62
    counter, bits = itertools.count(), random.Random(seed).getrandbits
    return lambda: high | (next(counter) & 0x3FFFFFFF) << 32 | bits(32)


def postgres() -> bool:
    return connection.vendor == "postgresql"


def db_uuid() -> Callable[[uuid.UUID | None], Any]:
    """UUID -> the value a UUIDField holds in this database."""
    if postgres():
        return lambda value: value
    return lambda value: value.hex if value is not None else None


def db_date() -> Callable[[dt.date | None], Any]:
    if postgres():
        return lambda value: value
    return lambda value: value.isoformat() if value is not None else None


def db_now() -> Any:
    """This moment as a DateTimeField holds it (one moment for a whole statement)."""
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())


def scratch_table(name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
    """A temporary table `name` of (column, SQL type) filled with `rows`. Types are written as
    PostgreSQL names them (uuid, date, text, varchar); SQLite takes any."""
    qn = connection.ops.quote_name
    definition = ", ".join(f"{qn(c)} {t}" for c, t in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(name)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {qn(name)} ({definition})")
    rows_insert(name, [c for c, _ in columns], rows)


def rows_insert(name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` (values in the order of `columns`, as the database stores them) into the
    table `name` in one stream."""
    qn = connection.ops.quote_name
    table, names = qn(name), ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if postgres():
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("%s" for _ in columns)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


def scratch_drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)}")


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; returns the rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def arrow_insert(name: str, table: Any, chunk_rows: int = 100_000) -> None:
    """Insert an Arrow table (columns named as the table's, values as the database stores them:
    UUIDs as 32 hex digits, dates as date32, timestamps as text) into the table `name`: on
    PostgreSQL as CSV written by Arrow through COPY (no Python object per row), on SQLite by
    executemany."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in table.column_names)
    if not postgres():
        columns = [[v.isoformat() if isinstance(v, dt.date) else v for v in table.column(c).to_pylist()]
                   for c in table.column_names]
        rows = list(zip(*columns, strict=True))
        marks = ", ".join("%s" for _ in table.column_names)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {qn(name)} ({names}) VALUES ({marks})", rows)  # noqa: S608
        return
    options = pa_csv.WriteOptions(include_header=False, batch_size=chunk_rows)
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {qn(name)} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        for start in range(0, table.num_rows, chunk_rows):
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(table.slice(start, chunk_rows), sink, options)
            copy.write(sink.getvalue().to_pybytes())


def arrow_scratch_table(name: str, columns: Sequence[tuple[str, str]], table: Any) -> None:
    """As `scratch_table`, filled from an Arrow table whose columns are `columns`' names."""
    qn = connection.ops.quote_name
    definition = ", ".join(f"{qn(c)} {t}" for c, t in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qn(name)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {qn(name)} ({definition})")
    arrow_insert(name, table.select([c for c, _ in columns]))
