"""Scheduled casework jobs, on Django's task framework: load nothing, call one service."""

from crontask import cron
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.casework.services import alerts_email_pending, daily_summaries_send


@cron("0 7 * * mon-fri")
@task()
def send_daily_summaries() -> int:
    """Each working morning: every officer's, manager's and social worker's counts by email."""
    return daily_summaries_send(actor=SystemActor("daily summaries"))


@cron("*/15 * * * *")
@task()
def send_pending_alerts() -> int:
    """Email alerts that had nobody to email when they were raised."""
    return alerts_email_pending(actor=SystemActor("pending alerts"))
