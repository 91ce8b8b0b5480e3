"""Chaos: a synthetic authority's files imported all at once, with an assessment run and a full
cross-reference started beside them, and one process killed at a random moment in each round;
then whatever was killed is sent again (as an operator would), and the register is compared
with a quiet run of the same files one after the other, in the order the chaotic run imported
them. Slow (minutes): `pytest -m slow notinschool/workflow/tests/test_chaos.py`; it prints its
figures (rounds, kills, differences)."""

import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from notinschool.workflow.tests.scratch import Scratch, kill, postgres, scratch_databases
from notinschool.workflow.tests.test_overlap import counts

pytestmark = [pytest.mark.django_db, pytest.mark.processes, pytest.mark.slow]
ROUNDS = 3


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], Scratch]]:
    yield from scratch_databases(tmp_path_factory)


def authority_files(folder: Path) -> list[tuple[str, ...]]:
    data = folder / "data"
    Scratch(folder, f"sqlite:///{folder / 'synth.sqlite3'}").cli(
        "synth", "--children", "300", "--seed", "23", "--out", str(data))
    # --skip-invalid as demo_load: the generator's contacts include one about a child the
    # register never had, which a real authority would also see
    files: list[tuple[str, ...]] = [(kind, str(data / f"{kind}.csv"), "--skip-invalid") for kind in (
        "roll-deletions", "parent-registrations", "referrals", "school-admissions", "contacts")]
    files += [("agency", str(path), "--skip-invalid", "--source", path.stem.removeprefix("agency-"))
              for path in sorted(data.glob("agency-*.csv"))]
    return files


def test_overlapping_imports_kills_and_runs_give_the_quiet_register(scratch, tmp_path):
    if not postgres():
        pytest.skip("PostgreSQL only: SQLite, the demo's database, has one writer at a time")
    files = authority_files(tmp_path)
    chaos = scratch()
    dice = random.Random(20261207)
    kills = 0
    for round_ in range(ROUNDS):
        started = time.monotonic()
        running = [(chaos.start("import", *f), f) for f in files]
        running += [(chaos.start("assess"), ()), (chaos.start("link"), ())]
        time.sleep(dice.uniform(2, 20))
        process, _ = dice.choice(running)
        if process.poll() is None:
            kill(process)
            kills += 1
        for process, _ in running:
            process.wait(timeout=900)
        print(f"round {round_ + 1}: {time.monotonic() - started:.1f} s")
    for f in files:  # the operator sends again what may not have arrived
        chaos.cli("import", *f)
    chaos.cli("link")
    chaos.cli("assess")
    # every import that changed something, in the order it ran (with --skip-invalid a file can
    # land in parts: contacts sent before the children they name, then again after)
    order = [(kind, source) for kind, source in chaos.query(
        "SELECT kind, source FROM intake_importbatch WHERE rows_new > 0 ORDER BY created_at")]
    by_kind = {(f[0], f[4] if len(f) > 4 else ""): f for f in files}
    quiet = scratch()
    for key in order:
        quiet.cli("import", *by_kind[key])
    quiet.cli("link")
    quiet.cli("assess")

    def without_refs(db: Scratch) -> list[tuple[str, ...]]:
        return sorted(tuple(v for k, v in row.items() if k != "child_ref") for row in db.register())

    mine, theirs = set(without_refs(chaos)), set(without_refs(quiet))
    differences = len(mine ^ theirs)
    (tmp_path / "differences.txt").write_text(
        "chaos only:\n" + "\n".join(map(str, sorted(mine - theirs))) + "\nquiet only:\n"
        + "\n".join(map(str, sorted(theirs - mine))) + f"\norder: {order}\n")
    print(f"differences written to {tmp_path / 'differences.txt'}")
    print(f"chaos: {ROUNDS} rounds of {len(files)} imports with assess and link beside them, "
          f"{kills} kills; register rows differing from the quiet run: {differences}")
    assert chaos.pending_follow_ups() == 0
    assert chaos.latest_assessments_per_open_child() == {1}
    assert differences == 0
    assert counts(chaos)[:2] == counts(quiet)[:2]  # children and notifications
