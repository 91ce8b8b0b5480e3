"""Audit events cannot be changed through the application, nor behind its back."""

import pytest
from django.db import DatabaseError, connection, transaction

from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    audit_record(actor=COMMAND_LINE, action="view", object_type="child", child_ids=[],
                 detail={"why": "test"})
    return AuditEvent.objects.get()


def test_the_model_refuses_to_save_or_delete_an_event(event):
    event.object_type = "something else"
    with pytest.raises(DomainError):
        event.save()
    with pytest.raises(DomainError):
        event.delete()


def test_the_database_refuses_a_queryset_update(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_type="forged")
    assert AuditEvent.objects.get().object_type == "child"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite test teardown deletes rows")
def test_postgresql_refuses_a_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.count() == 1
