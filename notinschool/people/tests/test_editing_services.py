"""Changing a child's record by hand (people.editing): who may, what is refused, the history
with the value before, a move that keeps the old address, and the version check."""

import datetime as dt
from decimal import Decimal

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core import clock
from notinschool.core.errors import NotPermitted
from notinschool.people.edit_save import EditConflict, FieldProblem, Seen, address_seen, snapshot
from notinschool.people.editing import (
    PARENT_FIELDS,
    child_address_add,
    child_address_update,
    child_details_update,
    child_parent_add,
    child_parent_update,
    provider_add,
    provider_remove,
    provider_update,
)
from notinschool.people.models import Address, Child, FieldChange, Provider
from notinschool.people.tests.factories import AddressFactory, ChildFactory, ChildParentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with clock.as_of(dt.date(2026, 12, 7)):
        yield


@pytest.fixture
def officer():
    return UserFactory.create(username="officer", first_name="Olu", last_name="Officer",
                              role=Role.EHE_OFFICER)


def seen(child: Child, **values: str) -> Seen:
    return Seen(version=Child.objects.get(pk=child.pk).version, values=values)


def test_a_detail_change_keeps_who_when_and_the_value_before(officer):
    child = ChildFactory.create(ethnicity="WBRI", hours_parent_per_week=Decimal("20.0"))
    count = child_details_update(actor=officer, child=child, seen=seen(child, ethnicity="WBRI"),
                                 changes={"ethnicity": "WIRI", "hours_parent_per_week": Decimal(20)},
                                 reason="Parent corrected it")
    assert count == 1  # 20 and 20.0 hours are the same
    child.refresh_from_db()
    assert (child.ethnicity, child.version) == ("WIRI", 2)
    change = FieldChange.objects.get(child=child)
    assert (change.field, change.value_before, change.value_after) == ("ethnicity", "WBRI", "WIRI")
    assert (change.changed_by, change.changed_by_label, change.reason) == (
        officer, "Olu Officer", "Parent corrected it")
    event = AuditEvent.objects.get(action="update", object_type="child")
    assert event.detail["fields"] == ["ethnicity"]


def test_the_do_not_disclose_marker_needs_a_reason_kept_in_the_history_and_audit(officer):
    child = ChildFactory.create()
    with pytest.raises(FieldProblem, match="Enter why the address must be withheld") as problem:
        child_details_update(actor=officer, child=child, seen=seen(child),
                             changes={"do_not_disclose_address": True}, reason="  ")
    assert problem.value.field == "reason"
    assert not Child.objects.get(pk=child.pk).do_not_disclose_address
    child_details_update(actor=officer, child=child, seen=seen(child),
                         changes={"do_not_disclose_address": True}, reason="Refuge placement")
    assert Child.objects.get(pk=child.pk).do_not_disclose_address
    event = AuditEvent.objects.get(action="update")
    assert event.detail["address_marker"] == "set" and event.reason == "Refuge placement"
    assert FieldChange.objects.get(child=child, field="do_not_disclose_address").reason == "Refuge placement"
    with pytest.raises(FieldProblem, match="need no longer be withheld"):
        child_details_update(actor=officer, child=child, seen=seen(child),
                             changes={"do_not_disclose_address": False})


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ANALYST])
def test_roles_without_edit_register_cannot_change_the_record(role):
    child = ChildFactory.create(ethnicity="WBRI")
    with pytest.raises(NotPermitted):
        child_details_update(actor=UserFactory.create(role=role), child=child, seen=seen(child),
                             changes={"ethnicity": "WIRI"})
    assert not FieldChange.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"ethnicity": "XXXX"}, "ethnicity"),
    ({"sen_provision": "Q"}, "sen_provision"),
    ({"eligibility_basis": "on_a_whim"}, "eligibility_basis"),
    ({"hours_parent_per_week": Decimal(169)}, "hours_parent_per_week"),
    ({"hours_parent_per_week": Decimal(100), "hours_other_per_week": Decimal(100)}, "hours_parent_per_week"),
])
def test_details_the_rules_refuse(officer, changes, field):
    child = ChildFactory.create()
    with pytest.raises(FieldProblem) as problem:
        child_details_update(actor=officer, child=child, seen=seen(child), changes=changes)
    assert problem.value.field == field
    assert Child.objects.get(pk=child.pk).version == 1


def test_a_move_keeps_the_old_address_with_its_moved_out_date(officer):
    child = ChildFactory.create()
    old = AddressFactory.create(child=child, moved_in_date=dt.date(2022, 1, 1))
    new = child_address_add(actor=officer, child=child, seen=Seen(1, address_seen(child)),
                            line_1="2 New Street", postcode="ls7 2ab", moved_in_date=dt.date(2026, 11, 1))
    old.refresh_from_db()
    assert (old.is_current, old.moved_out_date) == (False, dt.date(2026, 11, 1))
    assert (new.is_current, new.postcode) == (True, "LS7 2AB")
    assert Child.objects.get(pk=child.pk).postcode == "LS7 2AB"
    assert Address.objects.filter(child=child).count() == 2
    fields = set(FieldChange.objects.filter(child=child).values_list("object_type", "field"))
    assert {("address", "address"), ("address", "moved_out_date"), ("address", "is_current")} <= fields


@pytest.mark.parametrize(("moved_in", "message"), [
    (dt.date(2027, 1, 1), "today or in the past"),
    (dt.date(2021, 1, 1), "from then or later"),
    (None, "Enter the date"),
])
def test_a_move_needs_a_sensible_date(officer, moved_in, message):
    child = ChildFactory.create()
    AddressFactory.create(child=child, moved_in_date=dt.date(2022, 1, 1))
    with pytest.raises(FieldProblem, match=message):
        child_address_add(actor=officer, child=child, seen=Seen(1, address_seen(child)),
                          line_1="2 New Street", postcode="LS7 2AB", moved_in_date=moved_in)


def test_correcting_an_address_and_its_dates(officer):
    child = ChildFactory.create()
    address = AddressFactory.create(child=child, line_1="1 Old Rd", postcode="LS6 1AB")
    with pytest.raises(FieldProblem, match="no moved-out date"):
        child_address_update(actor=officer, child=child, address=address, seen=seen(child),
                             line_1="1 Old Road", postcode="LS6 1AB", moved_in_date=address.moved_in_date,
                             moved_out_date=dt.date(2026, 1, 1))
    child_address_update(actor=officer, child=child, address=address,
                         seen=Seen(1, snapshot(address, ("line_1",))), line_1="1 Old Road", town="Demo Town",
                         postcode="LS6 1AB", moved_in_date=address.moved_in_date)
    change = FieldChange.objects.get(child=child)
    assert (change.value_before, change.value_after) == ("1 Old Rd", "1 Old Road")


def test_a_parent_of_two_children_changes_on_both_records(officer):
    link = ChildParentFactory.create(parent__postcode="LS6 1AB")
    sibling_link = ChildParentFactory.create(parent=link.parent)
    values = {f: getattr(link.parent, f) for f in PARENT_FIELDS}
    child_parent_update(actor=officer, child=link.child, link=link, seen=seen(link.child),
                        **{**values, "postcode": "LS7 3CD"}, lives_with_child=True, educates=False)
    rows = FieldChange.objects.filter(child=link.child)
    assert {(c.field, c.value_before, c.value_after) for c in rows} == {
        ("postcode", "LS6 1AB", "LS7 3CD"), ("educates", "Yes", "No")}
    assert list(FieldChange.objects.filter(child=sibling_link.child).values_list("field", flat=True)) == [
        "postcode"]
    assert Child.objects.get(pk=sibling_link.child.pk).version == 2


def test_adding_a_parent_who_lives_elsewhere(officer):
    child = ChildFactory.create()
    link = child_parent_add(actor=officer, child=child, seen=seen(child), name="Sam Jones",
                            postcode="LS8 1AA", lives_with_child=False, educates=None)
    assert (link.parent.postcode, link.lives_with_child) == ("LS8 1AA", False)
    with pytest.raises(FieldProblem, match="email address"):
        child_parent_add(actor=officer, child=child, seen=seen(child), name="Al", email="nope",
                         lives_with_child=True, educates=True)


def test_providers_are_added_changed_and_removed_with_history(officer):
    child = ChildFactory.create()
    provider = provider_add(actor=officer, child=child, seen=seen(child), name="Tutor Ltd",
                            provider_type="Tutor", hours_per_week=Decimal(6))
    provider_update(actor=officer, child=child, provider=provider, seen=seen(child, hours_per_week="6"),
                    name="Tutor Ltd", provider_type="Tutor", hours_per_week=Decimal("20.5"))
    provider_remove(actor=officer, child=child, provider=provider, seen=seen(child))
    assert not Provider.objects.exists()
    rows = list(FieldChange.objects.filter(child=child).values_list("field", "value_before", "value_after"))
    assert ("hours_per_week", "6", "20.5") in rows and ("provider", "Tutor Ltd", "") in rows
    assert Child.objects.get(pk=child.pk).version == 4


def test_the_second_of_two_editors_is_told_who_changed_what_and_nothing_is_lost(officer):
    child = ChildFactory.create(ethnicity="WBRI", sen_provision="N")
    manager = UserFactory.create(first_name="Mo", last_name="Manager", role=Role.TEAM_MANAGER)
    both_saw = seen(child, ethnicity="WBRI", sen_provision="N")
    child_details_update(actor=manager, child=child, seen=both_saw, changes={"ethnicity": "WIRI"})
    with pytest.raises(EditConflict) as conflict:
        child_details_update(actor=officer, child=child, seen=both_saw, changes={"sen_provision": "K"})
    assert "Mo Manager changed ethnicity from 'WBRI' to 'WIRI'" in str(conflict.value)
    assert str(conflict.value).startswith("Someone else changed this record while you were editing")
    child.refresh_from_db()
    assert (child.ethnicity, child.sen_provision, child.version) == ("WIRI", "N", 2)
    # saved again against what they now see, the officer's change lands beside the manager's
    child_details_update(actor=officer, child=child, seen=seen(child, ethnicity="WIRI", sen_provision="N"),
                         changes={"sen_provision": "K"})
    child.refresh_from_db()
    assert (child.ethnicity, child.sen_provision, child.version) == ("WIRI", "K", 3)


def test_a_change_made_by_an_import_meanwhile_also_trips_the_check(officer):
    child = ChildFactory.create(ethnicity="")
    opened = seen(child, ethnicity="")
    Child.objects.filter(pk=child.pk).update(ethnicity="MWBC")  # as an import writes: no version
    with pytest.raises(EditConflict, match="ethnicity is now 'MWBC'"):
        child_details_update(actor=officer, child=child, seen=opened, changes={"ethnicity": "WBRI"})
    assert Child.objects.get(pk=child.pk).ethnicity == "MWBC"
