"""truth.json agrees with what the files say, read back through truth.csv's linkage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from notinschool.synth.dates import add_months, add_years

from .conftest import AS_OF
from .test_files import AGENCY_FILES

OPEN = {"ehe", "cme", "not_in_school_other"}
YEAR_AGO = add_months(AS_OF, -12).isoformat()


def _records(authority):
    """person id -> file -> rows about that person."""
    found: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    by_file = defaultdict(list)
    for t in authority.rows("truth.csv"):
        by_file[t["file"]].append(t["person_id"])
    for name, pids in by_file.items():
        for pid, row in zip(pids, authority.rows(name), strict=True):
            found[pid][name].append(row)
    return found


def _current(row):
    return row["start_date"] <= AS_OF.isoformat() and (
        not row["end_date"] or row["end_date"] >= AS_OF.isoformat()
    )


def _consent(deletions, agency_rows):
    for d in deletions:
        if d["deletion_ground"] != "elective_home_education":
            continue
        if d["la_arranged_special_placement"] == "Y":
            return True
        day = d["deletion_date"]
        line = add_years(dt.date.fromisoformat(day), -5).isoformat()
        for r in agency_rows:
            on = r["start_date"] <= day and (not r["end_date"] or r["end_date"] >= day)
            if r["indicator"] in ("child_protection_plan", "section_47_enquiry") and on:
                return True
            if r["indicator"] == "child_protection_plan" and r["end_date"] and line <= r["end_date"] < day:
                return True
    return False


def test_truth_agrees_with_the_files(authority):
    records = _records(authority)
    for child in authority.children():
        if child["expected_status"] not in OPEN:
            continue
        mine = records[child["person_id"]]
        deletions = mine["roll-deletions.csv"]
        admissions = mine["school-admissions.csv"]
        registrations = mine["parent-registrations.csv"]
        seen = [c["contact_date"] for c in mine["contacts.csv"] if c["child_seen"] == "Y"]
        seen += [d["deletion_date"] for d in deletions] + [a["admission_date"] for a in admissions]
        assert (max(seen) if seen else child["joined"]) == child["last_seen_date"], child
        at_school = deletions or admissions or any(r["last_school_urn"] for r in registrations)
        assert (not at_school) == ("never_on_school_roll" in child["flags"]), child
        agency = [r for name in AGENCY_FILES for r in mine[name]]
        for r in agency:
            if r["indicator"] in ("child_protection_plan", "looked_after", "section_47_enquiry"):
                assert _current(r) <= (r["indicator"] in child["flags"]), child
        missed = {r["start_date"] for r in agency if r["indicator"] == "was_not_brought"
                  and r["start_date"] >= YEAR_AGO}  # fmt: skip
        assert (len(missed) >= 2) == ("was_not_brought" in child["flags"]), child
        assert _consent(deletions, agency) == ("consent_required" in child["required_actions"])
