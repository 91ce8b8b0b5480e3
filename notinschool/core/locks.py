"""Locks that keep work of one kind to one at a time across processes: a run that must not
interleave with another of its kind (two assessment runs at once) holds `advisory_lock(name)`
for the whole run, over the many transactions it commits.

PostgreSQL: an advisory lock on the name's fixed key (`KEYS`). Outside a transaction it is
held by the session, so across the run's own commits, and released when the block ends, also
on error. Inside a transaction (the caller's atomic block) it is held by that transaction and
released when it commits or rolls back: an aborted transaction cannot run the unlock, and the
work in it is not visible to others before then anyway.

SQLite: a writer already has the whole database to itself for each transaction
(`transaction_mode: IMMEDIATE`), but not between a run's commits, so an exclusive lock on a
file beside the database (`flock`) is held for the block, released when it ends or the process
does. Not inside a transaction: its writer would hold the database while waiting for the file,
and the holder could never commit; that transaction's work is serialised with every other
writer's as it is. None for an in-memory database (one process), nor where there is no `fcntl`.

Locks are re-entrant within a thread, as PostgreSQL's are within a session."""

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import DatabaseError, connection

try:
    import fcntl
except ImportError:  # pragma: no cover (not POSIX)
    fcntl = None  # type: ignore[assignment]

# name -> key: add a name for new work; never reuse or change a number
KEYS = {
    "assessment": 1,
    "imports": 2,
    "scheduler": 3,  # held by the one running scheduler for its whole life (web: `notinschool scheduler`)
}
_NAMESPACE = 0x4E495300 << 32  # "NIS\0": the project's keys, apart from any other user of the server

_held = threading.local()


def lock_key(name: str) -> int:
    """The PostgreSQL advisory lock key (a bigint) of a lock name in `KEYS`."""
    return _NAMESPACE | KEYS[name]


class LockBusy(Exception):
    """The lock was still held by someone else when the caller's patience ran out."""


@contextlib.contextmanager
def advisory_lock(name: str, *, on_wait: Callable[[], None] | None = None,
                  wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the lock `name` for the block, waiting for whoever holds it; `on_wait` is called
    once, before waiting, when the lock is taken (so a command line can say why it waits).
    With `wait_seconds`, wait at most that long, then raise LockBusy (a page or an API call
    that should not hang on another's long import)."""
    key = lock_key(name)
    if connection.vendor == "postgresql":
        with _postgres_lock(key, on_wait, wait_seconds):
            yield
    elif (connection.vendor == "sqlite" and fcntl is not None and not connection.in_atomic_block
          and not connection.is_in_memory_db()):  # type: ignore[attr-defined]
        with _file_lock(Path(f"{connection.settings_dict['NAME']}.{name}.lock"), on_wait,
                        wait_seconds):
            yield
    else:
        yield


def _patiently(try_once: Callable[[], bool], wait_seconds: float) -> None:
    """Try until it works or the time is up (then LockBusy)."""
    deadline = time.monotonic() + wait_seconds
    while not try_once():
        if time.monotonic() >= deadline:
            raise LockBusy
        time.sleep(0.2)


@contextlib.contextmanager
def _postgres_lock(key: int, on_wait: Callable[[], None] | None,
                   wait_seconds: float | None) -> Iterator[None]:
    scope = "_xact" if connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        def try_once() -> bool:
            cursor.execute(f"SELECT pg_try_advisory{scope}_lock(%s)", [key])
            return bool(cursor.fetchone()[0])

        if not try_once():
            if on_wait is not None:
                on_wait()
            if wait_seconds is not None:
                _patiently(try_once, wait_seconds)
            else:
                cursor.execute(f"SELECT pg_advisory{scope}_lock(%s)", [key])
    try:
        yield
    finally:
        if not scope:
            _postgres_unlock(key)


def _postgres_unlock(key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        connection.close()  # a broken session: ending it releases its locks


@contextlib.contextmanager
def _file_lock(path: Path, on_wait: Callable[[], None] | None,
               wait_seconds: float | None = None) -> Iterator[None]:
    held: Counter[str] = _held.__dict__.setdefault("files", Counter())
    if held[str(path)]:
        held[str(path)] += 1
        try:
            yield
        finally:
            held[str(path)] -= 1
        return
    with path.open("ab") as handle:
        def try_once() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        if not try_once():
            if on_wait is not None:
                on_wait()
            if wait_seconds is not None:
                _patiently(try_once, wait_seconds)
            else:
                fcntl.flock(handle, fcntl.LOCK_EX)
        held[str(path)] += 1
        try:
            yield
        finally:
            held[str(path)] -= 1
            fcntl.flock(handle, fcntl.LOCK_UN)
