"""A child's own agency record is never shown as a household member's, and household signals
come only from records of other people in the household (issue 20, part 6).

The engine proposes household links (same home, same surname or a parent in common) for every
agency person it does not score as the child at the review threshold; a record of the child
with a few mistakes can score under it. The cases are a council's: the child's own social-care
record with a letter and a digit wrong, a brother on a plan, twins on the register and off it."""

import datetime as dt

import pytest
from django.core.management import call_command

from notinschool.intake.tests.helpers import export_register
from notinschool.linkage.households import SAME_HOME, households_checked, lookalikes_store
from notinschool.linkage.linking import agency_table, register_table
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import (
    AgencyFactFactory,
    AgencyPersonFactory,
    PersonMatchFactory,
)
from notinschool.people.tests.factories import ChildFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

Kind, State = PersonMatch.Kind, PersonMatch.State
HOME = {"surname": "Hartley", "postcode": "LS6 2AB"}


def _person(record_id: str, forename: str, dob: str, sex: str = "", **extra: str):
    return AgencyPersonFactory.create(record_id=record_id, forename=forename,
                                      date_of_birth=dt.date.fromisoformat(dob), sex=sex,
                                      address_line_1="4 Mill Lane", **HOME | extra)


@pytest.fixture
def family():
    household = HouseholdFactory.create()
    olivia = ChildFactory.create(forename="Olivia", sex="F", date_of_birth=dt.date(2015, 4, 12),
                                 household=household, **HOME)
    lila = ChildFactory.create(forename="Lila", sex="F", date_of_birth=dt.date(2015, 4, 12),
                               household=household, **HOME)  # Olivia's twin, on the register
    people = {
        # Olivia's own record: a letter wrong in the forename, a digit in the date of birth
        "own": _person("S1", "Olivai", "2015-04-13", "F"),
        "brother": _person("S2", "Jack", "2011-09-30", "M"),
        # Lila's own record, linked to her: to Olivia it is a sister's
        "lila": _person("S3", "Lila", "2015-04-12", "F"),
        # a twin brother the register does not hold: same birth date, another forename
        "harry": _person("S4", "Harry", "2015-04-12", "M"),
        # Olivia's record again, as a short form with day and month swapped
        "liv": _person("S5", "Liv", "2015-12-04"),
    }
    PersonMatchFactory.create(child=lila, person=people["lila"], probability=0.999)
    return olivia, lila, people


def _households(olivia, lila, people):
    """What the engine proposes: every person at the home for both girls."""
    return sorted((str(child.pk), str(p.pk), "same_surname")
                  for child in (olivia, lila) for p in people.values())


def test_the_childs_own_records_are_candidates_of_the_child_not_household_members(family):
    olivia, lila, people = family
    kept, lookalikes = households_checked(register_table(None), agency_table(None), [],
                                          _households(olivia, lila, people))
    olivia_home = {p for c, p, _ in kept if c == str(olivia.pk)}
    assert olivia_home == {str(people[k].pk) for k in ("brother", "lila", "harry")}
    assert {(m.child_id, m.person_id) for m in lookalikes} == {
        (olivia.pk, people["own"].pk), (olivia.pk, people["liv"].pk),
        # Olivia's records are at Lila's home with Lila's birth date but another forename:
        # her sister's, not Lila's
    }
    lila_home = {p for c, p, _ in kept if c == str(lila.pk)}
    assert str(people["lila"].pk) not in lila_home, "Lila's own record is not her household's"
    assert {str(people[k].pk) for k in ("brother", "harry", "own", "liv")} <= lila_home
    assert all(m.state == State.PENDING and m.kind == Kind.SAME_PERSON and m.basis == SAME_HOME
               for m in lookalikes)


def test_a_rejected_lookalike_is_a_household_member_and_a_match_this_run_is_not(family):
    olivia, lila, people = family
    PersonMatchFactory.create(child=olivia, person=people["own"], state=State.REJECTED)
    match = type("Match", (), {"left_id": str(olivia.pk), "right_id": str(people["liv"].pk)})
    kept, lookalikes = households_checked(register_table(None), agency_table(None), [match],
                                          _households(olivia, lila, people))
    olivia_home = {p for c, p, _ in kept if c == str(olivia.pk)}
    assert str(people["own"].pk) in olivia_home, "a person said it is not Olivia: a twin, say"
    assert str(people["liv"].pk) not in olivia_home and not lookalikes


def test_stored_lookalikes_wait_for_review_and_old_household_links_of_the_child_go(family):
    olivia, lila, people = family
    stale = PersonMatchFactory.create(child=olivia, person=people["liv"], kind=Kind.HOUSEHOLD,
                                      basis="same_surname")
    PersonMatchFactory.create(child=olivia, person=people["liv"], probability=0.97)
    _, lookalikes = households_checked(register_table(None), agency_table(None), [],
                                       _households(olivia, lila, people))
    changed = lookalikes_store(lookalikes)
    assert olivia.pk in changed
    assert not PersonMatch.objects.filter(pk=stale.pk).exists()
    waiting = PersonMatch.objects.get(child=olivia, person=people["own"])
    assert (waiting.kind, waiting.state, waiting.score_words) == (
        Kind.SAME_PERSON, State.PENDING, "Not scored: at the child's home")
    assert lookalikes_store(lookalikes) == set(), "a second run adds nothing"


def test_the_export_flags_only_other_peoples_records_as_household(as_of, family):
    """Olivia's own child-in-need record waits for review (linked at the same time, by an
    earlier run, as a household member's); her brother's plan is a household flag; her own
    automatic record with a household link to the same person counts once, as hers."""
    olivia, _, people = family
    AgencyFactFactory.create(person=people["own"], indicator="child_in_need", start_date=as_of)
    AgencyFactFactory.create(person=people["brother"], indicator="child_protection_plan",
                             start_date=as_of)
    AgencyFactFactory.create(person=people["liv"], indicator="child_in_need",
                             start_date=as_of - dt.timedelta(days=30))
    PersonMatchFactory.create(child=olivia, person=people["brother"], kind=Kind.HOUSEHOLD)
    PersonMatchFactory.create(child=olivia, person=people["own"], kind=Kind.HOUSEHOLD)
    PersonMatchFactory.create(child=olivia, person=people["own"], state=State.PENDING,
                              basis=SAME_HOME, probability=0.0)
    PersonMatchFactory.create(child=olivia, person=people["liv"], kind=Kind.HOUSEHOLD)
    PersonMatchFactory.create(child=olivia, person=people["liv"])
    call_command("assess")
    rows = {r["forename"]: r for r in export_register()}
    flags = rows["Olivia"]["flags"].split(";")
    assert "household_child_protection_plan" in flags and "child_in_need" in flags
    assert "household_child_in_need" not in flags
    assert "review_match" in rows["Olivia"]["required_actions"].split(";")
    # Lila: her twin sister's plan, linked to Olivia on the register, is her household's
    assert "household_child_in_need" in rows["Lila"]["flags"].split(";")
