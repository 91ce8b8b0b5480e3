"""A kill at any point of an import leaves either nothing or a register that heals itself
without a person: the import records what must follow it (linking, possible duplicates,
assessment) in the same transaction as its rows, and whoever comes next finishes it — here the
same command run again, which says "0 new" and still repairs the register.

Real processes, killed with SIGKILL, against a database of their own (SQLite, or PostgreSQL
when the suite runs on it); the register after the kill and the re-run is compared with the
register of a quiet run of the same file."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from notinschool.workflow.tests.scratch import Scratch, kill, scratch_databases, wait_until

# the settings of the run; the commands use their own database
pytestmark = [pytest.mark.django_db, pytest.mark.processes]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], Scratch]]:
    yield from scratch_databases(tmp_path_factory)


@pytest.fixture(scope="module")
def deletions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic authority's roll deletions: a few hundred children, some at the same address."""
    folder = tmp_path_factory.mktemp("authority")
    Scratch(folder, f"sqlite:///{folder / 'synth.sqlite3'}").cli(
        "synth", "--children", "250", "--seed", "11", "--out", str(folder / "data"))
    return folder / "data" / "roll-deletions.csv"


@pytest.fixture(scope="module")
def quiet(scratch: Callable[[], Scratch], deletions: Path) -> tuple[list[dict[str, str]], float]:
    """The register after one undisturbed import of the file, and how long the import took."""
    db = scratch()
    started = time.monotonic()
    db.cli("import", "roll-deletions", str(deletions))
    took = time.monotonic() - started
    assert db.pending_follow_ups() == 0
    return db.register(), took


def children(db: Scratch) -> int:
    return db.query("SELECT count(*) FROM people_child")[0][0]


def healed(db: Scratch, deletions: Path, expected: list[dict[str, str]]) -> str:
    """Run the same import again; the register must be the quiet run's, nothing pending, and
    one latest assessment for every open child. Returns what the re-run printed."""
    done = db.cli("import", "roll-deletions", str(deletions))
    assert db.pending_follow_ups() == 0
    assert db.latest_assessments_per_open_child() == {1}
    register = db.register()
    assert len(register) == len(expected)
    assert register == expected
    return done.stdout


def test_a_kill_after_the_commit_is_healed_by_running_the_same_import_again(scratch, deletions, quiet):
    expected, _ = quiet
    db = scratch()
    process = db.start("import", "roll-deletions", str(deletions))
    committed = wait_until(lambda: db.pending_follow_ups() > 0 or process.poll() is not None)
    assert committed and process.poll() is None, "the import finished before it could be killed"
    kill(process)
    # the rows are in, what follows them is not: children with no assessment at all
    assert db.pending_follow_ups() == 1
    assert 0 in db.latest_assessments_per_open_child()
    printed = healed(db, deletions, expected)
    assert " 0 new, " in printed and "already imported" in printed


@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])
def test_a_kill_at_any_moment_leaves_nothing_or_a_register_that_heals(scratch, deletions, quiet, share):
    expected, took = quiet
    db = scratch()
    process = db.start("import", "roll-deletions", str(deletions))
    time.sleep(took * share)
    if process.poll() is None:
        kill(process)
    batches = db.query("SELECT count(*) FROM intake_importbatch")[0][0]
    # all or nothing: either the file's rows are in (with the follow-up recorded), or none is
    assert (batches, children(db)) == (0, 0) or (batches == 1 and children(db) > 0)
    healed(db, deletions, expected)


def test_the_scheduled_task_finishes_what_a_killed_import_left(scratch, deletions, quiet):
    expected, _ = quiet
    db = scratch()
    process = db.start("import", "roll-deletions", str(deletions))
    assert wait_until(lambda: db.pending_follow_ups() > 0 or process.poll() is not None)
    if process.poll() is not None:
        pytest.skip("the import finished before it could be killed")
    kill(process)
    db.cli("shell", "-c", "from notinschool.workflow.tasks import complete_follow_ups; "
                          "print(complete_follow_ups.call())")
    assert db.pending_follow_ups() == 0
    assert db.register() == expected
