"""Recognising one child notified twice, and never merging twins or siblings."""

import datetime as dt

import pytest

from notinschool.people.matching import Candidate, ChildIndex


def child(key: str, forename: str, surname: str, dob: str | None, postcode: str = "WV1 7EG",
          middle: str = "", fresh: bool = False) -> Candidate:
    return Candidate(key=key, forename=forename, middle_names=middle, surname=surname,
                     date_of_birth=dt.date.fromisoformat(dob) if dob else None, postcode=postcode,
                     fresh=fresh)


@pytest.fixture
def index() -> ChildIndex:
    register = ChildIndex()
    register.extend([
        child("harrison", "Harrison", "Evans", "2014-02-13", middle="Archie"),
        child("ivy", "Ivy", "Hughes", "2015-04-21", "WV2 4GE"),
        child("mason", "Mason", "Brown", "2016-08-21", "WV6 1HH"),
        child("zainab", "Zainab", "Shah", "2015-03-07", "WV12 9JA"),
        child("bethany", "Bethany", "Phillips", "2019-03-28", "WV13 9YX", middle="Ruby"),
        child("kieran", "Kieran", "Price", "2013-08-11", "WV10 0HT"),
        child("alfred", "Alfred", "Walker", "2016-08-29", "WV11 1LX", middle="Tyler"),
        child("tunde", "Tunde", "Okafor", "2015-04-03", "WV14 6SU", middle="Joshua"),
    ])
    return register


@pytest.mark.parametrize(("probe", "expected", "evidence"), [
    (child("?", "Iyv", "Hughes", "2015-04-21", "WV2 4GE"), "ivy", "forename with two letters transposed"),
    (child("?", "Zainab", "Shh", "2015-03-07", "WV12 9JA"), "zainab", "surname differs by one letter"),
    (child("?", "Btown", "Mason", "2016-08-21", "WV6 1HH"), "mason",
     "forename and surname swapped, one with a letter wrong"),
    (child("?", "Bethany", "Phillips", "2020-03-28", "WV13 9YX"), "bethany", "year of birth one out"),
    (child("?", "Kieran", "Prie", None, "WV10 0HT"), "kieran", "date of birth not known on one side"),
    (child("?", "Alfie", "Walker", "2015-08-29", "WV11 1LX"), "alfred", "forename is a known short form"),
])
def test_a_child_notified_again_with_one_mistake_is_recognised(index, probe, expected, evidence):
    decision = index.find(probe)
    assert decision is not None and decision.key == expected
    assert evidence in decision.evidence


@pytest.mark.parametrize("probe", [
    child("?", "Bethany", "Phillips", "2020-03-28", "WV1 1AA"),   # year out, and another postcode
    child("?", "Btown", "Mason", "2016-08-21", "WV1 1AA"),        # swapped with a typo, elsewhere
    child("?", "Kieran", "Prie", None, "WV1 1AA"),                 # no date of birth, elsewhere
    child("?", "Kieran", "Price", None, "WV1 1AA"),                # the exact name is not enough
    child("?", "Evie", "Evans", "2014-02-13"),                     # a sister: same everything else
])
def test_weak_evidence_matches_nobody(index, probe):
    assert index.find(probe) is None


def test_twins_in_one_file_stay_two_children(index):
    """A school deleting Tunde Joshua and his twin Joshua in one file means two pupils."""
    twin = child("new-tunde", "Tunde", "Okafor", "2015-04-03", "WV14 6SU", middle="Joshua", fresh=True)
    fresh = ChildIndex()
    fresh.add(twin)
    assert fresh.find(child("?", "Joshua", "Okafor", "2015-04-03", "WV14 6SU")) is None
    same = fresh.find(child("?", "Tunde", "Okafor", "2015-04-03", "WV14 6SU"))
    assert same is not None and same.key == "new-tunde"


def test_a_child_known_by_the_middle_name_matches_across_files(index):
    decision = index.find(child("?", "Joshua", "Okafor", "2015-04-03", "WV14 6SU"))
    assert decision is not None and decision.key == "tunde"
    assert "forename is a middle name on the register" in decision.evidence
