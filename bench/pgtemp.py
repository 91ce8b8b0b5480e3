"""A throw-away PostgreSQL database for one benchmark: created, migrated, used, dropped.

    with bench_database("notinschool_bench_intake"):
        ...  # Django is set up and the default connection points at the new database

The server is the one in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); only
the database name changes. Benchmarks never touch the database named in DATABASE_URL."""

import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test"


def _server_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    if not parts.scheme.startswith("postgres"):
        parts = urlsplit(DEFAULT_SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(sql: str) -> None:
    """Run `sql` on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() \
            is not None


def django_setup() -> None:
    """Set Django up once, pointing at the benchmark server (the name is switched later)."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ["DATABASE_URL"] = _server_url("postgres")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()


@contextmanager
def bench_database(name: str, *, keep: bool = False, template: str = "") -> Iterator[None]:
    """Create database `name` (dropping a leftover one), migrate it (or copy `template`), point
    Django's default connection at it, and drop it afterwards (unless `keep`)."""
    django_setup()
    from django.core.management import call_command
    from django.db import connections

    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    connections.close_all()
    previous = connections["default"].settings_dict["NAME"]
    connections["default"].settings_dict["NAME"] = name
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        how = f"copied from {template}" if template else "created"
        print(f"  (database {name} {how} and migrated in {time.perf_counter() - started:.1f} s)")
        yield
    finally:
        connections.close_all()
        connections["default"].settings_dict["NAME"] = previous
        if not keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def bench_tmp(name: str) -> Any:
    """A scratch folder under .tmp/bench-perf/ (gitignored) for generated files; delete the
    folder to regenerate them."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / ".tmp" / "bench-perf" / name
    root.mkdir(parents=True, exist_ok=True)
    return root


def cpu_seconds() -> float:
    """CPU time this process has used (user + system), to read beside wall time on a busy
    machine (the database server's CPU is not included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def db_cpu_seconds() -> float:
    """CPU time the database server process serving Django's connection has used (read from
    /proc: the server runs on this machine); 0.0 when it cannot be read. Process CPU plus
    this is what the work costs on a machine of its own."""
    import os as _os

    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        return (int(fields[11]) + int(fields[12])) / _os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0
