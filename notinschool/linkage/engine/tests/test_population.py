"""The replaced-field levels, weighed by what the register says about twins
(engine.model.model_for_population): a forename replaced links where the register has no
twins, and never where it has them."""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa

from notinschool.linkage.engine import AUTO_THRESHOLD, REVIEW_THRESHOLD, link_people
from notinschool.linkage.engine.model import (
    REPLACED_BIRTHDAY_LEVEL,
    REPLACED_FORENAME_LEVEL,
    ModelSpec,
    PopulationCounts,
    default_model,
    model_for_population,
    population_counts,
    replaced_odds,
)
from notinschool.linkage.engine.tests.test_engine import child, people


def _strangers(n: int) -> list[dict[str, object]]:
    """``n`` register children, no two of one family."""
    return [child(f"S{i}", "Child", f"Stranger{i:05d}", "2015-01-01",
                  postcode=f"WV{i % 9 + 1} {i % 10}AB", address_line_1=f"{i} High Street")
            for i in range(n)]  # fmt: skip


def test_counts_find_twins_and_same_named_siblings() -> None:
    register = people(
        child("R1", "Amelia", "Okafor", "2016-05-09"),
        child("R2", "Grace", "okafor ", "2016-05-09", postcode="wv34yw"),
        child("R3", "Amelia", "Okafor", "2012-01-02"),
        child("R4", "Noah", "Patel", "2013-06-30", postcode="WV1 2CD"),
        child("R5", "Noah", "Patel", "2013-06-30", postcode=None),
    )
    assert population_counts(register) == PopulationCounts(4, 2, 2)


def test_a_forename_replaced_links_only_where_the_register_has_no_twins() -> None:
    register = people(child("R1", "Isabella", "Okafor", "2016-05-09"))
    agency = people(child("A1", "Jack", "Okafor", "2016-05-09"))
    # The shipped default: another forename is another child.
    assert link_people(register, agency) == []
    # A register of 1,000 children without twins: the same child, forename replaced.
    alone = model_for_population(PopulationCounts(1000, 0, 0))
    [match] = link_people(register, agency, model=alone, population=1_000_000)
    assert match.probability >= AUTO_THRESHOLD
    assert {e.field: e.label for e in match.evidence}["forename"] == REPLACED_FORENAME_LEVEL
    # The same pair where one child in twenty on the register is a twin: another child.
    twins = model_for_population(PopulationCounts(1000, 50, 0))
    assert link_people(register, agency, model=twins, population=1_000_000) == []
    # Few records: the default share of twins still holds, and nothing applies by itself.
    few = model_for_population(PopulationCounts(5, 0, 0))
    assert all(m.probability < AUTO_THRESHOLD
               for m in link_people(register, agency, model=few))  # fmt: skip


def test_the_odds_do_not_depend_on_how_many_people_are_linked() -> None:
    register = people(child("R1", "Isabella", "Okafor", "2016-05-09"))
    agency = people(child("A1", "Jack", "Okafor", "2016-05-09"))
    counts = PopulationCounts(300, 0, 0)
    model = model_for_population(counts)
    odds = replaced_odds(counts)[REPLACED_FORENAME_LEVEL]
    weights = set()
    for population in (10, 100_000, 10_000_000):
        [match] = link_people(register, agency, model=model, population=population,
                              threshold=0.5)  # fmt: skip
        weights.add(round(match.weight, 6))
        evidence = {e.field: e.weight for e in match.evidence}
        # the odds of the level (sex and a parent in common at the home are weighed
        # against: twins share them), and what the other fields add
        rest = evidence["middle_names"] + evidence["identifiers"]
        assert abs(match.weight - rest - math.log2(odds)) < 0.06  # kept to a tenth of a bit
    assert len(weights) == 1


def test_a_birthday_replaced_against_brothers_and_sisters_of_one_forename() -> None:
    register = people(child("R1", "Amelia", "Okafor", "2016-05-09"))
    agency = people(child("A1", "Amelia", "Okafor", "2011-12-30"))
    alone = model_for_population(PopulationCounts(2000, 0, 0))
    [match] = link_people(register, agency, model=alone)
    assert match.probability >= AUTO_THRESHOLD
    assert {e.field: e.label for e in match.evidence}["date_of_birth"] == REPLACED_BIRTHDAY_LEVEL
    siblings = model_for_population(PopulationCounts(2000, 0, 20))
    assert all(m.probability < REVIEW_THRESHOLD
               for m in link_people(register, agency, model=siblings, threshold=0.0))  # fmt: skip


def test_twins_on_a_register_with_twins_keep_their_own_records() -> None:
    register = people(
        child("R1", "Amelia", "Okafor", "2016-05-09"),
        child("R2", "Grace", "Okafor", "2016-05-09"),
        *_strangers(40),
    )
    agency = people(
        child("A1", "Amelia", "Okafor", "2016-05-09"),
        child("A2", "Grace", "Okafor", "2016-05-09"),
    )
    model = model_for_population(population_counts(register))
    matches = link_people(register, agency, model=model)
    assert {(m.left_id, m.right_id) for m in matches} == {("R1", "A1"), ("R2", "A2")}


def test_the_counts_are_kept_with_the_model() -> None:
    model = model_for_population(PopulationCounts(466, 0, 3))
    again = ModelSpec.from_json(model.to_json())
    odds = replaced_odds(PopulationCounts(466, 0, 3))
    assert again == model and again.population == {
        kind: round(math.log2(value), 1) for kind, value in odds.items()}
    # A register a little larger keeps the same model (and the SQL recorded for it).
    assert model_for_population(PopulationCounts(467, 0, 3)) == model
    assert ModelSpec.from_json(default_model().to_json()).population is None
    assert pa is not None and dt is not None
