"""The matching engine: the only place in the project that imports Splink.

Pure Python over Arrow tables, no Django. People arrive without a shared identifier; the
engine scores pairs of records with a Fellegi-Sunter model (Splink on DuckDB) and explains
every match field by field.

- :func:`link_people` register x agency records -> :class:`Match` list
- :func:`dedupe_people` register x register (duplicate notifications of one child)
- :func:`household_pairs` agency people in a register child's household
- :func:`default_model`, :func:`train_model`, :class:`ModelSpec` (JSON round trip)
- :data:`AUTO_THRESHOLD` applied without a person, :data:`REVIEW_THRESHOLD` waits for review

Input tables have :data:`PERSON_COLUMNS` (see :mod:`.prepare`).
"""

from .linking import (
    STAGES,
    FieldEvidence,
    LinkStats,
    Match,
    dedupe_people,
    household_pairs,
    link_people,
    link_people_table,
    matches_from_table,
)
from .model import (
    AUTO_THRESHOLD,
    DEFAULT_PRIOR,
    MIN_TRAINING_RECORDS,
    REVIEW_THRESHOLD,
    ModelSpec,
    default_model,
    prior_for,
    train_model,
)
from .prepare import PERSON_COLUMNS

__all__ = [
    "AUTO_THRESHOLD",
    "DEFAULT_PRIOR",
    "MIN_TRAINING_RECORDS",
    "PERSON_COLUMNS",
    "REVIEW_THRESHOLD",
    "STAGES",
    "FieldEvidence",
    "LinkStats",
    "Match",
    "ModelSpec",
    "dedupe_people",
    "default_model",
    "household_pairs",
    "link_people",
    "link_people_table",
    "matches_from_table",
    "prior_for",
    "train_model",
]
