"""A register that keeps itself current: a child recorded before compulsory school age joins
on the day they reach it; an open record past it ceases; the daily job is idempotent and
catches up with the right dates; register content the parents have not supplied is asked for
15 days after eligibility."""

import contextlib
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from notinschool.accounts.system import COMMAND_LINE, SystemActor
from notinschool.audit.models import AuditEvent
from notinschool.core import clock
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register
from notinschool.people.models import Child, Status, StatusChange
from notinschool.people.register_status import children_past_school_age, children_reach_school_age
from notinschool.people.tests.factories import ChildFactory
from notinschool.people.timeline import child_timeline
from notinschool.risk.models import Assessment
from notinschool.workflow.imports import import_file
from notinschool.workflow.register_status import register_keep_current

pytestmark = pytest.mark.django_db
D = dt.date
DELETED = D(2026, 11, 16)


def _import(path: Path, kind: str = "roll-deletions", on: dt.date = DELETED) -> None:
    with clock.as_of(on):
        assert import_file(actor=COMMAND_LINE, kind=kind, path=path).rows_new >= 1


def _keep(on: dt.date) -> tuple[int, int]:
    with clock.as_of(on):
        kept = register_keep_current(actor=SystemActor("daily register update"))
    return len(kept.joined), len(kept.ceased)


@pytest.fixture
def reception_withdrawal(write_csv) -> Child:
    """Poppy, withdrawn from Reception to be home educated on 16 November 2026; five on
    10 December 2026, so of compulsory school age from 31 December 2026."""
    _import(write_csv("del.csv", DELETION_HEADER, deletion(
        "Poppy", "Reed", "2021-12-10", on="2026-11-16", parent1_name="Rosa Reed")))
    child = Child.objects.get(forename="Poppy")
    assert child.status == Status.RECORDED and not child.status_history.exists()
    return child


def test_a_child_withdrawn_from_reception_joins_on_the_day_they_reach_compulsory_school_age(
        reception_withdrawal: Child) -> None:
    assert _keep(D(2026, 12, 30)) == (0, 0)
    assert _keep(D(2026, 12, 31)) == (1, 0)
    child = Child.objects.get(pk=reception_withdrawal.pk)
    assert (child.status, child.status_date, child.joined_register_date) == (
        Status.EHE, D(2026, 12, 31), D(2026, 12, 31))
    assert child.registration_due_date == D(2027, 1, 15)
    change = child.status_history.get()
    assert (change.status, change.date) == (Status.EHE, D(2026, 12, 31))
    assert change.reason == ("reached compulsory school age on 31 December 2026: school roll "
                             "deletion (elective home education) dated 16 November 2026")
    event = AuditEvent.objects.get(detail__why="reached compulsory school age")
    assert event.actor_label.startswith("system: daily register update")
    assert list(event.children.values_list("child_id", flat=True)) == [child.pk]
    assert Assessment.objects.filter(child=child, is_latest=True).exists()


def test_the_child_who_joined_is_in_the_register_export_and_counted_in_the_return_from_then(
        reception_withdrawal: Child) -> None:
    _keep(D(2027, 1, 4))
    with clock.as_of(D(2027, 1, 21)):
        assert [r["forename"] for r in export_register()] == ["Poppy"]
        census = _dfe_return("2027-01-21")
        assert census[("ehe_census", "children", "total", "")] == 1
        assert census[("ehe_census", "children", "year_group", "R")] == 1
        assert _dfe_return("2026-12-30")[("ehe_census", "children", "total", "")] == 0


def test_a_run_missed_for_a_week_catches_up_with_the_right_dates_and_a_second_run_changes_nothing(
        reception_withdrawal: Child) -> None:
    assert _keep(D(2027, 1, 7)) == (1, 0)
    changes = StatusChange.objects.count()
    events = AuditEvent.objects.filter(action="update", object_type="child").count()
    assert _keep(D(2027, 1, 7)) == (0, 0)
    assert _keep(D(2027, 1, 8)) == (0, 0)
    assert StatusChange.objects.count() == changes
    assert AuditEvent.objects.filter(action="update", object_type="child").count() == events
    assert Child.objects.get(pk=reception_withdrawal.pk).status_date == D(2026, 12, 31)


def test_a_child_admitted_to_a_school_before_reaching_the_age_stays_off_the_register(
        reception_withdrawal: Child, write_csv) -> None:
    admissions = write_csv("adm.csv", ["school_urn", "forename", "surname", "date_of_birth",
                                       "postcode", "admission_date"],
                           ["654321", "Poppy", "Reed", "2021-12-10", "LS6 1AB", "2026-12-01"])
    _import(admissions, "school-admissions", D(2026, 12, 2))
    assert _keep(D(2027, 1, 4)) == (0, 0)
    assert Child.objects.get(pk=reception_withdrawal.pk).status == Status.RECORDED


def test_a_recorded_child_no_notification_would_have_registered_stays_recorded(settings) -> None:
    settings.NOTINSCHOOL_AREA_DISTRICTS = ["LS6"]
    child = ChildFactory.create(status=Status.RECORDED, date_of_birth=D(2020, 1, 1), postcode="LS6 1AB")
    assert children_reach_school_age(actor=COMMAND_LINE, on=D(2026, 12, 7)) == []
    assert Child.objects.get(pk=child.pk).status == Status.RECORDED


def test_a_missing_education_deletion_joins_as_missing_education_from_that_day(write_csv) -> None:
    _import(write_csv("del.csv", DELETION_HEADER, deletion(
        "Noah", "Hill", "2021-09-01", ground="continuous_absence_20_days", on="2026-11-16")))
    assert _keep(D(2026, 12, 31)) == (1, 0)
    child = Child.objects.get(forename="Noah")
    assert (child.status, child.missing_since) == (Status.CME, D(2026, 12, 31))


def test_an_open_record_ceases_the_day_after_the_school_leaving_date() -> None:
    sixteen = ChildFactory.create(status=Status.EHE, status_date=D(2024, 1, 1),
                                  date_of_birth=D(2010, 8, 31))
    younger = ChildFactory.create(status=Status.EHE, status_date=D(2024, 1, 1),
                                  date_of_birth=D(2010, 9, 1))
    assert children_past_school_age(actor=COMMAND_LINE, on=D(2026, 6, 26)) == []
    assert children_past_school_age(actor=COMMAND_LINE, on=D(2026, 12, 7)) == [sixteen.pk]
    ceased = Child.objects.get(pk=sixteen.pk)
    assert (ceased.status, ceased.status_date) == (Status.CEASED, D(2026, 6, 27))
    change = ceased.status_history.get()
    assert change.date == D(2026, 6, 27)
    assert change.reason == "past compulsory school age: the school leaving date was 26 June 2026"
    assert Child.objects.get(pk=younger.pk).status == Status.EHE
    assert children_past_school_age(actor=COMMAND_LINE, on=D(2026, 12, 7)) == []


def test_the_command_keeps_the_register_current_as_of_a_date(reception_withdrawal: Child) -> None:
    out = io.StringIO()
    with clock.as_of(D(2027, 1, 2)):
        call_command("keep_register_current", stdout=out)
    assert out.getvalue().strip() == ("1 children reached compulsory school age and joined the "
                                      "register; 0 past it ceased")
    entry = next(e for e in child_timeline(actor=COMMAND_LINE, child=reception_withdrawal)
                 if e.kind == "status")
    assert entry.day == D(2026, 12, 31) and "reached compulsory school age" in entry.detail


def _dfe_return(census: str) -> dict[tuple[str, str, str, str], int]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "dfe-return", "--census-date", census)
    return {(r["section"], r["measure"], r["breakdown"], r["value"]): int(r["count"])
            for r in csv.DictReader(io.StringIO(out.getvalue()))}
