"""`notinschool link` assesses what linking changed, not the whole register again: the child who
gained a link, their brothers and sisters (whose household facts are the child's agency facts),
and any open record not yet assessed today; a child nothing changed for keeps the assessment
the night's run made."""

import datetime as dt

import pytest
from django.core.management import call_command

from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory, HouseholdFactory
from notinschool.risk.models import Assessment

pytestmark = pytest.mark.django_db


def _latest(child: Child) -> Assessment:
    return Assessment.objects.get(child=child, is_latest=True)


def test_link_assesses_the_linked_child_and_their_household_and_leaves_the_others():
    home = HouseholdFactory.create()
    amelia = ChildFactory.create(forename="Amelia", surname="Okafor", date_of_birth=dt.date(2014, 3, 9),
                                 postcode="LS6 2AB", sex="F", upn="A123456789012", household=home)
    kofi = ChildFactory.create(forename="Kofi", surname="Okafor", date_of_birth=dt.date(2017, 6, 1),
                               postcode="LS6 2AB", sex="M", household=home)
    other = ChildFactory.create(forename="Isla", surname="Brennan", date_of_birth=dt.date(2013, 1, 20),
                                postcode="LS8 4QT", sex="F")
    call_command("assess", verbosity=0)  # the night's run
    night = {c.pk: _latest(c).pk for c in (amelia, kofi, other)}
    assert "household_child_in_need" not in _latest(kofi).flags
    # social care's record of Amelia arrives; a child joins the register after the night's run
    person = AgencyPersonFactory.create(forename="Amelia", surname="Okafor", sex="F",
                                        date_of_birth=amelia.date_of_birth, postcode="LS6 2AB",
                                        upn="A123456789012")
    AgencyFactFactory.create(person=person, indicator="child_in_need")
    late = ChildFactory.create(forename="Noah", surname="Price", date_of_birth=dt.date(2015, 2, 2),
                               postcode="LS9 1AA", sex="M")

    call_command("link", verbosity=0)

    assert _latest(amelia).pk != night[amelia.pk]
    assert "child_in_need" in _latest(amelia).flags
    assert _latest(kofi).pk != night[kofi.pk]
    assert "household_child_in_need" in _latest(kofi).flags
    assert _latest(other).pk == night[other.pk]
    assert _latest(late).as_of == _latest(amelia).as_of


def test_link_on_a_register_not_assessed_today_assesses_every_open_record():
    children = [ChildFactory.create() for _ in range(3)]
    call_command("link", verbosity=0)
    assert all(Assessment.objects.filter(child=c, is_latest=True).exists() for c in children)
