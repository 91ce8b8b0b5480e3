"""Imports that overlap give the register that the same imports one after the other give.

Every door goes through one import flow, and each import holds the imports lock from before it
reads the register until its follow-up is done: a second import waits, and says so on the
terminal. Here the test holds that lock itself while two real `notinschool import` processes
start, so both are certainly waiting when it lets go; then the register is compared with a
quiet run of the same files one after the other, in the order they ran."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from notinschool.workflow.tests.scratch import Scratch, scratch_databases, wait_until

# the settings of the run; the commands use their own database
pytestmark = [pytest.mark.django_db, pytest.mark.processes]
WAITING = "waiting for another import to finish"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], Scratch]]:
    yield from scratch_databases(tmp_path_factory)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("authority")
    Scratch(folder, f"sqlite:///{folder / 'synth.sqlite3'}").cli(
        "synth", "--children", "250", "--seed", "5", "--out", str(folder / "data"))
    return folder / "data"


def overlapped(db: Scratch, files: list[tuple[str, Path]], logs: Path) -> list[str]:
    """Start one import per file while the imports lock is held, let go once all are waiting;
    every import must succeed. Returns the kinds in the order they were imported."""
    with db.holding_imports_lock():
        running = [(db.start("import", kind, str(path), log=logs / f"{n}.log"), logs / f"{n}.log")
                   for n, (kind, path) in enumerate(files)]
        assert wait_until(lambda: all(WAITING in log.read_text() for _, log in running),
                          seconds=180), [log.read_text() for _, log in running]
    for process, log in running:
        assert process.wait(timeout=600) == 0, log.read_text()
    return [kind for kind, in db.query("SELECT kind FROM intake_importbatch ORDER BY created_at")]


def one_after_the_other(db: Scratch, files: dict[str, Path], order: list[str]) -> None:
    for kind in order:
        db.cli("import", kind, str(files[kind]))


def counts(db: Scratch) -> tuple[int, ...]:
    return tuple(db.query(f"SELECT count(*) FROM {table}")[0][0] for table in (  # noqa: S608 (our tables)
        "people_child", "intake_notification", "linkage_duplicatepair", "linkage_personmatch",
        "risk_requiredaction"))


def test_two_kinds_at_once_give_the_register_of_one_after_the_other(scratch, authority, tmp_path):
    files = {"roll-deletions": authority / "roll-deletions.csv",
             "parent-registrations": authority / "parent-registrations.csv"}
    db = scratch()
    order = overlapped(db, list(files.items()), tmp_path)
    quiet = scratch()
    one_after_the_other(quiet, files, order)
    assert db.register() == quiet.register()
    assert counts(db) == counts(quiet)
    assert db.latest_assessments_per_open_child() == {1}
    assert db.pending_follow_ups() == 0


def test_the_same_file_twice_at_once_is_imported_once(scratch, authority, tmp_path):
    deletions = authority / "roll-deletions.csv"
    db = scratch()
    overlapped(db, [("roll-deletions", deletions), ("roll-deletions", deletions)], tmp_path)
    said = sorted((tmp_path / f"{n}.log").read_text() for n in range(2))
    assert any(" 0 new, " in text for text in said), said  # the second found it all imported
    assert not any("Traceback" in text for text in said), said
    quiet = scratch()
    quiet.cli("import", "roll-deletions", str(deletions))
    assert db.register() == quiet.register()
    assert counts(db) == counts(quiet)


def test_a_waiting_import_starts_when_the_lock_is_let_go(scratch, authority, tmp_path):
    """The wait is for the lock and no longer: the import finishes soon after."""
    db = scratch()
    log = tmp_path / "0.log"
    with db.holding_imports_lock():
        process = db.start("import", "referrals", str(authority / "referrals.csv"), log=log)
        assert wait_until(lambda: WAITING in log.read_text(), seconds=180)
        time.sleep(1)
        assert process.poll() is None  # still waiting while the lock is held
    assert process.wait(timeout=600) == 0, log.read_text()
