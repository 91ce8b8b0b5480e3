"""The nightly unusual-access check, on Django's task framework."""

import datetime as dt

from crontask import cron
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.core import clock
from notinschool.governance.services import access_flags_compute


@cron("30 0 * * *")
@task()
def flag_unusual_access() -> int:
    """Just after midnight: yesterday's access, flagged for the data protection officer."""
    return access_flags_compute(actor=SystemActor("unusual access"),
                                day=clock.today() - dt.timedelta(days=1))
