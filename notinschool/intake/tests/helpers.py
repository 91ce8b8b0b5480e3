"""Building intake files and running the `import` and `export` commands in-process."""

import contextlib
import csv
import io
from pathlib import Path
from typing import Any

from django.core.management import call_command

DELETION_HEADER = ["school_urn", "school_type", "upn", "forename", "middle_names", "surname", "sex",
                   "date_of_birth", "address_line_1", "town", "postcode", "parent1_name",
                   "deletion_ground", "deletion_date", "destination_school_urn",
                   "sen_provision", "la_arranged_special_placement"]


def deletion(forename: str = "Alexander", surname: str = "Smith-Jones", dob: str = "2015-03-05",
             ground: str = "elective_home_education", on: str = "2026-10-01", **kw: str) -> list[str]:
    values = {"school_urn": "123456", "school_type": "mainstream", "upn": "", "forename": forename,
              "middle_names": "", "surname": surname, "sex": "M", "date_of_birth": dob,
              "address_line_1": "1 Mill Road", "town": "Leeds", "postcode": "LS6 1AB",
              "parent1_name": "Sarah Smith", "deletion_ground": ground, "deletion_date": on,
              "destination_school_urn": "", "sen_provision": "N",
              "la_arranged_special_placement": ""} | kw
    return [values[c] for c in DELETION_HEADER]


def run_import(kind: str, path: Path, *extra: str, **options: Any) -> tuple[int, str, str]:
    """Run `notinschool import`; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err):
        try:
            call_command("import", kind, str(path), *extra, stdout=out, **options)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def export_register(*extra: str) -> list[dict[str, str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "register", *extra)
    return list(csv.DictReader(io.StringIO(out.getvalue())))

