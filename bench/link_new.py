"""Linking newly registered children against about 1,000,000 agency rows, as an import does.

The agency files of `notinschool synth --children 200000` (cached under .tmp/bench-perf/) are
loaded into a temporary PostgreSQL database with the agency load service (follow_up=False, as
in bench.agency_load); then register children are created from the generator's truth, one or a
hundred at a time, and linked with `link_children` (the path every import takes: candidates
picked out by index, then the engine). The first run records the engine's SQL and is reported
apart.

    python -m bench link_new [-- --children N --runs 20 --everyone]

Prints, for one child: median and 95th percentile wall time over --runs runs, CPU time of this
process and of the database server, and the agency people selected as candidates; the same for
a batch of 100 children. --everyone also times one child against every agency person (the old
path). Target: under 1 s for one child. Asserts nothing."""

import argparse
import datetime as dt
import json
import statistics
from typing import Any

from bench.pgtemp import Timer, analyze, bench_database, cpu_seconds, db_cpu_seconds, django_setup

AS_OF = dt.date(2026, 11, 2)
_made: list[Any] = []


def _truth_sample(path: Any, every: int) -> list[dict[str, Any]]:
    """Every `every`-th child of truth.json (read a line at a time: the file is large)."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(line for line in handle if line.startswith('{"person_id"')):
            if n % every == 0:
                out.append(json.loads(line.rstrip().rstrip(",")))
    return out


def _new_children(truth: list[dict[str, Any]], count: int) -> list[Any]:
    """Register children made from the generator's truth (their agency records are loaded)."""
    from notinschool.core.bulk import build, insert_many
    from notinschool.people.models import Address, Child
    from notinschool.people.names import fold

    children, addresses = [], []
    for person in truth[:count]:
        _made.append(person)
        child = build(Child, child_ref=f"B{len(_made):07d}", surname_key=fold(person["surname"]),
                      forename=person["forename"], surname=person["surname"],
                      middle_names=person.get("middle_names") or "",
                      sex=person.get("sex") or "", status="ehe",
                      date_of_birth=dt.date.fromisoformat(person["date_of_birth"]),
                      postcode=person.get("postcode") or "")
        children.append(child)
        addresses.append(build(Address, child=child, line_1=person.get("address_line_1") or "",
                               postcode=child.postcode, is_current=True))
    insert_many(Child, children)
    insert_many(Address, addresses)
    return children


def _time_runs(truth: list[dict[str, Any]], size: int, runs: int, label: str) -> None:
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.linkage import linking
    from notinschool.linkage.linking import register_table
    from notinschool.linkage.models import PersonMatch
    from notinschool.linkage.services import link_children

    walls, cpus, dbs, selected, linked = [], [], [], [], 0
    for run in range(runs):
        batch = _new_children(truth[run * size:], size)
        ids = {c.pk for c in batch}
        chosen = linking.agency_candidates(register_table(ids)).num_rows
        wall, cpu, db = Timer(), cpu_seconds(), db_cpu_seconds()
        link_children(actor=COMMAND_LINE, child_ids=ids)
        walls.append(wall.seconds)
        cpus.append(cpu_seconds() - cpu)
        dbs.append(db_cpu_seconds() - db)
        selected.append(chosen)
        linked += PersonMatch.objects.filter(child_id__in=ids).values("child_id").distinct().count()
    first, rest = walls[0], sorted(walls[1:])
    p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
    print(f"  {label}: first run (records the engine's SQL) {first:.2f} s; then over "
          f"{len(rest)} runs median {statistics.median(rest):.3f} s, p95 {p95:.3f} s "
          f"(target < 1 s for one child: {'met' if size > 1 or p95 < 1 else 'MISSED'}); "
          f"CPU median {statistics.median(cpus[1:]):.3f} s here + "
          f"{statistics.median(dbs[1:]):.3f} s database; candidates median "
          f"{statistics.median(selected):,.0f} (max {max(selected):,}); "
          f"{linked} of {size * runs} children linked to someone")


def _time_everyone(truth: list[dict[str, Any]]) -> None:
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.linkage import candidates
    from notinschool.linkage.services import link_children

    batch = _new_children(truth, 1)
    original = candidates.keys_usable
    candidates.keys_usable = lambda: False  # type: ignore[assignment]
    try:
        wall, cpu = Timer(), cpu_seconds()
        link_children(actor=COMMAND_LINE, child_ids={batch[0].pk})
        print(f"  one child against every agency person (before): {wall.seconds:.1f} s, "
              f"CPU {cpu_seconds() - cpu:.1f} s")
    finally:
        candidates.keys_usable = original  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench link_new")
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--ratio", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--everyone", action="store_true", help="also time the old path")
    args, _ = parser.parse_known_args(argv)
    from notinschool.core import clock

    clock.set_as_of(AS_OF)
    django_setup()
    from bench.agency_load import load_all, synth_agency_files
    from bench.register_data import synth_folder

    files = synth_agency_files(args.children, args.ratio)
    truth = _truth_sample(synth_folder(args.children, args.ratio) / "truth.json",
                          max(1, args.children // 4000))  # spread over the whole authority
    with bench_database("notinschool_bench_link_new"):
        from notinschool.linkage.models import AgencyPerson

        print("link new children:")
        load_all(files, "agency load")
        analyze()
        print(f"  {AgencyPerson.objects.count():,} agency people in the database")
        _time_runs(truth, 1, args.runs, "one new child")
        _time_runs(truth[args.runs:], 100, max(3, args.runs // 4), "100 new children")
        if args.everyone:
            _time_everyone(truth[args.runs + 100 * max(3, args.runs // 4):])
    return 0
