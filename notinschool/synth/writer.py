"""The output files: the contract's columns, one csv writer each, rows counted as written.

Row numbers count the header as row 1, as the importer's error messages do. Every data row
is also written to `truth.csv` with the person it is about and the differences it carries.
"""

from __future__ import annotations

import csv
import io
import pathlib
import re
from typing import IO

_SPECIAL = re.compile(r'["\r\n]')

INTAKE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roll-deletions": (
        "school_urn", "school_name", "school_type", "upn", "forename", "middle_names",
        "surname", "sex", "date_of_birth", "address_line_1", "address_line_2", "town",
        "postcode", "parent1_name", "parent1_phone", "parent2_name", "parent2_phone",
        "deletion_ground", "deletion_date", "destination_school_urn",
        "destination_school_name", "future_address_line_1", "future_postcode",
        "sen_provision", "ethnicity", "la_arranged_special_placement", "notes",
    ),
    "school-admissions": (
        "school_urn", "upn", "forename", "middle_names", "surname", "sex", "date_of_birth",
        "postcode", "admission_date",
    ),
    "parent-registrations": (
        "forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
        "address_line_2", "town", "postcode", "moved_in_date", "previous_address_line_1",
        "previous_postcode", "parent1_name", "parent1_address_line_1", "parent1_postcode",
        "parent1_phone", "parent1_email", "parent1_educates", "parent2_name",
        "parent2_address_line_1", "parent2_postcode", "parent2_phone", "parent2_email",
        "parent2_educates", "hours_parent_per_week", "hours_other_per_week", "providers",
        "reason", "last_school_urn", "date_received",
    ),
    "referrals": (
        "referrer_agency", "referrer_name", "date_received", "forename", "surname",
        "date_of_birth", "address_line_1", "postcode", "concern",
    ),
    "contacts": (
        "forename", "surname", "date_of_birth", "postcode", "contact_date", "method",
        "child_seen", "seen_alone", "outcome", "recorded_by", "notes",
    ),
}  # fmt: skip
AGENCY_COLUMNS: tuple[str, ...] = (
    "record_id", "forename", "middle_names", "surname", "sex", "date_of_birth",
    "address_line_1", "postcode", "nhs_number", "upn", "parent1_name", "parent2_name",
    "indicator", "start_date", "end_date", "detail",
)  # fmt: skip
SOURCES: tuple[str, ...] = (
    "social_care", "health", "police", "domestic_abuse", "exploitation", "housing",
)  # fmt: skip
TRUTH_COLUMNS = ("file", "row", "person_id", "noise")


def file_name(key: str) -> str:
    return f"{key}.csv"


def all_keys() -> list[str]:
    return [*INTAKE_COLUMNS, *(f"agency-{s}" for s in SOURCES)]


def columns(key: str) -> tuple[str, ...]:
    return INTAKE_COLUMNS.get(key, AGENCY_COLUMNS)


class Outputs:
    """Open files for every kind plus truth.csv; use as a context manager.

    Rows without commas, quotes or line breaks are joined directly (what csv would write);
    the rest go through csv's quoting. Either way the bytes are csv.writer's. Lines are
    buffered and written in blocks."""

    BLOCK = 4096

    def __init__(self, out: pathlib.Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.files: dict[str, IO[str]] = {}
        self.buffers: dict[str, list[str]] = {}
        for key in [*all_keys(), "truth"]:
            header = TRUTH_COLUMNS if key == "truth" else columns(key)
            self.files[key] = open(out / f"{key}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.buffers[key] = [_quoted(list(header))]
        self.rows = dict.fromkeys(all_keys(), 1)
        self.truth_rows = 0
        self.agency_rows = 0

    def write(self, key: str, row: list[str], pid: str, noise: str = "") -> int:
        """Write one data row; returns its row number (header is row 1)."""
        line = ",".join(row)
        if line.count(",") != len(row) - 1 or _SPECIAL.search(line):
            line = _quoted(row)[:-1]
        buf = self.buffers[key]
        buf.append(line + "\n")
        n = self.rows[key] + 1
        self.rows[key] = n
        truth = self.buffers["truth"]
        truth.append(f"{key}.csv,{n},{pid},{noise}\n")
        self.truth_rows += 1
        if len(truth) >= self.BLOCK:
            self.flush()
        return n

    def flush(self) -> None:
        for key, buf in self.buffers.items():
            if buf:
                self.files[key].write("".join(buf))
                buf.clear()

    def counts(self) -> dict[str, int]:
        return {file_name(k): n - 1 for k, n in self.rows.items()}

    def close(self) -> None:
        self.flush()
        for f in self.files.values():
            f.close()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _quoted(row: list[str]) -> str:
    """One row as csv.writer writes it (minimal quoting, `\\n` line end)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue()
