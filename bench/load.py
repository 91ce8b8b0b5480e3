"""Load held (#19, item 7): officers using the production stack while a big import runs.

    python -m bench load                                   # 50 officers, 3 minutes, 100,000 rows
    python -m bench load -- --users 5 --minutes 0.5 --rows 2000    # a quick smoke run

What it does, on loopback, against PostgreSQL (the server in DATABASE_URL; only the database
name changes):

1. A template register, built once (`python -m bench load -- --drop` removes it): 100,000
   children written straight from `notinschool synth` (bench.register_data), each with a latest
   risk tier (bench.search), and 100 EHE officers enrolled in TOTP (secrets derived from their
   usernames, so the run can make their codes).
2. Two copies of it: one for a quiet import, one for the loaded run; each migrated and given the
   shared cache's table with the production settings, as deploy/bin/release does.
3. Quiet: `notinschool --as-of 2026-11-02 import roll-deletions FILE` (100,000 rows from
   `notinschool synth`, the intake benchmark's file) into the first copy, timed, nothing else
   running; then `notinschool export register --all`.
4. Loaded: deploy/bin/web (gunicorn with config.settings.production, its default workers for
   the cores here) on 127.0.0.1, behind a pretend TLS proxy (X-Forwarded-Proto and
   X-Forwarded-For on every request); locust (bench/locustfile.py) with 50 officers, each
   signing in once through the real pages (password, then TOTP) and then browsing the
   register's list pages, searching it by name, opening children and the work queue; once they
   are all signed in, the same import through the same command into the second copy. The load
   goes on for --minutes (3) from then; the import may end before or after it.
5. Prints requests, errors and p50/p95/p99 per kind of page and overall (and while the import
   ran), gunicorn's own timings, the load average seen, the import's time quiet and under load,
   and whether the two registers are identical (the exports byte for byte and the import's
   own summary line); then pass or fail against p95 < 300 ms and no errors.

The worker and the scheduler are not started: the command-line import does its follow-up
(linking, duplicates, assessment) itself, and a scheduled job in one run and not the other
would make the two registers differ for a reason that is not the load."""

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.pgtemp import Timer, _server_url, admin_sql, bench_tmp, database_exists, django_setup

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "notinschool_bench_load"
OFFICERS = 100
PASSWORD = "load-officer-password-2026"  # noqa: S105 (the template's made-up officers)
AS_OF = "2026-11-02"
TARGET_P95_MS = 300.0
KINDS = ("sign in", "register list", "register search", "child", "work queue")


def officer_secret(username: str) -> str:
    """The officer's TOTP secret (base32 of 20 bytes), derived from the username so that the
    template need not keep it anywhere but in allauth's own table."""
    digest = hmac.new(b"notinschool bench load", username.encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode()


def officer_name(number: int) -> str:
    return f"load-officer-{number:03d}"


def ensure_template(children: int) -> str:
    """The template's name, building it first when it does not exist."""
    from bench.pgtemp import bench_database
    from bench.register_data import _fill_direct, synth_folder
    from notinschool.core import clock

    name = f"{TEMPLATE}_{children}"
    django_setup()
    if database_exists(name):
        return name
    clock.set_as_of(dt.date.fromisoformat(AS_OF))
    print(f"building the template {name} (once; `python -m bench load -- --drop` removes it):")
    folder = synth_folder(children, 0.0)
    with bench_database(f"{name}_building", keep=True):
        from allauth.mfa.totp.internal.auth import TOTP
        from django.core.management import call_command

        from bench.search import assess_everyone
        from notinschool.accounts.roles import Role
        from notinschool.accounts.tests.factories import UserFactory

        _fill_direct(folder)
        timer = Timer()
        written = assess_everyone()
        print(f"  {written:,} assessments written in {timer.seconds:.1f} s")
        timer = Timer()
        for number in range(1, OFFICERS + 1):
            user = UserFactory.create(username=officer_name(number), role=Role.EHE_OFFICER,
                                      totp=False, password=PASSWORD)
            TOTP.activate(user, officer_secret(user.username))
        call_command("createcachetable", verbosity=0)
        print(f"  {OFFICERS} officers enrolled in TOTP in {timer.seconds:.1f} s")
    admin_sql(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
    return name


def import_file(rows: int) -> Path:
    """The intake benchmark's file of roll deletions (generated as of AS_OF, as it does)."""
    from bench.intake import synth_files
    from notinschool.core import clock

    clock.set_as_of(dt.date.fromisoformat(AS_OF))
    return synth_files(105_000, rows)["roll-deletions"]


def search_names(database: str, count: int = 300, seed: int = 7) -> list[str]:
    """Names an officer would type: a surname, a forename and surname, or the starts of them,
    taken from open records (as bench.search does)."""
    import random

    import psycopg

    with psycopg.connect(_server_url(database)) as conn:
        names = conn.execute(
            "SELECT forename, surname FROM people_child WHERE status IN "
            "('ehe', 'cme', 'not_in_school_other') ORDER BY child_ref LIMIT 50000").fetchall()
    rng = random.Random(seed)
    out = []
    for n in range(count):
        forename, surname = names[rng.randrange(len(names))]
        out.append((surname, f"{forename} {surname}", surname[:3], f"{forename[:2]} {surname[:3]}")[n % 4])
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stack:
    """The production settings' environment for one database, and the commands run in it."""

    def __init__(self, database: str, work: Path, port: int):
        self.database, self.work, self.port = database, work, port
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": _server_url(database),
            "NOTINSCHOOL_BASE_URL": f"https://127.0.0.1:{port}",
            "NOTINSCHOOL_STATIC_ROOT": str(bench_tmp("load") / "static"),
            "NOTINSCHOOL_STATE_DIR": str(work / "state"),
            "NOTINSCHOOL_LINKAGE_DIR": str(work / "state" / "linkage"),
            "NOTINSCHOOL_EMAIL_BACKEND": "outbox",
            "NOTINSCHOOL_ALLOW_OUTBOX": "1",
            "NOTINSCHOOL_OUTBOX": str(work / "state" / "outbox"),
            "NOTINSCHOOL_BIND": f"127.0.0.1:{port}",
            "NOTINSCHOOL_PROXY_COUNT": "1",
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_DEBUG", None)
        # as deploy/install leaves it: the libraries' bytecode compiled once, not at each start
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        (work / "state").mkdir(parents=True, exist_ok=True)

    def notinschool(self, *args: str, log: Path | None = None) -> subprocess.CompletedProcess[str]:
        command = [str(ROOT / ".venv" / "bin" / "notinschool"), *args]
        out = subprocess.run(command, env=self.env, cwd=self.work / "state", text=True,
                             capture_output=True, check=False)
        if log is not None:
            log.write_text(out.stdout + out.stderr)
        if out.returncode != 0:
            raise SystemExit(f"notinschool {' '.join(args)}: exit {out.returncode}\n"
                             f"{out.stdout[-2000:]}{out.stderr[-2000:]}")
        return out

    def release(self) -> None:
        """deploy/bin/release's steps (the static files once for every run)."""
        self.notinschool("migrate", "--no-input", "-v", "0")
        self.notinschool("createcachetable")
        static = Path(self.env["NOTINSCHOOL_STATIC_ROOT"])
        if not (static / "done").exists():
            self.notinschool("collectstatic", "--no-input", "-v", "0")
            (static / "done").write_text("")

    def import_rows(self, path: Path, log: Path) -> tuple[float, str]:
        timer = Timer()
        out = self.notinschool("--as-of", AS_OF, "import", "roll-deletions", str(path), log=log)
        summary = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
        return timer.seconds, summary.replace(str(path), path.name)

    def export(self, path: Path) -> None:
        timer = Timer()
        self.notinschool("--as-of", AS_OF, "export", "register", "--all", "-o", str(path))
        print(f"  exported the register of {self.database} in {timer.seconds:.1f} s")

    def web(self, log: Path, workers: int | None) -> subprocess.Popen[bytes]:
        """deploy/bin/web, from a prefix that holds it and this checkout's virtualenv."""
        prefix = self.work / "prefix"
        (prefix / "bin").mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "deploy" / "bin" / "web", prefix / "bin" / "web")
        if not (prefix / "venv").exists():
            (prefix / "venv").symlink_to(ROOT / ".venv")
        env = dict(self.env)
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        process = subprocess.Popen([str(prefix / "bin" / "web")], env=env, cwd=self.work / "state",
                                   stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                   start_new_session=True)
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return process
            except OSError:
                pass
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {log}")
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer /healthz: see {log}")


def warm_up(port: int, workers: int) -> None:
    """Each gunicorn worker loads the application on its first request (seconds on a busy
    machine): a few rounds of concurrent requests for the sign-in page first, not counted, as a
    server that has been up all morning has done."""
    def get() -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/",
                                         headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()

    for _ in range(3):
        threads = [threading.Thread(target=get) for _ in range(workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class LoadWatch(threading.Thread):
    """The 1-minute load average every 5 seconds while the run lasts."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(5):
            self.seen.append(float(Path("/proc/loadavg").read_text().split()[0]))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def read_log(path: Path) -> list[tuple[float, str, float, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        started, kind, ms, error = [*line.split("\t"), ""][:4]
        out.append((float(started), kind, float(ms), error))
    return out


def table(requests: list[tuple[float, str, float, str]], title: str) -> tuple[float, int]:
    """Prints requests, errors and p50/p95/p99 per kind and overall; returns (overall p95, errors)."""
    print(f"  {title}:")
    print(f"    {'page':<16} {'requests':>8} {'errors':>6} "
          + " ".join(f"{h:>7}" for h in ("p50 ms", "p95 ms", "p99 ms", "max ms")))
    for kind in [*KINDS, "all"]:
        mine = [r for r in requests if kind in ("all", r[1])]
        if not mine:
            continue
        times = [r[2] for r in mine]
        errors = sum(1 for r in mine if r[3])
        print(f"    {kind:<16} {len(mine):>8,} {errors:>6} {percentile(times, 50):>7.0f} "
              f"{percentile(times, 95):>7.0f} {percentile(times, 99):>7.0f} {max(times):>7.0f}")
    times = [r[2] for r in requests]
    return percentile(times, 95), sum(1 for r in requests if r[3])


def gunicorn_times(log: Path) -> list[float]:
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{") and '"access"' in line and '/accounts/' not in line:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if "/healthz" not in entry.get("access", ""):
                out.append(float(entry["ms"]))
    return out


def compare(quiet: Path, loaded: Path) -> list[str]:
    """The differences between two register exports, by child reference (empty: identical)."""
    if quiet.read_bytes() == loaded.read_bytes():
        return []
    import csv

    def rows(path: Path) -> dict[str, dict[str, str]]:
        with path.open(encoding="utf-8-sig") as handle:
            return {row["child_ref"]: row for row in csv.DictReader(handle)}

    a, b = rows(quiet), rows(loaded)
    out = [f"only in the quiet run: {ref}" for ref in sorted(a.keys() - b.keys())]
    out += [f"only in the loaded run: {ref}" for ref in sorted(b.keys() - a.keys())]
    for ref in sorted(a.keys() & b.keys()):
        for column, value in a[ref].items():
            if b[ref].get(column) != value:
                out.append(f"{ref} {column}: quiet {value!r}, loaded {b[ref].get(column)!r}")
    return out or ["the files differ in bytes but not in any row (order or line endings)"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the import")
    parser.add_argument("--children", type=int, default=100_000, help="children in the register")
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="officers arriving a second")
    parser.add_argument("--think", default="3,10",
                        help="seconds an officer reads a page before the next, least,most")
    parser.add_argument("--workers", type=int, default=0,
                        help="gunicorn workers (default: deploy/bin/web's, 2 a core + 1)")
    parser.add_argument("--batch-nice", type=int, default=None,
                        help="NOTINSCHOOL_BATCH_NICE for the import (default: production's, 10)")
    parser.add_argument("--no-import", action="store_true", help="the load alone")
    parser.add_argument("--keep", action="store_true", help="keep the two databases afterwards")
    parser.add_argument("--drop", action="store_true", help="drop the template and stop")
    args, _ = parser.parse_known_args(argv)
    # stopped from outside (timeout, ^C): still stop gunicorn and locust and drop the databases
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    django_setup()
    if args.drop:
        admin_sql(f'DROP DATABASE IF EXISTS "{TEMPLATE}_{args.children}" WITH (FORCE)')
        print(f"dropped {TEMPLATE}_{args.children}")
        return 0
    if args.users > OFFICERS:
        parser.error(f"--users: at most {OFFICERS} (the officers in the template)")
    template = ensure_template(args.children)
    rows_file = import_file(args.rows)
    work = Path(tempfile.mkdtemp(prefix="nis-load-", dir=bench_tmp("load")))
    quiet_db, loaded_db = f"{TEMPLATE}_quiet", f"{TEMPLATE}_loaded"
    names = [quiet_db, loaded_db] if not args.no_import else [loaded_db]
    for name in names:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    port = free_port()
    quiet, loaded = Stack(quiet_db, work / "quiet", port), Stack(loaded_db, work / "loaded", port)
    if args.batch_nice is not None:
        for stack in (quiet, loaded):
            stack.env["NOTINSCHOOL_BATCH_NICE"] = str(args.batch_nice)
    nice = loaded.env.get("NOTINSCHOOL_BATCH_NICE", "10")
    print(f"load: {args.users} officers for {args.minutes:g} minutes on 127.0.0.1:{port}, "
          f"register {args.children:,} children ({template}), "
          + ("no import" if args.no_import else
             f"import {args.rows:,} roll deletions ({rows_file.name}) at nice {nice} "
             "(NOTINSCHOOL_BATCH_NICE)") + f"; files in {work}")
    try:
        timer = Timer()
        for stack in ([quiet, loaded] if not args.no_import else [loaded]):
            stack.release()
        print(f"  databases copied, migrated, cache table made in {timer.seconds:.1f} s")
        if not args.no_import:
            quiet_seconds, quiet_summary = quiet.import_rows(rows_file, work / "import-quiet.log")
            print(f"  quiet import: {quiet_seconds:.1f} s ({quiet_summary})")
            quiet.export(work / "register-quiet.csv")
        return run_loaded(args, loaded, work, rows_file,
                          None if args.no_import else (quiet_seconds, quiet_summary))
    finally:
        if not args.keep:
            for name in names:
                admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_loaded(args: argparse.Namespace, stack: Stack, work: Path, rows_file: Path,
               quiet: tuple[float, str] | None) -> int:
    accounts = [{"username": officer_name(n), "password": PASSWORD,
                 "secret": officer_secret(officer_name(n))} for n in range(1, args.users + 1)]
    (work / "accounts.json").write_text(json.dumps(accounts))
    (work / "names.json").write_text(json.dumps(search_names(stack.database)))
    request_log = work / "requests.tsv"
    request_log.write_text("")
    env = {**os.environ, "LOAD_ACCOUNTS": str(work / "accounts.json"),
           "LOAD_NAMES": str(work / "names.json"), "LOAD_LOG": str(request_log),
           "LOAD_THINK": args.think}
    watch = LoadWatch()
    web = stack.web(work / "web.log", args.workers)
    warm_up(stack.port, args.workers or 2 * (os.cpu_count() or 1) + 1)
    ramp = args.users / args.spawn_rate + 5
    seconds = args.minutes * 60 + 3 * ramp + 3600  # stopped from here: see below
    locust = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
         "--run-time", f"{seconds:.0f}s", "--host", f"http://127.0.0.1:{stack.port}",
         "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        env=env, cwd=work, stdout=(work / "locust.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    watch.start()
    try:
        signed_in_by = time.time() + 3 * ramp
        while time.time() < signed_in_by and locust.poll() is None:  # each officer signed in
            lines = request_log.read_text(encoding="utf-8").splitlines()
            if sum(1 for line in lines if "\tsign in\t" in line) >= 3 * args.users:
                break
            time.sleep(1)
        window_start = time.time()
        loaded: tuple[float, str] | None = None
        import_end = window_start
        if quiet is not None:
            loaded = stack.import_rows(rows_file, work / "import-loaded.log")
            import_end = time.time()
        # the officers go on for --minutes from the import's start, and until it has finished
        time.sleep(max(0.0, window_start + args.minutes * 60 - time.time()))
        window_end = time.time()
    finally:
        watch.done.set()
        stop(locust)
        stop(web)
    requests = read_log(request_log)
    signed_in = [r for r in requests if r[1] == "sign in"]
    pages = [r for r in requests if r[1] != "sign in"]
    print(f"  {args.users} officers signed in ({len(signed_in)} sign-in requests, "
          f"{sum(1 for r in signed_in if r[3])} failed)")
    table(requests, f"every request: signing in, then {window_end - window_start:.0f} s of work")
    p95 = percentile([r[2] for r in pages], 95)
    errors = sum(1 for r in requests if r[3])
    if quiet is not None:
        table([r for r in pages if window_start <= r[0] <= import_end],
              f"the pages while the import ran ({import_end - window_start:.0f} s)")
    server = gunicorn_times(work / "web.log")
    if server:
        print(f"  gunicorn's own times for the pages ({len(server):,} requests, not sign-in): "
              f"p50 {percentile(server, 50):.0f} ms, "
              f"p95 {percentile(server, 95):.0f} ms, p99 {percentile(server, 99):.0f} ms")
    if watch.seen:
        print(f"  load average (1 minute, every 5 s): min {min(watch.seen):.2f}, "
              f"mean {statistics.mean(watch.seen):.2f}, max {max(watch.seen):.2f} on "
              f"{os.cpu_count()} cores")
    examples = sorted({r[3] for r in requests if r[3]})[:5]
    for example in examples:
        print(f"    error: {example}")
    identical = True
    if quiet is not None and loaded is not None:
        print(f"  import: quiet {quiet[0]:.1f} s, under load {loaded[0]:.1f} s "
              f"({loaded[0] / quiet[0]:.2f} x); load ran {window_end - window_start:.0f} s from "
              f"the import's start")
        stack.export(work / "register-loaded.csv")
        differences = compare(work / "register-quiet.csv", work / "register-loaded.csv")
        if quiet[1] != loaded[1]:
            differences.insert(0, f"import summary: quiet {quiet[1]!r}, loaded {loaded[1]!r}")
        rows = sum(1 for _ in (work / "register-loaded.csv").open(encoding="utf-8")) - 1
        identical = not differences
        if identical:
            print(f"  the import's result: identical to the quiet run (export register --all, "
                  f"{rows:,} children, byte for byte; {loaded[1]})")
        else:
            print(f"  the import's result DIFFERS from the quiet run ({len(differences)} differences):")
            for line in differences[:20]:
                print(f"    {line}")
    ok = p95 < TARGET_P95_MS and errors == 0 and identical
    print(f"  {'PASS' if ok else 'FAIL'}: pages p95 {p95:.0f} ms (target < {TARGET_P95_MS:.0f}), "
          f"{errors} errors (target 0)" + ("" if quiet is None else
                                           f", result {'identical' if identical else 'different'}"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
