"""The scheduled runs that cross domains. Scheduled with django-crontask (`notinschool
scheduler`, the one scheduler), run by the task worker (`notinschool db_worker`).

- Nightly assessment: tiers change with the date alone (a child not seen for a year, an
  override that expires, a deadline that passes), so every open record is assessed each night.
- Monthly full cross-reference: imports link the records they touch as they arrive; once a
  month the matching model is trained again on the authority's records (when there are enough)
  and everything is linked against everything, so a change in one agency's file reaches
  every child; the children it touched are assessed.
- Every five minutes, what an import committed but did not follow up (killed in between), and
  any file queued while the register was busy that nobody took in (workflow.queue).
- Daily, before the nightly assessment, the register kept current with the calendar: children
  recorded below compulsory school age join it on the day they reach it, open records of
  children past it cease (workflow.register_status).
- Daily, after the register is kept current, the retention schedules: closed records past their
  date deleted (their anonymous facts kept for the return), old audit events and subject access
  bundles too; nothing under a legal hold (records.retention).
- Every five minutes, emails that did not go: tried again, and kept in the work queue until
  they go (workflow.email_followup)."""

from crontask import cron
from django.conf import settings
from django.tasks import task

from notinschool.accounts.system import SystemActor
from notinschool.records.retention import retention_run
from notinschool.workflow.assessment import risk_assessment_run
from notinschool.workflow.email_followup import emails_follow_up
from notinschool.workflow.linking import link_all_and_assess
from notinschool.workflow.queue import waiting_imports_run
from notinschool.workflow.register_status import register_keep_current

FOLLOW_UPS = "*/5 * * * *"
NIGHTLY = "30 1 * * *"
DAILY_REGISTER = "15 1 * * *"
MONTHLY = "0 2 1 * *"
DAILY_RETENTION = "45 1 * * *"


@cron(NIGHTLY)
@task()
def assess_nightly() -> int:
    return risk_assessment_run(actor=SystemActor("nightly assessment"), child_ids=None)


@cron(DAILY_REGISTER)
@task()
def keep_register_current_daily() -> int:
    return register_keep_current(actor=SystemActor("daily register update")).changed


@cron(DAILY_RETENTION)
@task()
def retention_daily() -> int:
    """Deletes what has passed its retention date; returns how many child records went."""
    report = retention_run(actor=SystemActor("daily retention"), dry_run=False)
    return int(report.counts["child_record"]["deleted"])


@cron(MONTHLY)
@task()
def link_monthly() -> int:
    """The model trained again on the month's records first (NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY),
    so a register that has grown or changed is weighed by what it is now."""
    return link_all_and_assess(actor=SystemActor("monthly cross-referencing"),
                               train=settings.NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY)


@cron(FOLLOW_UPS)
@task()
def complete_follow_ups() -> int:
    """Every five minutes: finish linking and assessing after any import whose process stopped
    between committing its rows and that follow-up; then import any queued file."""
    return waiting_imports_run()


@cron(FOLLOW_UPS)
@task()
def retry_emails() -> dict[str, int]:
    """Every five minutes: emails to families whose next try is due are tried again, and each
    email about a child not sent is a work item until it goes."""
    return emails_follow_up(actor=SystemActor("email retries"))
