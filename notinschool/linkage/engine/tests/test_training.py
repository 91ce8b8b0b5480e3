"""Training the model on the data in hand: what the address comparison's m learns.

The data is built here: register children, their own agency records (at home, or far away
after a move) and many other people in the same few postcode districts, so that no child's
own record is ever in the same district at another postcode."""

from __future__ import annotations

import copy
import datetime as dt
import random

import pyarrow as pa
import pytest

from notinschool.linkage.engine import PERSON_COLUMNS, default_model, train_model
from notinschool.linkage.engine.model import M_PRIOR_PAIRS, EMGroup, learn_m, merge_random_pair_u

FORENAMES = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Grace", "Ella",
             "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry",
             "Theo", "Jack", "Charlie", "Alfie", "Jacob", "Thomas", "Finley", "Isaac", "Ethan",
             "Rosie", "Evie", "Sophia", "Poppy", "Daisy", "Alice", "Phoebe", "Ruby", "Layla",
             "Maya", "Zara", "Aisha"]  # fmt: skip
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
            "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Hill",
            "Moore", "Lewis", "Harris", "Martin", "Cooper", "Ward", "Morris", "King", "Baker",
            "Nowak", "Okafor", "Ahmed", "Kowalski", "Begum", "Singh", "Murphy", "Kelly",
            "Turner", "Parker", "Collins", "Bell", "Cook", "Price", "Bennett", "Gray"]  # fmt: skip
STREETS = ["Station Road", "Church Lane", "Oak Close", "Mill Street", "Park Avenue",
           "Victoria Road", "Silver Crescent", "Abbey Grove", "Queens Drive", "Elm Way"]  # fmt: skip
DISTRICTS = ["WV1", "WV2", "WV3"]


def _home(rng: random.Random, district: str) -> tuple[str, str]:
    postcode = f"{district} {rng.randint(1, 3)}{rng.choice('ABD')}{rng.choice('EFG')}"
    return postcode, f"{rng.randint(1, 60)} {rng.choice(STREETS)}"


def _person(rng: random.Random, id: str) -> dict[str, object]:
    postcode, line = _home(rng, rng.choice(DISTRICTS))
    return {"id": id, "forename": rng.choice(FORENAMES), "surname": rng.choice(SURNAMES),
            "sex": rng.choice("FM"), "postcode": postcode, "address_line_1": line,
            "date_of_birth": dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3650))}  # fmt: skip


def _table(rows: list[dict[str, object]]) -> pa.Table:
    return pa.table({
        c: pa.array([r.get(c) for r in rows], pa.date32() if c == "date_of_birth" else pa.string())
        for c in PERSON_COLUMNS
    })  # fmt: skip


@pytest.fixture(scope="module")
def dense() -> tuple[pa.Table, pa.Table, int]:
    """1,500 register children; 1,000 of them with one or two records of their own in an
    agency file (nine in ten at home, the rest after a move out of the three districts), and
    20,000 other people in the same three districts."""
    rng = random.Random(20)
    register = [_person(rng, f"R{i}") for i in range(1500)]
    agency: list[dict[str, object]] = []
    for child in register[:1000]:
        for _ in range(rng.choice((1, 2))):
            record = dict(child, id=f"A{len(agency)}")
            if rng.random() < 0.1:
                record["postcode"], record["address_line_1"] = _home(rng, "B15")
            agency.append(record)
    true_pairs = len(agency)
    agency += [_person(rng, f"P{i}") for i in range(20_000)]
    return _table(register), _table(agency), true_pairs


def test_address_levels_no_true_pair_takes_lose_their_weight(
    dense: tuple[pa.Table, pa.Table, int],
) -> None:
    register, agency, _ = dense
    default = default_model().level_weights()["address"]
    model = train_model(register, agency, min_records=1000, max_u_pairs=5e5)
    assert model.trained
    learned = model.level_weights()["address"]
    # No child's own record is in the same district, sector or street at another postcode:
    # by default those count for a match (+0.4 to +4.9 bits); learned, they count against.
    for level in ("same postcode district", "same postcode sector", "same street"):
        assert default[level] > 0
        assert learned[level] < -2
    # A child's own record at home counts for more than by default; one after a move (one
    # in ten) still counts against, but less than a district in common does now.
    assert learned["same address"] > default["same address"]
    assert learned["same postcode district"] < learned["different"] < 0


def test_the_prior_is_learned_from_the_matches_found(
    dense: tuple[pa.Table, pa.Table, int],
) -> None:
    register, agency, true_pairs = dense
    model = train_model(register, agency, min_records=1000, max_u_pairs=5e5)
    prior = model.settings["probability_two_random_records_match"]
    per_pair = true_pairs / (register.num_rows * agency.num_rows)
    assert 0.75 * per_pair < prior < 1.33 * per_pair
    # Without it, the shipped prior: one in 10,000, far above what the data says here.
    kept = train_model(register, agency, min_records=1000, max_u_pairs=5e5, learn_prior=False)
    assert kept.settings["probability_two_random_records_match"] == 1e-4


def _groups(matches_at: dict[int, int], others_at: dict[int, int]) -> list[EMGroup]:
    """Pairs whose other fields say match (+20 bits) or not (-20), at address levels."""
    return [*(EMGroup(0, (lv,), 20.0, n) for lv, n in matches_at.items()),
            *(EMGroup(0, (lv,), -20.0, n) for lv, n in others_at.items())]  # fmt: skip


def test_learned_m_follows_the_matches_and_keeps_the_default_on_few() -> None:
    # Three levels: 2 same address, 1 same district, 0 different.
    m0 = [{2: 0.6, 1: 0.2, 0: 0.2}]
    u = [{2: 0.001, 1: 0.1, 0: 0.899}]
    many = learn_m(_groups({2: 900, 0: 100}, {1: 5000, 0: 40000}), m0, u, 1)
    assert many.m[0][1] < 0.2 * M_PRIOR_PAIRS / 1000
    assert many.m[0][2] == pytest.approx(0.9, abs=0.02)
    assert many.matches[0] == pytest.approx(1000, rel=0.01)
    few = learn_m(_groups({2: 3}, {1: 50, 0: 400}), m0, u, 1)
    assert few.m[0][1] > 0.15


def test_a_level_split_in_two_or_shared_by_two_comparisons_is_trained_as_one() -> None:
    """u from random pairs as Splink reports them (its model JSON), merged into the model."""
    base = default_model()
    random_pairs = copy.deepcopy(base.settings)
    levels = {c["output_column_name"]: c["comparison_levels"] for c in random_pairs["comparisons"]}
    # Another date of birth is one level in three parts: most random pairs take the first,
    # few the others (behind the replaced-field levels' cheap tests).
    parts = [lv for lv in levels["date_of_birth"] if lv["label_for_charts"] == "different"]
    for lv, u in zip(parts, (0.9927, 0.0015, 0.0005), strict=True):
        lv["u_probability"] = u
    # Forename and surname swapped is one event in two comparisons: random pairs see it once.
    for name in ("forename", "surname"):
        swapped = next(lv for lv in levels[name]
                       if lv["label_for_charts"] == "forename/surname swapped")  # fmt: skip
        swapped["u_probability"] = 2e-6
    model = merge_random_pair_u(base, random_pairs)
    merged = {c["output_column_name"]: c["comparison_levels"] for c in model.settings["comparisons"]}
    # Every part of "different" counts as strongly against as the whole level (alone, the
    # second, 0.0015 against m 0.001, would count less than one bit against).
    different = [lv for lv in merged["date_of_birth"] if lv["label_for_charts"] == "different"]
    assert [lv["u_probability"] for lv in different] == [pytest.approx(0.9947)] * 3
    assert all(lv["m_probability"] / lv["u_probability"] < 2**-9 for lv in different)
    # The swapped names keep the default weights, not +11 bits in each of two comparisons.
    default = base.level_weights()
    for name in ("forename", "surname"):
        assert model.level_weights()[name]["forename/surname swapped"] == pytest.approx(
            default[name]["forename/surname swapped"])
