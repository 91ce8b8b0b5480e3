"""A run replayed from recorded Splink SQL scores exactly as Splink itself does, whatever the
population (the prior is put back for each run)."""

import pyarrow as pa

from notinschool.linkage.engine import household_pairs, link_people_table
from notinschool.linkage.engine.plans import plans_clear
from notinschool.linkage.engine.tests.synthetic import generate


def test_replayed_runs_score_exactly_as_splink_for_any_population() -> None:
    data = generate(300, 1500, seed=3)
    for population in (1500, 250_000, 2_000_000):
        plans_clear()
        through_splink = link_people_table(data.register, data.agency, population=population)
        households_splink = household_pairs(data.register, data.agency, population=population)
        replayed = link_people_table(data.register, data.agency, population=population)
        households_replayed = household_pairs(data.register, data.agency, population=population)
        assert through_splink.num_rows > 100
        assert replayed.equals(through_splink)
        assert households_replayed == households_splink


def test_a_plan_recorded_for_one_population_serves_another() -> None:
    data = generate(200, 1000, seed=4)
    plans_clear()
    link_people_table(data.register, data.agency, population=1000)  # recorded here
    replayed = link_people_table(data.register, data.agency, population=3_000_000)
    plans_clear()
    through_splink = link_people_table(data.register, data.agency, population=3_000_000)
    assert replayed.equals(through_splink)
    assert pa.compute.min(replayed["probability"]).as_py() >= 0.8
