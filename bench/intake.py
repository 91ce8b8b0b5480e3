"""Intake at scale: 100,000 roll deletions and 100,000 parent registrations imported into
PostgreSQL through the real import service (notinschool.intake.services.import_file).

    python -m bench intake [-- --rows N --children N --follow-up no|yes|both --profile]

The files come from `notinschool synth` with a route mix in which every child without a
planted pattern has both a deletion and a registration (so the registrations match children
the deletions made, as in life), cut to the first N data rows each. Each follow-up mode runs in
a fresh database and a fresh process, so the peak memory printed is that mode's own.
Prints rows per second per file, the total time and the process's peak RSS; asserts nothing.
Targets: both files in under 2 minutes, under 2 GB."""

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

from bench.pgtemp import (
    Timer,
    bench_database,
    bench_tmp,
    cpu_seconds,
    db_cpu_seconds,
    django_setup,
    peak_rss_mb,
)

AS_OF = dt.date(2026, 11, 2)
FILES = ("roll-deletions", "parent-registrations")
ROUTES = "ehe_deletion_and_registration=1"


def synth_files(children: int, rows: int) -> dict[str, Path]:
    """The two files, cut to `rows` data rows; generated once and reused from .tmp/."""
    from django.core.management import call_command

    folder = bench_tmp(f"intake-{children}")
    cut = {kind: folder / f"{kind}-{rows}.csv" for kind in FILES}
    if all(p.exists() for p in cut.values()):
        return cut
    timer = Timer()
    call_command("synth", children=children, out=str(folder / "synth"), agency_ratio=0.0,
                 route_weights=ROUTES, stdout=_Quiet())
    print(f"  generated {children:,} children in {timer.seconds:.1f} s")
    for kind, target in cut.items():
        with (folder / "synth" / f"{kind}.csv").open(encoding="utf-8") as src, \
                target.open("w", encoding="utf-8") as dst:
            for number, line in enumerate(src):
                if number > rows:
                    break
                dst.write(line)
        got = sum(1 for _ in target.open(encoding="utf-8")) - 1
        if got < rows:
            print(f"  warning: {kind} has only {got:,} rows (wanted {rows:,})")
    return cut


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def run_mode(follow_up: bool, rows: int, children: int, profile: bool) -> None:
    from notinschool.core import clock

    clock.set_as_of(AS_OF)
    django_setup()
    files = synth_files(children, rows)
    label = "with follow-up (link + assess)" if follow_up else "without follow-up"
    with bench_database("notinschool_bench_intake"):
        from django.db import connection

        from notinschool.accounts.system import COMMAND_LINE
        from notinschool.people.models import Child
        from notinschool.workflow.imports import import_file

        print(f"intake, {label}:")
        total = Timer()
        cpu_start, db_start = cpu_seconds(), db_cpu_seconds()
        for kind in FILES:
            timer, cpu, db_cpu = Timer(), cpu_seconds(), db_cpu_seconds()
            if profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            result = import_file(actor=COMMAND_LINE, kind=kind, path=files[kind],
                                 follow_up=follow_up)
            if profile:
                profiler.disable()
                out = bench_tmp("profiles") / f"intake-{kind}-{'f' if follow_up else 'n'}.prof"
                profiler.dump_stats(out)
                print(f"  profile written to {out}")
            seconds = timer.seconds
            print(f"  {kind}: {result.rows_total:,} rows ({result.rows_new:,} new, "
                  f"{result.rows_rejected} rejected) in {seconds:.1f} s = "
                  f"{result.rows_total / seconds:,.0f} rows/s (process CPU "
                  f"{cpu_seconds() - cpu:.1f} s, database CPU {db_cpu_seconds() - db_cpu:.1f} s); "
                  f"{len(result.children):,} children touched")
        seconds = total.seconds
        children_now = Child.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM people_childparent")
            links = cursor.fetchone()[0]
        print(f"  total {seconds:.1f} s (target < 120 s: {'met' if seconds < 120 else 'MISSED'}; "
              f"process CPU {cpu_seconds() - cpu_start:.1f} s, database CPU "
              f"{db_cpu_seconds() - db_start:.1f} s); "
              f"peak RSS {peak_rss_mb():,.0f} MB (target < 2048 MB: "
              f"{'met' if peak_rss_mb() < 2048 else 'MISSED'}); "
              f"{children_now:,} children, {links:,} parent links in the database")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench intake")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--children", type=int, default=105_000,
                        help="children to generate (a few more than --rows, then cut)")
    parser.add_argument("--follow-up", choices=("no", "yes", "both"), default="both")
    parser.add_argument("--profile", action="store_true",
                        help="write cProfile stats per file under .tmp/profiles/")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)
    modes = {"no": [False], "yes": [True], "both": [False, True]}[args.follow_up]
    if args.in_process or len(modes) == 1:
        for mode in modes:
            run_mode(mode, args.rows, args.children, args.profile)
        return 0
    status = 0
    for mode in modes:  # a process per mode: each peak RSS is that mode's own
        command = [sys.executable, "-m", "bench", "intake", "--", "--rows", str(args.rows),
                   "--children", str(args.children), "--follow-up", "yes" if mode else "no"]
        if args.profile:
            command.append("--profile")
        status = subprocess.run(command, check=False).returncode or status
    return status
