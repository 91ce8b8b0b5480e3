"""The matching engine: the only place in the project that imports Splink.

Pure Python over Arrow tables, no Django. People arrive without a shared identifier; the
engine scores pairs of records with a Fellegi-Sunter model (Splink on DuckDB) and explains
every match field by field.

- :func:`link_people` register x agency records -> :class:`Match` list
- :func:`dedupe_people` register x register (duplicate notifications of one child)
- :func:`household_pairs` agency people in a register child's household
- :func:`link_people_and_households` both at once (one preparation)
- :func:`blocking_keys`, :func:`keys_version` keys for picking candidates outside the engine
- :func:`default_model`, :func:`train_model`, :class:`ModelSpec` (JSON round trip)
- :data:`AUTO_THRESHOLD` applied without a person, :data:`REVIEW_THRESHOLD` waits for review

Input tables have :data:`PERSON_COLUMNS` (see :mod:`.prepare`).
"""

from .keys import KEY_COLUMNS, blocking_keys, keys_cover_blocking, keys_version
from .linking import (
    STAGES,
    FieldEvidence,
    LinkStats,
    Match,
    dedupe_people,
    household_pairs,
    link_people,
    link_people_and_households,
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
    "KEY_COLUMNS",
    "MIN_TRAINING_RECORDS",
    "PERSON_COLUMNS",
    "REVIEW_THRESHOLD",
    "STAGES",
    "FieldEvidence",
    "LinkStats",
    "Match",
    "ModelSpec",
    "blocking_keys",
    "dedupe_people",
    "default_model",
    "household_pairs",
    "keys_cover_blocking",
    "keys_version",
    "link_people",
    "link_people_and_households",
    "link_people_table",
    "matches_from_table",
    "prior_for",
    "train_model",
]
