"""Plain rows in and out of the database, for set-based services: a scratch table filled in one
stream (COPY on PostgreSQL, executemany on SQLite), so that the work is done by a few
statements joining it, not by a model object per row.

Values go in as the database stores them: `db_uuid` and `db_date` convert (SQLite keeps UUIDs
as 32 hex digits and dates as ISO text; PostgreSQL takes the Python objects)."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection


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
