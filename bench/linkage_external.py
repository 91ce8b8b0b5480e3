"""`python -m bench linkage_external`: linkage on data the project did not make (FEBRL 1 to 3).

Each FEBRL set is converted to a roll-deletions file (the originals, as register children)
and a social-care agency file (the duplicates) by :mod:`bench.linkage.febrl`, then run through
the command line as a user would, into a fresh SQLite database in its own folder:

    notinschool --as-of 2026-03-02 import roll-deletions register.csv --skip-invalid
    notinschool --as-of 2026-03-02 import agency social_care.csv --source social_care --skip-invalid
    notinschool --as-of 2026-03-02 link
    notinschool --as-of 2026-03-02 export register -o export.csv

and the matches the database then holds are scored against FEBRL's truth, beside a tuned plain
Splink model (:mod:`bench.linkage.plain_febrl`) on the same imported rows in the same run.

    python -m bench linkage_external                  # FEBRL 1 and 2 (the tuning sets)
    python -m bench linkage_external -- --held-out    # FEBRL 3 too (the held-out check)
    python -m bench linkage_external -- --sets 1      # one set

Options: ``--sets N[,N]``, ``--held-out``, ``--no-plain``, ``--keep`` (keep the folders under
``.tmp/bench/linkage_external/``). FEBRL 4 is never used.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.linkage import febrl

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".tmp" / "bench" / "linkage_external"


@dataclass
class Scores:
    """Child-level and pairwise figures of one engine on one set."""

    children: int  # register children (imported)
    with_record: int  # register children with at least one true agency record imported
    flagged: int  # children with at least one applied (automatic or accepted) match
    flagged_right: int  # flagged children whose every applied match is true
    found: int  # children with a record whose applied matches include a true one and no wrong
    review: int  # children with a candidate waiting for a person
    pairs_true: int
    pairs_applied: int
    pairs_right: int

    def line(self, name: str) -> str:
        cp = self.flagged_right / self.flagged if self.flagged else 1.0
        cr = self.found / self.with_record if self.with_record else 1.0
        cf = 2 * cp * cr / (cp + cr) if cp + cr else 0.0
        pp = self.pairs_right / self.pairs_applied if self.pairs_applied else 1.0
        pr = self.pairs_right / self.pairs_true if self.pairs_true else 1.0
        pf = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
        band = self.review / self.children if self.children else 0.0
        return (f"  {name:<22} child P {cp:.4f} R {cr:.4f} F1 {cf:.4f} "
                f"({self.found}/{self.with_record} found, {self.flagged - self.flagged_right} "
                f"wrong) | pairs P {pp:.4f} R {pr:.4f} F1 {pf:.4f} "
                f"({self.pairs_right}/{self.pairs_true}, {self.pairs_applied} applied) | "
                f"review band {band:.2%} ({self.review})")

    def meets(self) -> bool:
        cp = self.flagged_right / self.flagged if self.flagged else 1.0
        cr = self.found / self.with_record if self.with_record else 1.0
        return cr >= 0.99 and cp >= 0.995 and self.review / max(self.children, 1) < 0.01


def score(register_rows: set[int], agency_rows: set[int],
          truth: list[tuple[int, int]], applied: set[tuple[int, int]],
          pending: set[tuple[int, int]]) -> Scores:
    """Figures from (register row, agency row) pairs: ``truth`` among the rows imported,
    ``applied`` (automatic or accepted) and ``pending`` matches."""
    true_pairs = {(r, a) for r, a in truth if r in register_rows and a in agency_rows}
    by_child: dict[int, set[int]] = defaultdict(set)
    for r, a in applied:
        by_child[r].add(a)
    truth_by_child: dict[int, set[int]] = defaultdict(set)
    for r, a in true_pairs:
        truth_by_child[r].add(a)
    flagged_right = sum(1 for r, agencies in by_child.items()
                        if agencies <= truth_by_child.get(r, set()))  # fmt: skip
    found = sum(1 for r, agencies in truth_by_child.items()
                if by_child.get(r) and by_child[r] <= agencies)  # fmt: skip
    return Scores(
        children=len(register_rows), with_record=len(truth_by_child), flagged=len(by_child),
        flagged_right=flagged_right, found=found, review=len({r for r, _ in pending}),
        pairs_true=len(true_pairs), pairs_applied=len(applied),
        pairs_right=len(applied & true_pairs),
    )  # fmt: skip


def _notinschool(folder: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = f"sqlite:///{folder / 'notinschool.sqlite3'}"
    command = [str(Path(sys.executable).with_name("notinschool")), "--as-of", febrl.AS_OF, *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"notinschool {' '.join(args)} exited {done.returncode}")
    return seconds


def _rejected(path: Path) -> int:
    rejected = path.with_name(path.name + ".rejected.csv")
    if not rejected.exists():
        return 0
    with rejected.open(encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def run_ours(conv: febrl.Converted) -> tuple[Scores, set[int], set[int], dict[str, float], str]:
    db = conv.folder / "notinschool.sqlite3"
    db.unlink(missing_ok=True)
    times = {
        "import roll-deletions": _notinschool(conv.folder, "import", "roll-deletions",
                                              "register.csv", "--skip-invalid"),
        "import agency": _notinschool(conv.folder, "import", "agency", "social_care.csv",
                                      "--source", "social_care", "--skip-invalid"),
        "link": _notinschool(conv.folder, "link"),
        "export register": _notinschool(conv.folder, "export", "register", "-o", "export.csv"),
    }
    con = sqlite3.connect(db)
    child_rows: dict[str, int] = {}
    for row_number, child_id in con.execute(
            "SELECT row_number, child_id FROM intake_notification WHERE child_id IS NOT NULL"):
        child_rows.setdefault(str(child_id), int(row_number))
    rows_by_record = _agency_rows(conv.agency)
    person_rows = {str(pk): rows_by_record[rid] for pk, rid in con.execute(
        "SELECT id, record_id FROM linkage_agencyperson")}  # fmt: skip
    applied: set[tuple[int, int]] = set()
    pending: set[tuple[int, int]] = set()
    for child_id, person_id, state in con.execute(
            "SELECT child_id, person_id, state FROM linkage_personmatch "
            "WHERE kind = 'same_person'"):
        pair = (child_rows[str(child_id)], person_rows[str(person_id)])
        if state in ("automatic", "accepted"):
            applied.add(pair)
        elif state == "pending":
            pending.add(pair)
    children = con.execute("SELECT count(*) FROM people_child").fetchone()[0]
    con.close()
    with (conv.folder / "export.csv").open(encoding="utf-8-sig") as f:
        export = list(csv.DictReader(f))
    own = sum(1 for r in export if "child_in_need" in r["flags"].split(";"))
    household = sum(1 for r in export if "household_child_in_need" in r["flags"].split(";"))
    review = sum(1 for r in export if "review_match" in r["required_actions"].split(";"))
    register_rows = set(child_rows.values())
    agency_rows = set(person_rows.values())
    scores = score(register_rows, agency_rows, _truth(conv), applied, pending)
    note = (f"  export: {len(export)} children on the register ({children} children in the "
            f"database), {own} flagged child_in_need, {household} household_child_in_need "
            f"only or as well, {review} review_match")
    return scores, register_rows, agency_rows, times, note


def _agency_rows(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8") as f:
        return {row["record_id"]: i for i, row in enumerate(csv.DictReader(f), start=2)}


def _truth(conv: febrl.Converted) -> list[tuple[int, int]]:
    with conv.truth.open(encoding="utf-8") as f:
        return [(int(r["register_row"]), int(r["agency_row"])) for r in csv.DictReader(f)]


def run_plain(conv: febrl.Converted, register_rows: set[int],
              agency_rows: set[int]) -> tuple[Scores, Scores, float]:
    from bench.linkage import plain_febrl

    started = time.perf_counter()
    pairs = plain_febrl.run(conv.register, conv.agency, register_rows, agency_rows)
    seconds = time.perf_counter() - started
    truth = _truth(conv)
    auto = {(r, a) for r, a, p in pairs if p >= plain_febrl.AUTO}
    band = {(r, a) for r, a, p in pairs if plain_febrl.REVIEW <= p < plain_febrl.AUTO}
    # At the review threshold everything at or above it is applied (no person).
    everything = {(r, a) for r, a, p in pairs if p >= plain_febrl.REVIEW}
    return (score(register_rows, agency_rows, truth, auto, band),
            score(register_rows, agency_rows, truth, everything, set()), seconds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench linkage_external",
                                     description=__doc__.split("\n\n")[0])  # fmt: skip
    parser.add_argument("--sets", default=",".join(str(n) for n in febrl.TUNING_SETS))
    parser.add_argument("--held-out", action="store_true",
                        help=f"also run FEBRL {febrl.HELD_OUT}, the held-out set")
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    sets = [int(n) for n in args.sets.split(",") if n]
    if args.held_out and febrl.HELD_OUT not in sets:
        sets.append(febrl.HELD_OUT)
    if any(n not in febrl.SETS for n in sets):
        parser.error("sets are 1, 2 or 3 (FEBRL 4 is held back)")
    print(f"linkage_external: FEBRL {', '.join(map(str, sets))}; load average "
          f"{os.getloadavg()[0]:.2f}")
    status = 0
    for number in sets:
        folder = WORK / f"febrl{number}"
        if folder.exists():
            shutil.rmtree(folder)
        conv = febrl.convert(number, folder)
        label = " (held out)" if number == febrl.HELD_OUT else ""
        print(f"FEBRL {number}{label}: {conv.originals} originals -> register, "
              f"{conv.duplicates} duplicates -> social_care")
        ours, register_rows, agency_rows, times, note = run_ours(conv)
        print(f"  rejected on import: {_rejected(conv.register)} register rows, "
              f"{_rejected(conv.agency)} agency rows (no forename, surname or date of birth, "
              f"or not a date)")
        print("  command line: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
        print(note)
        print(ours.line("ours"))
        if not ours.meets():
            status = 1
        if not args.no_plain:
            auto, everything, seconds = run_plain(conv, register_rows, agency_rows)
            print(auto.line("plain Splink >= 0.999"))
            print(everything.line("plain Splink >= 0.80"))
            print(f"  plain Splink: {seconds:.1f} s")
        if not args.keep:
            shutil.rmtree(folder)
    print(f"targets per set: child recall >= 0.99 at precision >= 0.995, review band < 1 %; "
          f"load average {os.getloadavg()[0]:.2f}")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
