"""Plain Splink, set up the way its tutorials do, for comparison with our engine.

Columns renamed to the tutorials' names, no cleaning beyond that; comparisons from
``splink.comparison_library`` (NameComparison, DateOfBirthComparison, PostcodeComparison,
ExactMatch); typical blocking rules; the prior from deterministic rules, u by random
sampling, m by expectation maximisation on two blocking rules; predict, then connected
components clustering at the same threshold.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.80
_RENAME = {"id": "unique_id", "forename": "first_name", "surname": "surname",
           "date_of_birth": "dob", "postcode": "postcode", "sex": "sex"}  # fmt: skip


def _input(table: pa.Table) -> pa.Table:
    return table.select(list(_RENAME)).rename_columns(list(_RENAME.values()))


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(
    register: pa.Table,
    agency: pa.Table,
    stage: Callable[[str], None],
    check_pairs: pa.Table | None = None,
) -> tuple[pa.Table, dict[str, int]]:
    """Link ``register`` to ``agency``; returns (left_id, right_id, probability) at or above
    THRESHOLD and counts. ``stage`` is called as each stage starts."""
    stage("prepare")
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    con.execute("SET enable_progress_bar = false")
    db_api = DuckDBAPI(con)
    reg = db_api.register(_input(register), dataset_display_name="register")
    ag = db_api.register(_input(agency), dataset_display_name="agency")
    linker = Linker([reg, ag], settings(), log_level=None)
    stage("training")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"),
         "l.first_name = r.first_name AND levenshtein(r.surname, l.surname) <= 2"],
        recall=0.7,
    )  # fmt: skip
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    stage("blocking")
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    counts = {"blocked_pairs": _count(con, blocked.physical_name)}
    if check_pairs is not None:
        stage("check")
        counts |= _check(con, blocked.physical_name, check_pairs)
    stage("scoring")
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    stage("selection")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, THRESHOLD
    )
    counts["clusters"] = _count(con, clusters.physical_name)
    pairs = con.sql(f"""
        SELECT CASE WHEN source_dataset_l = 'register' THEN unique_id_l ELSE unique_id_r END
                   AS left_id,
               CASE WHEN source_dataset_l = 'register' THEN unique_id_r ELSE unique_id_l END
                   AS right_id,
               match_probability AS probability
        FROM {predictions.physical_name}
    """).to_arrow_table()  # fmt: skip
    counts["scored_pairs"] = pairs.num_rows
    con.close()
    return pairs, counts


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _check(con: duckdb.DuckDBPyConnection, blocked: str, pairs: pa.Table) -> dict[str, int]:
    con.register("check_pairs", pairs.select([0, 1]).rename_columns(["l", "r"]))
    rows = con.execute(f"""
        WITH c AS (SELECT DISTINCT 'register-__-' || l AS kreg, 'agency-__-' || r AS kag
                   FROM check_pairs)
        SELECT count(*),
               count(*) FILTER (WHERE a.join_key_l IS NOT NULL OR b.join_key_l IS NOT NULL)
        FROM c
        LEFT JOIN {blocked} AS a ON a.join_key_l = c.kreg AND a.join_key_r = c.kag
        LEFT JOIN {blocked} AS b ON b.join_key_l = c.kag AND b.join_key_r = c.kreg
    """).fetchall()
    con.unregister("check_pairs")
    return {"checked_pairs": int(rows[0][0]), "checked_pairs_blocked": int(rows[0][1])}
