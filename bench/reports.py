"""The reports at scale: the termly return (its page, by the same computation as the CSV
export), the scorecard page and the assurance report page over 200,000 children in
PostgreSQL, through the Django test client signed in as a team manager (the whole request:
the count, the audit event, the template).

    python -m bench reports [-- --runs N --children N]

The children come from bench.register_data (the template database built once from the synth
truth; every child given a latest tier as the search benchmark does). That template writes no
status history, so each child not merely recorded is given one status change, to its status on
the day it joined (`HISTORY_SQL`), which is what the return reads. Prints the median and
slowest of N runs (default 3) of each page and of the CSV export, beside the process CPU (the
machine is shared: wall time includes waiting for a core). Targets (issue 16): the return
under 5 s, the scorecard page under 3 s, the annual report's PDF under 30 s (the assurance
report and the children behind one figure: ours, 3 s and 5 s). Asserts nothing.

Timed runs go under the shared lock: `flock /tmp/notinschool-bench.lock python -m bench reports`."""

import argparse
import statistics
import time

from bench.pgtemp import Timer, bench_database, django_setup
from bench.register_data import AS_OF, CHILDREN, ensure_template
from bench.search import assess_everyone

HISTORY_SQL = """
INSERT INTO people_statuschange (id, created_at, modified_at, child_id, status, date, reason)
SELECT gen_random_uuid(), now(), now(), id, status, status_date, 'bench'
FROM people_child WHERE status <> 'recorded' AND status_date IS NOT NULL
"""


def status_history() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL)
        written = cursor.rowcount
        cursor.execute("VACUUM ANALYZE people_statuschange")
        return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--children", type=int, default=CHILDREN)
    args, _ = parser.parse_known_args(argv)
    django_setup()
    template = ensure_template(args.children)
    with bench_database("notinschool_bench_reports", template=template):
        from django.test import Client

        from notinschool.accounts.roles import Role
        from notinschool.accounts.tests.factories import UserFactory
        from notinschool.people.models import Child

        manager = UserFactory.create(role=Role.TEAM_MANAGER)
        client = Client(HTTP_HOST="localhost")
        client.force_login(manager)
        assess_everyone()
        changes = status_history()
        census = AS_OF.isoformat()
        print(f"reports over {Child.objects.count():,} children ({changes:,} with a status change), "
              f"census date {census}:")
        for label, path, target in (
                ("termly return page", f"/reports/return/?census_date={census}", 5.0),
                ("termly return CSV", f"/reports/return.csv?census_date={census}", 5.0),
                ("children behind one figure (home educated, female)",
                 f"/reports/return/children/?census_date={census}&section=ehe_census&measure=children"
                 "&breakdown=sex&value=F", 5.0),
                ("scorecard page", f"/reports/scorecard/?as_of={census}", 3.0),
                ("assurance report page", "/reports/assurance/", 3.0),
                ("annual report PDF (2025 to 2026)", "/reports/annual.pdf?year=2025", 30.0)):
            times, cpu = [], []
            for _ in range(args.runs):
                timer, started = Timer(), time.process_time()
                response = client.get(path)
                times.append(timer.seconds)
                cpu.append(time.process_time() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")
            median = statistics.median(times)
            print(f"  {label} ({args.runs} runs): median {median:.2f} s, slowest {max(times):.2f} s, "
                  f"process CPU median {statistics.median(cpu):.2f} s "
                  f"(target < {target:g} s: {'met' if median < target else 'MISSED'})")
    return 0
