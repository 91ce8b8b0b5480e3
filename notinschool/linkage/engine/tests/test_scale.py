"""Matching the same on five rows as on five million (the data contract): a child's own record
at the child's home is as sure among a million people as among ten thousand, while a namesake
elsewhere, likelier among more people, is not linked without a person there."""

from __future__ import annotations

from notinschool.linkage.engine import AUTO_THRESHOLD, link_people
from notinschool.linkage.engine.tests.test_engine import child, people

_REGISTER = people(child("R1", "Amelia", "Okafor", "2016-05-09", parent1_name=None))


def _scores(agency: dict[str, object]) -> dict[int, tuple[float, float]]:
    """population -> (probability, weight) of the one pair."""
    out = {}
    for population in (10_000, 1_000_000, 10_000_000):
        [match] = link_people(_REGISTER, people(agency), population=population, threshold=0.0)
        out[population] = (match.probability, match.weight)
    return out


def test_two_slips_at_the_childs_home_link_at_any_size() -> None:
    # a slip in the surname and one digit of the date of birth wrong: two differences, which
    # the data contract links without a person
    scores = _scores(child("A1", "Amelia", "Okafer", "2016-05-08", parent1_name=None))
    assert all(p >= AUTO_THRESHOLD for p, _ in scores.values())
    weights = {round(w, 3) for _, w in scores.values()}
    assert len(weights) == 1  # the same evidence, whatever the population


def test_a_namesake_elsewhere_needs_a_person_among_many() -> None:
    namesake = child("A2", "Amelia", "Okafor", "2016-05-09", parent1_name=None,
                     postcode="LS6 2AB", address_line_1="4 Cardigan Road")
    scores = _scores(namesake)
    assert scores[10_000][0] >= AUTO_THRESHOLD  # among ten thousand: one child, moved
    assert scores[1_000_000][0] < AUTO_THRESHOLD  # among a million: perhaps another child
    assert scores[10_000_000][1] < scores[1_000_000][1] < scores[10_000][1]
