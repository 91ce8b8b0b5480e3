"""A run replayed from recorded Splink SQL scores exactly as Splink itself does, whatever the
population (the prior is put back for each run)."""

from typing import Any

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


def test_a_level_condition_is_parsed_once_and_a_bad_one_refused_each_time(monkeypatch) -> None:
    """Building a second linker in the same process does not parse the model's SQL again."""
    import pytest
    import sqlglot
    from splink.internals.comparison_level import ComparisonLevel
    from splink.internals.dialects import SplinkDialect

    parsed: list[str] = []
    parse = sqlglot.parse_one

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(sql)
        return parse(sql, *args, **kwargs)

    monkeypatch.setattr(sqlglot, "parse_one", counting)
    duckdb = SplinkDialect.from_string("duckdb")
    condition = "levenshtein(nin_fn_l, nin_fn_r) <= 7 AND nin_only_in_this_test_l = 1"
    ComparisonLevel(condition, duckdb)
    ComparisonLevel(condition, duckdb)
    assert parsed.count(condition) == 1
    for _ in range(2):
        with pytest.raises(ValueError, match="Error parsing"):
            ComparisonLevel("nin_fn_l = = (", duckdb)
