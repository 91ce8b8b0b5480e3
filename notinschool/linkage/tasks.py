"""The monthly full cross-reference: imports link the records they touch as they arrive; once
a month everything is linked against everything, so a change in one agency's file reaches
every child. Scheduled with django-crontask, run by the task worker; the assessment follows."""

from crontask import cron
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.linkage.services import link_all
from notinschool.risk.services import risk_assessment_run

MONTHLY = "0 2 1 * *"


@cron(MONTHLY)
@task()
def link_monthly() -> int:
    actor = SystemActor("monthly cross-referencing")
    touched = link_all(actor=actor)
    return risk_assessment_run(actor=actor, child_ids=touched)
