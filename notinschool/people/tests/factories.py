"""Register records for tests: children with their homes, parents, households and status
changes. Faker in en_GB."""

import datetime as dt

import factory

from notinschool.people.models import Address, Child, ChildParent, Household, Parent, Status, StatusChange


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    child_ref = factory.Sequence(lambda n: f"C{n:07d}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
    surname_key = factory.LazyAttribute(lambda o: o.surname.upper())
    date_of_birth = factory.Faker("date_between", start_date=dt.date(2010, 9, 1),
                                  end_date=dt.date(2020, 8, 31))
    sex = factory.Iterator(["F", "M"])
    status = Status.EHE
    status_date = dt.date(2026, 9, 1)
    joined_register_date = dt.date(2026, 9, 1)
    postcode = factory.Sequence(lambda n: f"LS6 {n % 9 + 1}AB")


class AddressFactory(factory.django.DjangoModelFactory[Address]):
    class Meta:
        model = Address

    child = factory.SubFactory(ChildFactory)
    line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Demo Town"
    postcode = factory.LazyAttribute(lambda o: o.child.postcode)
    moved_in_date = dt.date(2022, 1, 1)
    is_current = True


class ParentFactory(factory.django.DjangoModelFactory[Parent]):
    class Meta:
        model = Parent

    name = factory.Faker("name", locale="en_GB")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    postcode = "LS6 1AB"


class ChildParentFactory(factory.django.DjangoModelFactory[ChildParent]):
    class Meta:
        model = ChildParent

    child = factory.SubFactory(ChildFactory)
    parent = factory.SubFactory(ParentFactory)
    lives_with_child = True
    educates = True


class StatusChangeFactory(factory.django.DjangoModelFactory[StatusChange]):
    class Meta:
        model = StatusChange

    child = factory.SubFactory(ChildFactory)
    status = Status.EHE
    date = dt.date(2026, 9, 1)
    reason = "School deletion, home education ground"
