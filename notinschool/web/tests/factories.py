"""Register records for the pages' tests: children with their homes, parents, households,
assessments and agency records. Faker in en_GB."""

import datetime as dt

import factory

from notinschool.intake.models import ImportBatch
from notinschool.linkage.models import AgencyFact, AgencyPerson, PersonMatch
from notinschool.people.models import Address, Child, ChildParent, Household, Parent, Status, StatusChange
from notinschool.risk.models import Assessment


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


class AssessmentFactory(factory.django.DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    child = factory.SubFactory(ChildFactory)
    as_of = dt.date(2026, 11, 23)
    rule_version = "test"
    tier = 4
    computed_tier = factory.SelfAttribute("tier")
    review_interval_months = 12
    next_contact_due = dt.date(2027, 9, 1)


class ImportBatchFactory(factory.django.DjangoModelFactory[ImportBatch]):
    class Meta:
        model = ImportBatch

    kind = "agency"
    file_name = "agency.csv"
    sha256 = "0" * 64
    as_of = dt.date(2026, 11, 23)


class AgencyPersonFactory(factory.django.DjangoModelFactory[AgencyPerson]):
    class Meta:
        model = AgencyPerson

    source = "social_care"
    record_id = factory.Sequence(lambda n: f"R{n}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2015, 5, 5)


class AgencyFactFactory(factory.django.DjangoModelFactory[AgencyFact]):
    class Meta:
        model = AgencyFact

    person = factory.SubFactory(AgencyPersonFactory)
    source = factory.SelfAttribute("person.source")
    indicator = "child_in_need"
    start_date = dt.date(2025, 4, 1)
    detail = "Allocated social worker; family support plan"
    batch = factory.SubFactory(ImportBatchFactory)


class PersonMatchFactory(factory.django.DjangoModelFactory[PersonMatch]):
    class Meta:
        model = PersonMatch

    child = factory.SubFactory(ChildFactory)
    person = factory.SubFactory(AgencyPersonFactory)
    kind = PersonMatch.Kind.SAME_PERSON
    state = PersonMatch.State.AUTOMATIC


def known_to(source: str, child: Child, *, indicator: str = "child_in_need", detail: str = "Detail text",
             kind: str = PersonMatch.Kind.SAME_PERSON) -> AgencyFact:
    """Give `child` an agency record from `source`, linked automatically, with one fact."""
    person = AgencyPersonFactory.create(source=source)
    PersonMatchFactory.create(child=child, person=person, kind=kind)
    return AgencyFactFactory.create(person=person, indicator=indicator, detail=detail)
