"""Exports of the register need the right to export it (`EXPORT_REGISTER`), checked by the
service when it is called, before a row is read or an audit event written."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import NotPermitted
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.reports.dfe_return import dfe_return_rows
from notinschool.reports.register_export import register_export_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST])
def test_a_role_that_cannot_export_gets_no_export(as_of, write_csv, role):
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    events = AuditEvent.objects.count()
    user = UserFactory.create(role=role)
    with pytest.raises(NotPermitted):
        register_export_rows(actor=user, include_closed=True, as_of=dt.date(2026, 11, 1))
    with pytest.raises(NotPermitted):
        dfe_return_rows(actor=user, census_date=dt.date(2026, 11, 1))
    assert AuditEvent.objects.count() == events


def test_an_officer_exports(as_of, write_csv):
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    rows = list(register_export_rows(actor=officer, include_closed=True, as_of=dt.date(2026, 11, 1)))
    assert len(rows) == 1
    assert AuditEvent.objects.get(action="export", object_type="register").actor == officer
