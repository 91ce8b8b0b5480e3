"""notinschool scheduler

The one scheduler: puts each scheduled task (docs/operations.md, "Schedules") on the queue at
its time, and a heartbeat every minute (which /readyz reads). It is django-crontask's
scheduler, run only while holding the "scheduler" lock (PostgreSQL: an advisory lock held by
this process's database session; SQLite: a lock file beside the database). A second scheduler
started beside it says "waiting: another scheduler is running" and waits; when the first
stops, or its database session ends, the second takes over within seconds. So a second server
started by mistake, or a restart that overlaps the old process, never queues a night's work
twice.

Every 15 seconds the running scheduler checks that its own session still holds the lock (a
database restart ends the session and with it the lock); if not, it stops with exit status 1
and systemd starts it again, to wait its turn.
"""

import sys
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from crontask.management.commands.crontask import Command as CrontaskCommand
from django.db import connection

from notinschool.core.locks import advisory_lock, lock_key

CHECK_SECONDS = 15


class Command(CrontaskCommand):
    help = ("Run the one scheduler: queue the scheduled tasks at their times; a second one waits "
            "while the first runs.")

    def handle(self, *args: Any, **options: Any) -> None:
        def waiting() -> None:
            self.stdout.write("waiting: another scheduler is running")
            self.stdout.flush()

        with advisory_lock("scheduler", on_wait=waiting):
            self.stdout.write("holding the scheduler lock")
            self.lost = False
            super().handle(*args, **options)
        if self.lost:
            self.stderr.write("the scheduler lock was lost (the database session ended): stopping")
            sys.exit(1)

    def launch_scheduler(self, lock: Any, scheduler: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                own_pid = cursor.fetchone()[0]
            scheduler.add_job(self._check_lock, IntervalTrigger(seconds=CHECK_SECONDS),
                              args=(own_pid, scheduler), name="notinschool.scheduler.lock_check")
        super().launch_scheduler(lock, scheduler)

    def _check_lock(self, own_pid: int, scheduler: Any) -> None:
        """Runs in a scheduler thread, on that thread's own database connection."""
        from django.db import connection as thread_connection

        key = lock_key("scheduler")
        try:
            with thread_connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 1",
                    [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF])
                holders = {row[0] for row in cursor.fetchall()}
        except Exception:  # the database is away: the next check will tell
            thread_connection.close()
            return
        if own_pid not in holders:
            self.lost = True
            scheduler.shutdown(wait=False)
