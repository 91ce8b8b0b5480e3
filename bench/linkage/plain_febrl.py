"""A tuned plain Splink model for FEBRL-like data, the baseline of ``bench linkage_external``.

Set up as Splink's own FEBRL examples do, on the same converted files our engine imports (so
the same fields: no social security number, no sex):

- columns: first name, surname, date of birth (ISO text), street number (the first word of
  address line 1 when it is a number), street (the rest), postcode;
- comparisons: ``NameComparison`` on first name and on surname, both with term-frequency
  adjustments; ``DateOfBirthComparison``; ``ExactMatch`` on street number with term
  frequencies; ``JaroWinklerAtThresholds`` on the street; ``PostcodeComparison``;
- blocking: first name and surname; date of birth; postcode and street number; surname and
  postcode; first name and postcode; first name and surname exchanged; surname and year of
  birth;
- the prior from deterministic rules (recall 0.8), u by random sampling (up to 1e7 pairs,
  every pair of these small files), m by expectation maximisation on two blocking rules
  (date of birth; first name and surname), each capped at 1e6 pairs.

Pairs at or above :data:`AUTO` count as applied without a person (as ours); those from
:data:`REVIEW` up to AUTO as waiting for review.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pyarrow as pa
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from bench.linkage.plain import linker_for, train_tuned

AUTO = 0.999
REVIEW = 0.80


def _table(path: Path, rows: set[int], id_column: str | None = None) -> pa.Table:
    cols: dict[str, list[str | None]] = {k: [] for k in (
        "unique_id", "first_name", "surname", "dob", "street_number", "street", "postcode")}
    with path.open(encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f), start=2):
            if i not in rows:
                continue
            words = (row.get("address_line_1") or "").split()
            number = words[0] if words and words[0].isdigit() else None
            street = " ".join(words[1:] if number else words) or None
            cols["unique_id"].append(str(i))
            cols["first_name"].append(row["forename"] or None)
            cols["surname"].append(row["surname"] or None)
            cols["dob"].append(row["date_of_birth"] or None)
            cols["street_number"].append(number)
            cols["street"].append(street)
            cols["postcode"].append(row["postcode"] or None)
    return pa.table(cols)


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("postcode", "street_number"),
            block_on("surname", "postcode"),
            block_on("first_name", "postcode"),
            {"blocking_rule": "l.first_name = r.surname AND l.surname = r.first_name"},
            block_on("surname", "substr(dob, 1, 4)"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(register: Path, agency: Path, register_rows: set[int],
        agency_rows: set[int]) -> list[tuple[int, int, float]]:
    """(register row, agency row, probability) of every pair scored at or above REVIEW."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    con, linker = linker_for(_table(register, register_rows), _table(agency, agency_rows),
                             settings())
    train_tuned(linker, record_sample_proportion=1.0)
    predictions = linker.inference.predict(threshold_match_probability=REVIEW)
    rows = con.sql(f"""
        SELECT CASE WHEN source_dataset_l = 'register' THEN unique_id_l ELSE unique_id_r END,
               CASE WHEN source_dataset_l = 'register' THEN unique_id_r ELSE unique_id_l END,
               match_probability
        FROM {predictions.physical_name}
    """).fetchall()  # fmt: skip
    con.close()
    return [(int(r), int(a), float(p)) for r, a, p in rows]
