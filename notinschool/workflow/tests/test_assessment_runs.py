"""One assessment run at a time (issue 21): a manual `notinschool assess` that overlaps the
nightly task, or an import's run for a few children that comes in the middle of a whole-register
run, waits for the run under way instead of interleaving with it, and `assess` says that it
waits. Otherwise two runs at once left every open child with two latest assessments.

On PostgreSQL the runs are threads, each with its own connection to the test database; the
command line is a real process beside one that holds the lock, on PostgreSQL and on a SQLite
file (where the lock is a file lock)."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.models import Count

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.locks import _file_lock, advisory_lock
from notinschool.people.models import OPEN_STATUSES
from notinschool.risk.models import Assessment, AssessmentRun
from notinschool.risk.tests.helpers import ordinary_child, with_fact
from notinschool.workflow import assessment
from notinschool.workflow.assessment import risk_assessment_run_recorded

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="threads with connections of their own: PostgreSQL")
NOTINSCHOOL = Path(sys.executable).parent / "notinschool"


class Thread(threading.Thread):
    """Runs `work` with a database connection of its own; keeps what it returned or raised."""

    def __init__(self, work: Callable[[], Any]):
        super().__init__(daemon=True)
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as error:  # reported by outcome()
            self.error = error
        finally:
            connections.close_all()

    def outcome(self, timeout: float = 60) -> Any:
        self.join(timeout)
        assert not self.is_alive(), "still running"
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture
def register(as_of: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Twelve open records and a closed one, in chunks of three: a run is five transactions."""
    monkeypatch.setattr(assessment, "_CHUNK", 3)
    children = [ordinary_child() for _ in range(12)]
    with_fact(children[0], "child_in_need")
    ordinary_child(status="returned_to_school")
    return children


def latest_per_child() -> dict[Any, int]:
    return dict(Assessment.objects.filter(is_latest=True).values_list("child").annotate(n=Count("id")))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_whole_register_runs_started_at_once_take_turns(register):
    start = threading.Barrier(2)

    def run() -> AssessmentRun:
        start.wait()
        return risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)

    threads = [Thread(run), Thread(run)]
    for thread in threads:
        thread.start()
    first, second = sorted((t.outcome() for t in threads), key=lambda r: r.created_at)
    # both recorded, one after the other: the second compared with the first's results
    assert AssessmentRun.objects.count() == 2
    assert (first.children, second.children) == (12, 12)
    assert second.created_at >= first.modified_at
    assert first.summary["first_assessed"] == 12
    assert second.summary["tier_unchanged"] == 12 and "first_assessed" not in second.summary
    # exactly one latest assessment per open child, the second run's
    assert latest_per_child() == {c.pk: 1 for c in register}
    assert set(Assessment.objects.filter(is_latest=True).values_list("run", flat=True)) == \
        {second.pk}
    assert Assessment.objects.filter(child__status__in=OPEN_STATUSES).count() == 24


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_run_for_a_few_children_waits_for_the_run_under_way(register):
    said: list[str] = []
    with advisory_lock("assessment"):  # a whole-register run under way on this connection
        waiting = Thread(lambda: risk_assessment_run_recorded(
            actor=COMMAND_LINE, child_ids=[register[0].pk],
            on_wait=lambda: said.append("waiting")))
        waiting.start()
        time.sleep(1)
        assert waiting.is_alive() and said == ["waiting"]
        assert not AssessmentRun.objects.exists() and not Assessment.objects.exists()
    run = waiting.outcome()
    assert run.children == 1 and said == ["waiting"]
    assert latest_per_child() == {register[0].pk: 1}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_run_that_fails_lets_the_next_one_run(register, monkeypatch):
    def broken(*args: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(assessment, "_assess_chunk", broken)
    with pytest.raises(RuntimeError):
        risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)
    monkeypatch.undo()
    monkeypatch.setattr(assessment, "_CHUNK", 3)
    said: list[str] = []
    run = Thread(lambda: risk_assessment_run_recorded(
        actor=COMMAND_LINE, child_ids=None, on_wait=lambda: said.append("waiting")))
    run.start()
    assert run.outcome().children == 12 and said == []


@postgres_only
@pytest.mark.django_db
def test_a_run_inside_a_transaction_holds_the_lock_until_that_transaction_ends(register):
    """Inside a caller's transaction (a match decision) the run's lock is the transaction's:
    released at its commit or rollback, never left behind by an aborted one."""
    risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=[register[0].pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 1  # still held: the test's transaction is open


def test_the_file_lock_waits_for_its_holder_and_is_re_entrant(tmp_path):
    """SQLite's lock: a file beside the database, held across the run's transactions."""
    path, said, events = tmp_path / "db.sqlite3.assessment.lock", [], []

    def second() -> None:
        with _file_lock(path, lambda: said.append("waiting")):
            events.append("second")

    with _file_lock(path, None), _file_lock(path, None):  # the same thread again: no wait
        waiting = Thread(second)
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive() and said == ["waiting"] and events == []
        events.append("first done")
    waiting.outcome()
    assert events == ["first done", "second"] and said == ["waiting"]


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The database for real processes: a SQLite file of its own, or PostgreSQL's test
    database (the test commits, so the processes see the migrated tables)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        yield (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
               f"{db['PORT'] or 5432}/{db['NAME']}")
    else:
        yield f"sqlite:///{tmp_path / 'notinschool.sqlite3'}"


HOLD = """
import sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
if connection.vendor == "sqlite":
    call_command("migrate", verbosity=0)
from notinschool.core.locks import advisory_lock
with advisory_lock("assessment"):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.mark.django_db(transaction=True)
def test_assess_says_it_waits_for_another_run_then_runs(database_url, tmp_path):
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NOTINSCHOOL_AS_OF")},
           "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    holder = subprocess.Popen([sys.executable, "-c", HOLD], cwd=tmp_path, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assess = subprocess.Popen([str(NOTINSCHOOL), "--as-of", "2026-11-23", "assess"],
                                  cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        assert assess.stdout is not None
        assert assess.stdout.readline() == "waiting for another assessment run to finish\n"
        time.sleep(0.5)
        assert assess.poll() is None  # still waiting
        holder.communicate("", timeout=30)  # the other run ends
        out, err = assess.communicate(timeout=60)
    finally:
        for process in (holder, locals().get("assess")):
            if process is not None and process.poll() is None:
                process.kill()
    assert assess.returncode == 0, err
    assert out.startswith("assessed 0 children with rule version")
    assert "waiting" not in out
