"""The nightly assessment: tiers change with the date alone (a child not seen for a year, an
override that expires, a deadline that passes), so every open record is assessed each night.
Scheduled with django-crontask (`notinschool crontask`), run by the task worker
(`notinschool db_worker`)."""

from crontask import cron
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.risk.services import risk_assessment_run

NIGHTLY = "30 1 * * *"


@cron(NIGHTLY)
@task()
def assess_nightly() -> int:
    return risk_assessment_run(actor=SystemActor("nightly assessment"), child_ids=None)
