"""Agency records for tests: a partner agency's person, the facts it holds about them, and the
match that links the person to a child on the register. Faker in en_GB."""

import datetime as dt

import factory

from notinschool.intake.tests.factories import ImportBatchFactory
from notinschool.linkage.models import AgencyFact, AgencyPerson, PersonMatch
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory


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


def generated_records(n_register: int, n_agency: int, *, seed: int = 11) -> None:
    """The engine's test generator's register children and agency people (twins, namesakes,
    slips in every field), stored as the app holds them: enough records to train a model on."""
    from notinschool.linkage.engine.tests.synthetic import generate

    data = generate(n_register, n_agency, seed=seed)
    identity = ("forename", "middle_names", "surname", "sex", "date_of_birth", "postcode", "upn",
                "nhs_number")
    Child.objects.bulk_create([ChildFactory.build(**{f: r[f] or "" for f in identity})
                               for r in data.register.to_pylist()])
    AgencyPerson.objects.bulk_create([
        AgencyPersonFactory.build(**{f: r[f] or "" for f in (*identity, "address_line_1",
                                                             "parent1_name", "parent2_name")})
        for r in data.agency.to_pylist()])
