"""Scheduled working-together jobs, on Django's task framework: load nothing, call one service.

- Each morning before the daily summaries (07:00), drift: plans past review, without progress,
  children on a plan not seen as often as their tier asks, meeting actions overdue.
- Each Monday morning, each health team is told of the home-educated children in its districts
  it has not been told of (a health practitioner can ask for it any day)."""

from crontask import cron
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.plans.services import drift_run, health_share_run

DAILY_DRIFT = "40 6 * * *"
WEEKLY_HEALTH = "0 6 * * mon"


@cron(DAILY_DRIFT)
@task()
def flag_drift_daily() -> int:
    return drift_run(actor=SystemActor("daily drift check"))


@cron(WEEKLY_HEALTH)
@task()
def share_with_health_weekly() -> int:
    return health_share_run(actor=SystemActor("weekly health list"))
