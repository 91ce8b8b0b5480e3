"""Putting children who live together in one household (`people.services.household_assign`):
a change to the register, so it needs the right to change it and is audited."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import NotPermitted
from notinschool.people.models import Address, Child, Household
from notinschool.people.services import household_assign

pytestmark = pytest.mark.django_db


def brothers() -> list[Child]:
    children = [Child.objects.create(child_ref=f"C000000{n}", forename=name, surname="Evans",
                                     postcode="LS6 1AB")
                for n, name in ((1, "Harrison"), (2, "Owen"))]
    for child in children:
        Address.objects.create(child=child, line_1="1 Mill Road", postcode="LS6 1AB")
    return children


def test_children_at_one_address_with_a_surname_in_common_share_a_household():
    children = brothers()
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    assert household_assign(actor=officer, child_ids=[c.pk for c in children]) == 2
    [household] = Household.objects.all()
    assert set(Child.objects.values_list("household", flat=True)) == {household.pk}
    event = AuditEvent.objects.get(object_type="household")
    assert event.actor == officer and event.object_ids == [str(household.pk)]
    assert set(event.children.values_list("child_id", flat=True)) == {c.pk for c in children}


def test_a_role_that_cannot_change_the_register_cannot_assign_households():
    children = brothers()
    with pytest.raises(NotPermitted):
        household_assign(actor=UserFactory.create(role=Role.ANALYST),
                         child_ids=[c.pk for c in children])
    assert not Household.objects.exists()
    assert not Child.objects.filter(household__isnull=False).exists()
    assert not AuditEvent.objects.exists()
