"""The test suite's flush on PostgreSQL (notinschool.core.testdb): after a transactional test
every table that held a row is empty, the append-only audit trail included, as Django's own
TRUNCATE of every table would leave it."""

import pytest
from django.core.management import call_command
from django.db import connection

from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.audit.services import audit_record
from notinschool.people.models import Address, Child
from notinschool.people.tests.factories import AddressFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the flush of PostgreSQL"),
]


def test_a_flush_empties_the_tables_that_held_rows_the_audit_trail_too() -> None:
    address = AddressFactory.create()
    officer = UserFactory.create()
    audit_record(actor=officer, action="view", object_type="child", child_ids=[address.child_id])
    assert connection.settings_dict["ENGINE"] == "notinschool.core.testdb"
    assert (Child.objects.count(), Address.objects.count(), AuditedChild.objects.count()) == (1, 1, 1)

    # as TransactionTestCase flushes after each test
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    holding = [
        table for table in connection.introspection.django_table_names(only_existing=True)
        if _has_rows(table)
    ]
    # what post_migrate puts back (content types and permissions) is all that is left
    assert set(holding) <= {"django_content_type", "auth_permission"}, holding
    assert not AuditEvent.objects.exists()
    assert type(officer).objects.count() == 0


def _has_rows(table: str) -> bool:
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")  # noqa: S608
        return bool(cursor.fetchone()[0])
