"""Agency load at scale: about 1,000,000 agency rows (the six agency files of a synthetic
authority of 200,000 children) loaded into PostgreSQL through the real path: parse_file, then
notinschool.linkage.services.agency_file_load (it does not link: linking is the linkage
benchmark's subject).

    python -m bench agency_load [-- --children N --ratio R --reload]

Prints parse and load time per file, rows per second, the total, and the peak RSS; with
--reload it loads the same files a second time (nothing new: the "already imported" path).
Target: 1,000,000 rows in under 60 s. Asserts nothing."""

import argparse
import datetime as dt
from pathlib import Path

from bench.pgtemp import Timer, bench_database, cpu_seconds, db_cpu_seconds, django_setup, peak_rss_mb

AS_OF = dt.date(2026, 11, 2)


def synth_agency_files(children: int, ratio: float) -> list[Path]:
    """The agency files of `notinschool synth` (shared with bench.register_data's cache)."""
    from bench.register_data import synth_folder

    return sorted(synth_folder(children, ratio).glob("agency-*.csv"))


def load_all(files: list[Path], label: str) -> tuple[int, float]:
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.intake.parsing import parse_file
    from notinschool.linkage.services import agency_file_load

    rows_all, total = 0, Timer()
    parse_seconds = load_seconds = 0.0
    cpu_start, db_start = cpu_seconds(), db_cpu_seconds()
    for path in files:
        source = path.stem.removeprefix("agency-")
        timer = Timer()
        parsed = parse_file("agency", path, path.name)
        parsed_in = timer.seconds
        timer = Timer()
        result = agency_file_load(actor=COMMAND_LINE, parsed=parsed, path=path, source=source,
                                  snapshot=False, channel="cli", agency=None)
        loaded_in = timer.seconds
        rows = result.rows_total
        rows_all += rows
        parse_seconds += parsed_in
        load_seconds += loaded_in
        print(f"  {label} {path.name}: {rows:,} rows ({result.rows_new:,} new facts, "
              f"{result.rows_already_imported:,} already imported, {result.rows_rejected} "
              f"rejected): parse {parsed_in:.1f} s + load {loaded_in:.1f} s = "
              f"{rows / max(parsed_in + loaded_in, 1e-9):,.0f} rows/s")
        del parsed
    seconds = total.seconds
    print(f"  {label} total: {rows_all:,} rows in {seconds:.1f} s (parse {parse_seconds:.1f} s, "
          f"agency_file_load {load_seconds:.1f} s) = {rows_all / seconds:,.0f} rows/s; target "
          f"< 60 s: {'met' if seconds < 60 else 'MISSED'}; process CPU {cpu_seconds() - cpu_start:.1f} s, "
          f"database CPU {db_cpu_seconds() - db_start:.1f} s; peak RSS {peak_rss_mb():,.0f} MB")
    return rows_all, seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench agency_load")
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--ratio", type=float, default=5.0, help="agency rows per child")
    parser.add_argument("--reload", action="store_true", help="load the same files again")
    args, _ = parser.parse_known_args(argv)
    from notinschool.core import clock

    clock.set_as_of(AS_OF)
    django_setup()
    files = synth_agency_files(args.children, args.ratio)
    with bench_database("notinschool_bench_agency"):
        from notinschool.linkage.models import AgencyFact, AgencyPerson

        print("agency load:")
        load_all(files, "first load")
        print(f"  in the database: {AgencyPerson.objects.count():,} agency people, "
              f"{AgencyFact.objects.count():,} facts")
        if args.reload:
            load_all(files, "reload")
    return 0
