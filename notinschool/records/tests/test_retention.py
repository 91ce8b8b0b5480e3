"""Retention on a generated authority with the clock moved forward: every closed record past
the child's 25th birthday goes, with its notifications, contacts and letters, except one under a
legal hold; the DfE return's figures for a past census date stay exactly as they were; old audit
events go, except those about the held child; a dry run deletes nothing."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from notinschool.accounts.roles import Role
from notinschool.accounts.system import SystemActor
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.core import clock
from notinschool.intake.models import Notification
from notinschool.people.models import Child, Parent
from notinschool.records.holds import legal_hold_lift, legal_hold_set
from notinschool.records.models import RetentionRun
from notinschool.reports.dfe_return import dfe_return_rows
from notinschool.reports.models import RetiredChild
from notinschool.synth import generate_authority
from notinschool.workflow.register_status import register_keep_current

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("test")
FUTURE = dt.date(2052, 1, 10)


def figures(census: dt.date) -> dict[tuple[str, str, str, str], int]:
    return {tuple(r[:4]): r[4] for r in dfe_return_rows(actor=SYSTEM, census_date=census)}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_retention_keeps_the_returns_historic_figures_and_held_records(tmp_path: Path, as_of):
    folder = tmp_path / "authority"
    generate_authority(children=150, seed=5, out=folder, as_of=as_of)
    call_command("demo_load", str(folder), stdout=io.StringIO())
    censuses = (dt.date(2026, 1, 15), dt.date(2026, 10, 1), as_of)
    before = {c: figures(c) for c in censuses}
    assert before[as_of][("ehe_census", "children", "total", "")] > 20
    held = Child.objects.filter(status="ehe").order_by("child_ref").first()
    assert held is not None
    legal_hold_set(actor=SYSTEM, child=held, reason="Complaint to the ombudsman")
    lifted = legal_hold_set(actor=SYSTEM, child=Child.objects.exclude(pk=held.pk).filter(
        status="ehe").order_by("child_ref").first(), reason="Claim")  # type: ignore[arg-type]
    legal_hold_lift(actor=SYSTEM, hold=lifted, reason="Claim settled")
    children, notifications = Child.objects.count(), Notification.objects.count()

    with clock.as_of(FUTURE):
        register_keep_current(actor=SYSTEM)  # every open record is past school age: ceased
        dry = run("--dry-run")
        assert Child.objects.count() == children and RetiredChild.objects.count() == 0
        assert "dry run: nothing deleted" in dry
        report = run()

    assert Child.objects.count() < children
    print(dry, report, sep="\n")
    due = RetentionRun.objects.get(dry_run=True).counts["child_record"]
    done = RetentionRun.objects.get(dry_run=False).counts["child_record"]
    assert done == due and done["held"] == 1 and done["deleted"] >= 100
    # the held child stays, with its notifications and the audit events about it
    assert Child.objects.filter(pk=held.pk).exists()
    assert Notification.objects.filter(child=held).exists()
    assert AuditedChild.objects.filter(child_id=held.pk).exists()
    left = set(Child.objects.values_list("pk", flat=True))
    assert Notification.objects.exclude(child_id__in=left).exclude(child=None).count() == 0
    assert Notification.objects.count() < notifications
    assert not Parent.objects.filter(child_links__isnull=True).exists()
    # the return's figures for past census dates are unchanged
    after = {c: figures(c) for c in censuses}
    for census in censuses:
        changed = {k: (before[census][k], after[census][k]) for k in before[census]
                   if before[census][k] != after[census][k]}
        assert not changed, (census, changed)
    assert 0 < RetiredChild.objects.count() <= done["deleted"]  # those ever home educated or missing
    retired = RetiredChild.objects.first()
    assert retired is not None and retired.birth_month.day == 1
    # the run is audited; older events are gone except those about the held child
    event = AuditEvent.objects.filter(action="retention", detail__dry_run=False).get()
    assert event.detail["child_record"]["deleted"] == done["deleted"]
    assert not AuditEvent.objects.filter(action="import").exclude(
        children__child_id=held.pk).exists()


def test_the_schedule_is_the_25th_birthday(as_of):
    from notinschool.records.retention import child_retention_date

    assert child_retention_date(dt.date(2010, 3, 4), None) == dt.date(2035, 3, 4)
    assert child_retention_date(dt.date(2012, 2, 29), None) == dt.date(2037, 3, 1)
    assert child_retention_date(None, dt.date(2026, 5, 1)) == dt.date(2051, 5, 1)
    assert child_retention_date(None, None) is None


def test_notices_orders_and_missing_education_cases_still_count_after_deletion(make_user):
    """The statutory path's notices and orders, and a missing education case's time missing and
    reason, are in the return's figures for the school year they happened in; deleting the
    records 25 years on leaves those figures as they were."""
    from notinschool.cme.tests.factories import open_case
    from notinschool.statutory.tests.test_dfe_return import CENSUS, child, notice, order, revoke

    officer, manager = make_user(Role.EHE_OFFICER), make_user(Role.TEAM_MANAGER)
    ava = child("Ava", "F", "ehe", dt.date(2026, 9, 15))
    order(ava, officer, manager)
    revoke(ava, officer, manager, dt.date(2026, 12, 1), revoked_by="authority")
    dee = child("Dee", "F", "cme", dt.date(2026, 9, 1))
    notice(dee, officer, manager)
    with clock.as_of(dt.date(2026, 9, 20)):
        open_case(officer, dee, reason="parent_not_applied", since=dt.date(2026, 9, 1))
    before = figures(CENSUS)
    assert before[("ehe_in_year", "school_attendance_orders_revoked", "total", "")] == 1
    assert before[("cme_census", "children", "time_missing", "over_12_weeks")] == 1
    with clock.as_of(dt.date(2041, 1, 10)):  # both born in 2015: 25 in 2040
        register_keep_current(actor=SYSTEM)
        report = run()
    assert not Child.objects.filter(pk__in=[ava.pk, dee.pk]).exists(), report
    assert figures(CENSUS) == before
