"""A person splits a wrong merge; both records are rebuilt from their own notifications."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.models import SplitDecision
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.people.models import Child
from notinschool.workflow.split import child_split

pytestmark = pytest.mark.django_db

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]


@pytest.fixture
def merged(as_of, write_csv) -> Child:
    """Alexander's school deleted him for home education; weeks later a registration for
    'Alex', a different boy born the same day at the same address, landed on his record."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    run_import("parent-registrations", write_csv(
        "r.csv", REGISTRATION_HEADER,
        ["Alex", "Smith-Jones", "2015-03-05", "1 Mill Road", "LS6 1AB", "Dana Other", "bullying",
         "2026-10-20"]))
    child = Child.objects.get()
    assert child.notifications.count() == 2 and child.ehe_reason == "bullying"
    return child


def test_splitting_makes_a_second_child_and_rebuilds_the_first(merged):
    registration = merged.notifications.get(kind="parent-registrations")
    new = child_split(actor=COMMAND_LINE, child=merged, notification_ids=[registration.pk],
                      reason="Different boy: the school confirms Alexander has a brother Alex")
    merged.refresh_from_db()
    assert new.forename == "Alex" and new.child_ref != merged.child_ref
    assert new.status == "ehe" and new.ehe_reason == "bullying"
    assert [p.parent.name for p in new.parent_links.all()] == ["Dana Other"]
    assert merged.ehe_reason == "", "the reason came from the other boy's registration"
    assert merged.registration_received_date is None
    assert sorted(p.parent.name for p in merged.parent_links.all()) == ["Sarah Smith"]
    assert merged.status == "ehe" and merged.status_history.count() == 1
    assert [r["forename"] for r in export_register()] == ["Alexander", "Alex"]
    decision = SplitDecision.objects.get()
    assert decision.new_child == new and decision.notification_ids == [str(registration.pk)]
    event = AuditEvent.objects.get(object_type="child_split")
    assert event.reason.startswith("Different boy")


def test_a_split_needs_a_reason_and_must_leave_something_behind(merged):
    ids = list(merged.notifications.values_list("pk", flat=True))
    with pytest.raises(DomainError):
        child_split(actor=COMMAND_LINE, child=merged, notification_ids=ids[:1], reason=" ")
    with pytest.raises(DomainError):
        child_split(actor=COMMAND_LINE, child=merged, notification_ids=ids, reason="all of them")
    assert Child.objects.count() == 1 and not SplitDecision.objects.exists()


def test_reimporting_after_a_split_changes_nothing(merged, write_csv):
    registration = merged.notifications.get(kind="parent-registrations")
    child_split(actor=COMMAND_LINE, child=merged, notification_ids=[registration.pk], reason="two boys")
    before = export_register()
    run_import("parent-registrations", write_csv(
        "r.csv", REGISTRATION_HEADER,
        ["Alex", "Smith-Jones", "2015-03-05", "1 Mill Road", "LS6 1AB", "Dana Other", "bullying",
         "2026-10-20"]))
    assert export_register() == before


def test_a_role_that_cannot_change_the_register_cannot_split(merged):
    registration = merged.notifications.get(kind="parent-registrations")
    with pytest.raises(NotPermitted):
        child_split(actor=UserFactory.create(role=Role.ANALYST), child=merged,
                    notification_ids=[registration.pk], reason="Different boy, says the school")
    assert Child.objects.count() == 1 and not SplitDecision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="child_split").exists()
