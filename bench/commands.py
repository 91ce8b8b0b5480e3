"""The commands themselves, timed as a user runs them on PostgreSQL (issue 20, part 5):
`notinschool import agency FILE --source NAME` of about 1,000,000 rows into a register of
100,000 children, linking included (the import's follow-up: linking the people it brought,
then assessing the children whose links changed), then `notinschool link` over the same data
(and with ``--train``, `notinschool link --train` after it).

    python -m bench commands [-- --children 100000 --keep --dump FOLDER --train]

The data: the agency files of `notinschool synth --children 200000` (agency ratio 5, cached
under .tmp/bench-perf/, shared with bench.agency_load) made into one file of about a million
rows (record ids prefixed by their source, so the six agencies' people stay apart); the
register holds the first `--children` children of the generator's truth, written straight in
(bench.register_data's way) and assessed once as of the bench date (`notinschool assess`'s
run of every open record, as the night's run leaves a council's register), as a template
database built once and copied for each run; the assessment is part of the template, not of
the timed commands. The other children's agency records are people the register does not
hold, as in a council.

Each command runs as a child process (`.venv/bin/notinschool`, with DATABASE_URL naming the
copy). Printed per command: wall time against its target (import under 90 s, link under
30 s), the process's CPU and peak resident memory (getrusage of the waited child, as
/usr/bin/time -v reports it), and the PostgreSQL server's memory while it ran: the peak, over
samples every 0.2 s, of the summed resident (RSS) and proportional (PSS: shared memory counted
once) sizes of the server processes serving the benchmark database (backends and their
parallel workers). Asserts nothing; run it under `flock /tmp/notinschool-bench.lock`."""

import argparse
import csv
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench.pgtemp import Timer, admin_sql, bench_database, bench_tmp, database_exists, django_setup

AS_OF = dt.date(2026, 11, 2)
SYNTH_CHILDREN, SYNTH_RATIO = 200_000, 5.0
NOTINSCHOOL = Path(sys.executable).with_name("notinschool")
TARGETS = {"import agency": 90.0, "link": 30.0}


def agency_file(children: int, ratio: float) -> tuple[Path, int]:
    """The synth agency files as one file (made once), and its number of rows."""
    from bench.register_data import synth_folder

    folder = synth_folder(children, ratio)
    target = bench_tmp(f"commands-{children}-{ratio:g}") / "agency-all.csv"
    count = target.with_suffix(".rows")
    if target.exists() and count.exists():
        return target, int(count.read_text())
    rows = 0
    with target.open("w", newline="", encoding="utf-8") as out:
        writer: Any = None
        for path in sorted(folder.glob("agency-*.csv")):
            source = path.stem.removeprefix("agency-")
            with path.open(encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
                    writer.writeheader()
                for row in reader:
                    row["record_id"] = f"{source}-{row['record_id']}"
                    writer.writerow(row)
                    rows += 1
    count.write_text(str(rows))
    return target, rows


def register_template(children: int, database: str) -> str:
    """A template database holding the first `children` register children of the synth
    truth, each assessed as of the bench date (built once, named after `database`)."""
    from bench.register_data import synth_folder

    name = f"{database}_{children}_assessed"
    if database_exists(name):
        return name
    truth = synth_folder(SYNTH_CHILDREN, SYNTH_RATIO) / "truth.json"
    with bench_database(f"{name}_building", keep=True):
        _fill(truth, children)
    admin_sql(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return name


def _fill(truth: Path, limit: int) -> None:
    from bench.pgtemp import analyze
    from bench.register_data import children_from_truth
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.workflow.assessment import risk_assessment_run

    timer = Timer()
    written = children_from_truth(truth, limit=limit, upn=True)
    print(f"  {written:,} register children written from truth.json in {timer.seconds:.1f} s")
    timer = Timer()  # as the night's run leaves the register: every open record assessed today
    assessed = risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    analyze()
    print(f"  {assessed:,} open records assessed as of {AS_OF} in {timer.seconds:.1f} s")


# -- the server's memory ----------------------------------------------------------------------
def _server_processes(database: str) -> set[int]:
    """The PostgreSQL processes serving `database` (a backend's title names its database; a
    parallel worker's names its leader's pid)."""
    backends: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres:"):
            backends[int(entry)] = title
    ours = {pid for pid, title in backends.items() if f" {database} " in title}
    ours |= {pid for pid, title in backends.items() if "parallel worker for PID" in title
             and int(title.rsplit("PID", 1)[1].split()[0]) in ours}
    return ours


def _server_sample(pids: set[int]) -> tuple[int, int, dict[int, float]]:
    """Summed RSS and PSS, in KB, of these processes, and the CPU seconds each has used."""
    rss = pss = 0
    cpu: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, IndexError, ValueError):
            continue
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss, cpu


_TICK = os.sysconf("SC_CLK_TCK")


class _Sampler(threading.Thread):
    """Samples the server processes serving a database every 0.2 s: the peak of their summed
    memory, and the CPU each used (the last reading of each process, summed: a process that
    ends between two samples loses at most 0.2 s of its CPU)."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database, self.peak_rss, self.peak_pss = database, 0, 0
        self.cpu: dict[int, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            rss, pss, cpu = _server_sample(_server_processes(self.database))
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.cpu.update(cpu)
            self.stopping.wait(0.2)


def command_env(database: str) -> dict[str, str]:
    """The environment a command runs in: DATABASE_URL naming `database`."""
    from django.db import connections

    url = connections["default"].settings_dict
    # as an installed command runs: byte code cached (this machine's sessions set
    # PYTHONDONTWRITEBYTECODE, which left each command compiling 2,517 modules: 14 s of link's)
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(environ, DATABASE_URL=f"postgres://{url['USER']}@{url['HOST'] or '127.0.0.1'}:"
                                         f"{url['PORT'] or 5432}/{database}")


def run_command(label: str, args: list[str], database: str, profile: Path | None) -> float:
    """Run `notinschool ARGS` against `database`, print its figures, return the wall time."""
    env = command_env(database)
    command = [str(NOTINSCHOOL), "--as-of", AS_OF.isoformat(), *args]
    if profile is not None:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), str(NOTINSCHOOL),
                   *command[1:]]
    sampler = _Sampler(database)
    sampler.start()
    timer = Timer()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, as time -v
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = timer.seconds
        output.seek(0)
        printed = output.read()
    sampler.stopping.set()
    sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    target = TARGETS.get(label)
    against = ("no target" if target is None else
               f"target < {target:g} s: {'met' if seconds < target else 'MISSED'}")
    print(f"  notinschool {' '.join(args[:2])}: {seconds:.1f} s ({against}), "
          f"exit {process.returncode}; process CPU "
          f"{cpu:.1f} s, peak RSS {usage.ru_maxrss / 1024:,.0f} MB; PostgreSQL serving it: "
          f"CPU {sum(sampler.cpu.values()):.1f} s, peak RSS {sampler.peak_rss / 1024:,.0f} MB, "
          f"PSS {sampler.peak_pss / 1024:,.0f} MB; load average "
          f"{os.getloadavg()[0]:.1f} at the end (2 cores: above 2, others were running)")
    for line in printed.strip().splitlines()[-4:]:
        print(f"    | {line}")
    return seconds


# -- what the commands left, to compare two runs ----------------------------------------------
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
_DUMPS = {
    "links": "SELECT child_id, person_id, kind, state, probability, weight, basis, evidence "
             "FROM linkage_personmatch",
    "duplicates": "SELECT child_a_id, child_b_id, state, probability, weight, evidence "
                  "FROM linkage_duplicatepair",
    "assessments": "SELECT child_id, as_of, rule_version, tier, computed_tier, "
                   "review_interval_months, next_contact_due, flags, required_actions, reasons, "
                   "deadlines, fired_rules, inputs FROM risk_assessment WHERE is_latest",
    "actions": "SELECT child_id, code, raised_on, due_date, state, done_on, evidence_kind, "
               "closed_reason FROM risk_requiredaction",
}


def dump(database: str, folder: Path, env: dict[str, str]) -> None:
    """What a run left that a user sees, in files that two runs can be compared by (`diff`):
    `notinschool export register --all`, and the links, possible duplicates, latest
    assessments and required actions, a row a line, sorted. Agency people and facts are named
    by source, record id (and indicator and start date), not by their keys, which each run
    makes anew; the register's keys are the template's, the same in every copy."""
    import psycopg

    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(NOTINSCHOOL), "--as-of", AS_OF.isoformat(), "export", "register",
                    "--all", "-o", str(folder / "register.csv")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        names = {pk.hex: f"{source}:{record}" for pk, source, record in conn.execute(
            "SELECT id, source, record_id FROM linkage_agencyperson")}
        for pk, person, indicator, start in conn.execute(
                "SELECT id, person_id, indicator, start_date FROM linkage_agencyfact"):
            names[pk.hex] = f"{names[person.hex]}:{indicator}:{start}"

        def named(match: re.Match[str]) -> str:
            return names.get(match.group().replace("-", ""), match.group())

        for name, sql in _DUMPS.items():
            lines = sorted(_UUID.sub(named, "\t".join(map(str, row)))
                           for row in conn.execute(sql))  # type: ignore[arg-type]
            (folder / f"{name}.txt").write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench commands")
    parser.add_argument("--children", type=int, default=100_000, help="register children")
    parser.add_argument("--profile", action="store_true",
                        help="run each command under cProfile (.tmp/bench-perf/commands-*.prof)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--train", action="store_true",
                        help="then `notinschool link --train` too (training the model on the "
                             "register and every agency record, storing it, linking with it)")
    parser.add_argument("--dump", type=Path, metavar="FOLDER",
                        help="after each command, write what it left to FOLDER/import and "
                             "FOLDER/link (not timed), for comparing two runs with diff")
    parser.add_argument("--database", default="notinschool_bench_commands",
                        help="the database's name (the template's begins with it)")
    args, _ = parser.parse_known_args(argv)
    from notinschool.core import clock

    clock.set_as_of(AS_OF)
    django_setup()
    path, rows = agency_file(SYNTH_CHILDREN, SYNTH_RATIO)
    database = args.database
    template = register_template(args.children, database)
    profiles = bench_tmp("commands-profiles") if args.profile else None
    print(f"commands: {args.children:,} register children x {rows:,} agency rows "
          f"({path.name}), on PostgreSQL")
    with bench_database(database, template=template, keep=args.keep):
        from django.db import connections

        connections.close_all()  # the commands' own connections only, from here
        run_command("import agency", ["import", "agency", str(path), "--source", "partners"],
                    database, profiles / "import.prof" if profiles else None)
        if args.dump:
            dump(database, args.dump / "import", command_env(database))
        run_command("link", ["link"], database, profiles / "link.prof" if profiles else None)
        if args.dump:
            dump(database, args.dump / "link", command_env(database))
        if args.train:
            run_command("link --train", ["link", "--train"], database,
                        profiles / "link-train.prof" if profiles else None)
        from notinschool.linkage.models import AgencyPerson, PersonMatch

        print(f"  in the database: {AgencyPerson.objects.count():,} agency people, "
              f"{PersonMatch.objects.count():,} links")
        connections.close_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
