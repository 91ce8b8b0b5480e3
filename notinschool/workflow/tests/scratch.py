"""A database of its own for `notinschool` commands run as real processes (so they can be run
side by side, or killed): a SQLite file, or, when the suite runs on PostgreSQL, a PostgreSQL
database made for the test from a template migrated once per session, and dropped after."""

import atexit
import contextlib
import csv
import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

from notinschool.core.locks import lock_key

NOTINSCHOOL = Path(sys.executable).parent / "notinschool"
AS_OF = "2026-11-23"
_TEMPLATE = f"nis_scratch_template_{os.getpid()}"  # one per test run: runs side by side do not meet


def postgres() -> bool:
    """The test database is PostgreSQL (by its vendor: the suite's backend is a subclass of
    Django's, named notinschool.core.testdb)."""
    return connection.vendor == "postgresql"


def _admin() -> psycopg.Connection[Any]:
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], password=db["PASSWORD"], dbname="postgres",
                           autocommit=True)


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{name}")


class Scratch:
    """One database and the commands that run against it."""

    def __init__(self, folder: Path, url: str, name: str = ""):
        self.folder, self.url, self.name = folder, url, name

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "NOTINSCHOOL_AS_OF")}
        return {**env, "DATABASE_URL": self.url}

    def start(self, *argv: str, log: Path | None = None) -> "subprocess.Popen[str]":
        """The command running in the background; what it prints goes to `log` (readable while
        it runs), or nowhere."""
        out = log.open("w") if log is not None else subprocess.DEVNULL
        return subprocess.Popen([str(NOTINSCHOOL), "--as-of", AS_OF, *argv], cwd=self.folder,
                                env=self.env(), stdout=out, stderr=subprocess.STDOUT, text=True)

    @contextlib.contextmanager
    def holding_imports_lock(self) -> Iterator[None]:
        """Hold the lock every import takes, from this process, for the block: imports started
        meanwhile queue behind it."""
        if self.name:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute("SELECT pg_advisory_lock(%s)", [lock_key("imports")])
                try:
                    yield
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", [lock_key("imports")])
            return
        with (self.folder / "db.sqlite3.imports.lock").open("ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def cli(self, *argv: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(NOTINSCHOOL), "--as-of", AS_OF, *argv], cwd=self.folder,
                              env=self.env(), capture_output=True, text=True, timeout=timeout,
                              check=False)
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
        return done

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.name:
            with psycopg.connect(self.url) as conn:
                cursor = conn.execute(sql)  # type: ignore[arg-type]
                return list(cursor.fetchall()) if cursor.description else []  # a DELETE: no rows
        with sqlite3.connect(self.folder / "db.sqlite3", timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    def register(self) -> list[dict[str, str]]:
        """The register export, every record, in reference order."""
        target = self.folder / f"register-{uuid.uuid4().hex}.csv"
        self.cli("export", "register", "--all", "-o", str(target))
        with target.open(newline="", encoding="utf-8-sig") as handle:
            return sorted(csv.DictReader(handle), key=lambda row: row["child_ref"])

    def pending_follow_ups(self) -> int:
        return self.query("SELECT count(*) FROM intake_importbatch WHERE followed_up_at IS NULL")[0][0]

    def latest_assessments_per_open_child(self) -> set[int]:
        rows = self.query(
            "SELECT c.id, (SELECT count(*) FROM risk_assessment a WHERE a.child_id = c.id AND "
            "a.is_latest) FROM people_child c WHERE c.status IN ('ehe', 'cme', 'not_in_school_other')")
        return {count for _, count in rows}


def kill(process: "subprocess.Popen[str]") -> None:
    """The way a machine losing power or an operator's kill -9 ends a process: no cleanup."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def wait_until(check: Callable[[], bool], *, seconds: float = 120, every: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def scratch_databases(tmp_path_factory: Any) -> Iterator[Callable[[], Scratch]]:
    """A factory of scratch databases for one test module; every PostgreSQL one is dropped at
    the end."""
    made: list[str] = []

    def make() -> Scratch:
        folder = tmp_path_factory.mktemp("scratch")
        if not postgres():
            scratch = Scratch(folder, f"sqlite:///{folder / 'db.sqlite3'}")
            scratch.cli("migrate", "--verbosity", "0")
            return scratch
        _template_ready(tmp_path_factory)
        name = f"nis_scratch_{uuid.uuid4().hex[:12]}"
        with _admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"')
        made.append(name)
        return Scratch(folder, _url(name), name)

    yield make
    if made:
        with _admin() as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_made_template: list[bool] = []


def template_from_test_database(test_database: str) -> None:
    """Make the template a copy of the test database that pytest-django has just migrated, before
    any test has used it (the root conftest.py calls this when the run has tests marked
    `processes`): the same migrations, data migrations included, without running all of them
    again in a `notinschool migrate` process of their own (about 25 s of CPU). Nothing may be
    connected to the test database meanwhile."""
    if _create_template(copy_of=test_database):
        _made_template.append(True)


def _template_ready(tmp_path_factory: Any) -> None:
    """A migrated database to copy, made once per test run (named for the process, dropped when
    it ends), unless the root conftest.py already copied the test database."""
    if _create_template(copy_of=None):
        Scratch(tmp_path_factory.mktemp("template"), _url(_TEMPLATE), _TEMPLATE).cli(
            "migrate", "--verbosity", "0")
        _made_template.append(True)


def _create_template(*, copy_of: str | None) -> bool:
    """Create the template database, empty or as a copy of `copy_of`, dropped when the run ends;
    False (and nothing done) when this run has made it already."""
    if _made_template:
        return False
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{_TEMPLATE}"' + (f' TEMPLATE "{copy_of}"' if copy_of else ""))
    atexit.register(_drop_template)
    return True


def _drop_template() -> None:
    with contextlib.suppress(psycopg.Error), _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
