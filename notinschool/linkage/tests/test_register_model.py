"""The linking model weighed by the whole stored register (issue 20, items 1 and 6): a forename
replaced links only where the register holds no twins, and a twin off the register is never
taken for the child on it."""

import datetime as dt

import pytest

from notinschool.linkage.engine import AUTO_THRESHOLD, REVIEW_THRESHOLD, link_people
from notinschool.linkage.engine.model import PopulationCounts, model_for_population
from notinschool.linkage.linking import agency_table, register_model, register_table
from notinschool.linkage.tests.factories import AgencyPersonFactory
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2015, 4, 12)


def _child(forename: str, surname: str, postcode: str, dob: dt.date = BIRTH):
    return ChildFactory.create(forename=forename, surname=surname, postcode=postcode,
                               date_of_birth=dob, sex="F")


def test_the_counts_come_from_every_open_child_on_the_register():
    _child("Olivia", "Hartley", "LS6 2AB")
    _child("Lila", "hartley", "ls6 2ab")  # Olivia's twin
    _child("Olivia", "Hartley", "LS6 2AB", dt.date(2012, 1, 3))  # a sister of one forename
    _child("Amelia", "Okafor", "WV3 4YW")
    expected = model_for_population(PopulationCounts(records=4, same_but_forename=2,
                                                     same_but_birthday=2))
    assert register_model() == expected


def _strangers(n: int) -> None:
    """``n`` open register children, no two of one family."""
    Child.objects.bulk_create([ChildFactory.build(forename="Ava", surname=f"Stranger{i}",
                                                  postcode=f"LS{i % 90 + 1} {i % 9 + 1}AB")
                               for i in range(n)])  # fmt: skip


def _linked(child_forename: str) -> list:
    person = AgencyPersonFactory.create(record_id="S1", forename=child_forename,
                                        surname="Hartley", date_of_birth=BIRTH, sex="F",
                                        postcode="LS6 2AB")  # fmt: skip
    return link_people(register_table(None), agency_table({person.pk}), model=register_model())


def test_a_forename_replaced_links_where_the_register_holds_no_twins():
    _child("Olivia", "Hartley", "LS6 2AB")
    _strangers(600)
    [match] = _linked("Harriet")
    assert match.probability >= AUTO_THRESHOLD


def test_a_twin_off_the_register_is_not_taken_for_the_child_on_it():
    _child("Olivia", "Hartley", "LS6 2AB")
    _strangers(600)
    for family in range(30):  # one child in ten on this register is a twin
        _child("Mia", f"Twin{family}", f"LS{family + 1} 9ZZ")
        _child("Ava", f"Twin{family}", f"LS{family + 1} 9ZZ")
    assert all(m.probability < REVIEW_THRESHOLD for m in _linked("Harriet"))
