"""The schedules: nightly assessment, monthly full cross-reference, morning summaries, and
alerts that had nobody to email. Each is a task the worker runs and the scheduler triggers."""

import datetime as dt

import pytest
from crontask import scheduler

from notinschool.casework import tasks as casework_tasks
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment
from notinschool.workflow import tasks as workflow_tasks


def _next_runs(name: str, count: int = 3) -> list[dt.datetime]:
    [job] = [j for j in scheduler.get_jobs() if j.name.endswith(name)]
    runs, after = [], dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    for _ in range(count):
        after = job.trigger.get_next_fire_time(None, after)
        runs.append(after)
        after += dt.timedelta(seconds=1)
    return runs


def test_every_schedule_is_registered_with_the_scheduler():
    names = {job.name.rsplit(".", 1)[-1] for job in scheduler.get_jobs()}
    assert {"assess_nightly", "link_monthly", "send_daily_summaries", "send_pending_alerts"} <= names


def test_assessment_runs_every_night_and_linking_on_the_first_of_the_month():
    nightly = _next_runs("assess_nightly")
    assert [r.day for r in nightly] == [24, 25, 26] and {r.hour for r in nightly} == {1}
    assert [r.date() for r in _next_runs("link_monthly", 2)] == [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]


def test_summaries_go_on_working_days_only():
    days = [r.strftime("%a") for r in _next_runs("send_daily_summaries", 5)]
    assert days == ["Tue", "Wed", "Thu", "Fri", "Mon"]


@pytest.mark.django_db
def test_the_nightly_task_assesses_every_open_record(as_of):
    ChildFactory.create_batch(3)
    result = workflow_tasks.assess_nightly.enqueue()
    assert result.return_value == 3
    assert Assessment.objects.filter(is_latest=True).count() == 3


@pytest.mark.django_db
def test_the_monthly_task_links_and_assesses(as_of):
    ChildFactory.create()
    result = workflow_tasks.link_monthly.enqueue()
    assert result.return_value >= 0
    assert casework_tasks.send_pending_alerts.enqueue().return_value == 0
