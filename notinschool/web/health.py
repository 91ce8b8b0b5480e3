"""Is it up, and is it ready? Two addresses for the load balancer and the operator
(docs/operations.md, "What to watch"), both open without signing in and saying nothing about
any child.

- `/healthz`: the process answers ("ok"). A load balancer's liveness probe: restart the web
  process when this fails.
- `/readyz`: JSON with one entry a check, HTTP 200 when every check passes, else 503:
  - `database`: a query answers;
  - `migrations`: none of the release's migrations is left to apply;
  - `worker`: the task worker finished a task within the last 5 minutes (the scheduler queues a
    heartbeat task every minute, so a silent worker is a stopped one);
  - `scheduler`: the scheduler queued its heartbeat within the last 3 minutes; on PostgreSQL
    the answer also says whether the scheduler's lock is held, and by which server process.
  Send traffic only when ready; alert when it stays 503.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from notinschool.core.locks import lock_key
from notinschool.web.access import public

WORKER_WITHIN = dt.timedelta(minutes=5)
SCHEDULER_WITHIN = dt.timedelta(minutes=3)
HEARTBEAT_TASK = "crontask.tasks.heartbeat"

Check = tuple[bool, str]


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@public
def readyz(request: HttpRequest) -> HttpResponse:
    checks: dict[str, Callable[[], Check]] = {
        "database": _database, "migrations": _migrations, "worker": _worker, "scheduler": _scheduler,
    }
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        try:
            ok, detail = check()
        except DatabaseError as error:
            ok, detail = False, f"database error: {type(error).__name__}"
        results[name] = {"ok": ok, "detail": detail}
        if name == "database" and not ok:
            break  # nothing else can be known
    ready = all(r["ok"] for r in results.values()) and len(results) == len(checks)
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": results},
                        status=200 if ready else 503)


def _database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def _migrations() -> Check:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, f"{len(plan)} migrations not applied (run `notinschool migrate`)"
    return True, "all applied"


def _uses_task_table() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _worker() -> Check:
    if not _uses_task_table():
        return True, "tasks run in the web process (no worker)"
    from django_tasks_db.models import DBTaskResult

    last = (DBTaskResult.objects.filter(finished_at__isnull=False).order_by("-finished_at")
            .values_list("finished_at", flat=True).first())
    if last is None:
        return False, "no task finished yet: is `notinschool db_worker` running?"
    age = timezone.now() - last
    if age > WORKER_WITHIN:
        return False, f"the last task finished {int(age.total_seconds())} s ago (over 300 s)"
    return True, f"the last task finished {int(age.total_seconds())} s ago"


def _scheduler() -> Check:
    if not _uses_task_table():
        return True, "no scheduler with this task backend"
    from django_tasks_db.models import DBTaskResult

    last = (DBTaskResult.objects.filter(task_path=HEARTBEAT_TASK).order_by("-enqueued_at")
            .values_list("enqueued_at", flat=True).first())
    holder = scheduler_lock_holder()
    held = "" if holder is None else f"; its lock is held by server process {holder}"
    if last is None:
        return False, "no heartbeat queued yet: is `notinschool scheduler` running?" + held
    age = timezone.now() - last
    seconds = int(age.total_seconds())
    if age > SCHEDULER_WITHIN:
        return False, f"the last heartbeat was queued {seconds} s ago (over 180 s){held}"
    return True, f"the last heartbeat was queued {seconds} s ago{held}"


def scheduler_lock_holder() -> int | None:
    """PostgreSQL: the server process id holding the scheduler's advisory lock, if any."""
    if connection.vendor != "postgresql":
        return None
    key = lock_key("scheduler")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
            [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF])
        row = cursor.fetchone()
    return None if row is None else int(row[0])
