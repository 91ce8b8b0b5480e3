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


def test_the_combinations_found_in_one_step_give_every_pair_the_level_splink_would() -> None:
    """model.combined_case (through plans' Comparison._case_statement) against Splink's own
    CASE, on every candidate pair of the generator's people (twins, namesakes, slips) and on
    twins, brothers and sisters, and names swapped with the date of birth replaced."""
    from notinschool.linkage.engine import default_model
    from notinschool.linkage.engine.linking import _Workspace
    from notinschool.linkage.engine.model import (
        BLOCKING_RULES,
        REPLACED_BIRTHDAY_LEVEL,
        REPLACED_FORENAME_LEVEL,
    )
    from notinschool.linkage.engine.plans import splink_case

    data = generate(1500, 4000, seed=9)
    rows = data.register.slice(0, 600).to_pylist()

    def varied(i: int, row: dict[str, Any]) -> dict[str, Any]:
        """A twin (another forename), a brother or sister (another birthday), or the names
        swapped with another birthday; with a slip in the surname, the address or the
        postcode, or another sex, by turns."""
        born = row["date_of_birth"]
        dob = born.replace(year=born.year - 3, month=(born.month + 4) % 12 + 1,
                           day=(born.day + 12) % 28 + 1)
        out = {**row, "id": f"varied-{i}"}
        kind = i % 3
        if kind == 0:
            out["forename"] = rows[(i + 7) % len(rows)]["forename"]
        elif kind == 1:
            out["date_of_birth"] = dob
        else:
            out.update(forename=row["surname"], surname=row["forename"], date_of_birth=dob)
        slip = (i // 3) % 5
        if slip == 1 and out["surname"]:
            out["surname"] = out["surname"][:-1] + "x"
        elif slip == 2 and out["address_line_1"]:
            out["address_line_1"] = out["address_line_1"] + "a"
        elif slip == 3 and out["postcode"]:
            out["postcode"] = out["postcode"][:-1] + "Q"
        elif slip == 4:
            out["sex"] = None
        return out

    swapped = pa.Table.from_pylist([varied(i, r) for i, r in enumerate(rows)],
                                   schema=data.agency.schema)
    agency = pa.concat_tables([data.agency, swapped])
    with _Workspace(None) as ws:
        ws.load(data.register, agency)
        _, linker = ws.linker(default_model().settings_for("link_only"))
        columns = [c[0] for c in ws.con.sql("DESCRIBE nin_register").fetchall()]
        both = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in columns)
        # the candidate pairs, and one pair in a hundred of the others
        rules = " OR ".join(f"coalesce({rule}, FALSE)" for rule in BLOCKING_RULES)
        rules += " OR hash(l.unique_id, r.unique_id) % 100 = 0"
        ws.con.execute(f"CREATE TABLE pairs AS SELECT {both} FROM nin_register l "
                       f"JOIN nin_agency r ON {rules}")
        rewritten = 0
        for comparison in linker._settings_obj.comparisons:
            ours = comparison._case_statement.rsplit(" as ", 1)[0]
            splinks = splink_case(comparison).rsplit(" as ", 1)[0]
            if ours == splinks:
                continue
            rewritten += 1
            combinations = sum(lv.label_for_charts in (REPLACED_BIRTHDAY_LEVEL, REPLACED_FORENAME_LEVEL)
                               for lv in comparison.comparison_levels)  # just before "different"
            pairs, differ, combined = ws.con.sql(
                f"SELECT count(*), count(*) FILTER (WHERE ({ours}) IS DISTINCT FROM ({splinks})),"
                f" count(*) FILTER (WHERE ({splinks}) BETWEEN 1 AND {combinations}) FROM pairs"
            ).fetchall()[0]
            assert pairs > 50_000 and combined > 100, comparison.output_column_name
            assert differ == 0, comparison.output_column_name
        assert rewritten == 2  # the forename's and the date of birth's
