"""Plain Splink on the benchmark data, for comparison with our engine: tuned, and as its tutorials.

``tuned`` (the default; the baseline issue 20 asks for): set up as Splink's documentation
recommends for person data, on the same columns our engine gets (first name, middle names,
surname, date of birth, sex, postcode, first address line; the benchmark's agency records
carry no NHS numbers):

- comparisons: ``NameComparison`` on first name and on surname, both with term-frequency
  adjustments (a common name counts for less than a rare one); ``DateOfBirthComparison``;
  ``PostcodeComparison``; ``JaroWinklerAtThresholds`` on the first address line;
  ``ExactMatch`` on sex and on middle names;
- blocking: rules whose pair counts were checked first to stay small on dense
  data (a register against a whole population): first name and date of birth; surname and
  date of birth; postcode with first name; postcode with surname; first name, surname and
  year of birth (3.4 million pairs at 200,000 x 3,000,000, where first name and surname
  alone make 32 million);
- training: the prior from deterministic rules (recall 0.8), u by random sampling of 1e7
  pairs, m by expectation maximisation on two blocking rules (date of birth; first name and
  surname), each capped at 1e6 pairs, so memory stays flat;
- predict at :data:`THRESHOLD`; the pairs are taken as scored (no clustering).

``tutorial``: as the Splink tutorials do, no cleaning beyond renaming; ``NameComparison``,
``DateOfBirthComparison``, ``PostcodeComparison``, ``ExactMatch`` on sex; blocking on first
name and surname, surname and date of birth, first name and date of birth, postcode and first
name; prior from deterministic rules (recall 0.7), u by random sampling (1e6 pairs), m by EM
on first name and surname and on date of birth (not capped); connected components at the
same threshold. (The default-style model: F1 0.035 at 100,000 x 1,000,000.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.80
_RENAME = {"id": "unique_id", "forename": "first_name", "surname": "surname",
           "date_of_birth": "dob", "postcode": "postcode", "sex": "sex"}  # fmt: skip


_TUNED_RENAME = {**_RENAME, "middle_names": "middle_names", "address_line_1": "address"}


def _input(table: pa.Table, rename: dict[str, str] = _RENAME) -> pa.Table:
    return table.select(list(rename)).rename_columns(list(rename.values()))


def tuned_settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.PostcodeComparison("postcode"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("middle_names"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "dob"),
            block_on("surname", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("first_name", "surname", "year(dob)"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run_tuned(
    register: pa.Table,
    agency: pa.Table,
    stage: Callable[[str], None],
    check_pairs: pa.Table | None = None,
) -> tuple[pa.Table, dict[str, int]]:
    """The tuned model (module docstring): (left_id, right_id, probability) at or above
    THRESHOLD and counts. ``stage`` is called as each stage starts."""
    stage("prepare")
    con, linker = linker_for(register, agency, tuned_settings(), _TUNED_RENAME)
    stage("training")
    train_tuned(linker)
    return _predict(con, linker, stage, check_pairs, tutorial=False)


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
    con, linker = linker_for(register, agency, settings(), _RENAME)
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
    return _predict(con, linker, stage, check_pairs, tutorial=True)


def train_tuned(linker: Linker, **em: Any) -> None:
    """The tuned training (module docstring): the prior from deterministic rules (recall 0.8),
    u from 1e7 random pairs, m by EM on date of birth and on names, each capped at 1e6 pairs;
    ``em`` passes further options to each EM run."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"),
         "l.first_name = r.first_name AND l.dob = r.dob AND levenshtein(l.surname, r.surname) <= 2",
         "l.surname = r.surname AND l.dob = r.dob AND levenshtein(l.first_name, r.first_name) <= 2"],
        recall=0.8,
    )  # fmt: skip
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in (block_on("dob"), block_on("first_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=1e6, **em)


def linker_for(register: pa.Table, agency: pa.Table, settings: SettingsCreator,
               rename: dict[str, str] | None = None) -> tuple[duckdb.DuckDBPyConnection, Linker]:
    """A Splink linker of the register against the agency records on a DuckDB connection of
    its own (no extensions fetched, no progress bar); the tables renamed by ``rename``, or
    taken as they are."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    con.execute("SET enable_progress_bar = false")
    db_api = DuckDBAPI(con)
    tables = [t if rename is None else _input(t, rename) for t in (register, agency)]
    reg = db_api.register(tables[0], dataset_display_name="register")
    ag = db_api.register(tables[1], dataset_display_name="agency")
    return con, Linker([reg, ag], settings, log_level=None)


def _predict(con: duckdb.DuckDBPyConnection, linker: Linker, stage: Callable[[str], None],
             check_pairs: pa.Table | None, *, tutorial: bool) -> tuple[pa.Table, dict[str, int]]:
    """Blocking, the check of the known pairs and scoring at THRESHOLD: the scored pairs as
    (left_id, right_id, probability). As the tutorials do (``tutorial``), predict blocks again
    and connected components are made at THRESHOLD; the tuned run scores the pairs counted."""
    stage("blocking")
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    counts = {"blocked_pairs": _count(con, blocked.physical_name)}
    if check_pairs is not None:
        stage("check")
        counts |= _check(con, blocked.physical_name, check_pairs)
    stage("scoring")
    if not tutorial:
        linker.table_management.register_blocked_pairs_for_predict(blocked)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    stage("selection")
    if tutorial:
        found = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
        counts["clusters"] = _count(con, found.physical_name)
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
