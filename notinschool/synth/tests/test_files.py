"""The files follow the data contract: columns, codes, dates, identifiers."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from notinschool.synth.ids import is_valid_nhs_number, is_valid_upn

from .conftest import AS_OF

# Transcribed from docs/data-contract.md.
CONTRACT = {
    "roll-deletions.csv": [
        "school_urn", "school_name", "school_type", "upn", "forename", "middle_names",
        "surname", "sex", "date_of_birth", "address_line_1", "address_line_2", "town",
        "postcode", "parent1_name", "parent1_phone", "parent2_name", "parent2_phone",
        "deletion_ground", "deletion_date", "destination_school_urn",
        "destination_school_name", "future_address_line_1", "future_postcode",
        "sen_provision", "ethnicity", "la_arranged_special_placement", "notes",
    ],
    "school-admissions.csv": [
        "school_urn", "upn", "forename", "middle_names", "surname", "sex", "date_of_birth",
        "postcode", "admission_date",
    ],
    "parent-registrations.csv": [
        "forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
        "address_line_2", "town", "postcode", "moved_in_date", "previous_address_line_1",
        "previous_postcode", "parent1_name", "parent1_address_line_1", "parent1_postcode",
        "parent1_phone", "parent1_email", "parent1_educates", "parent2_name",
        "parent2_address_line_1", "parent2_postcode", "parent2_phone", "parent2_email",
        "parent2_educates", "hours_parent_per_week", "hours_other_per_week", "providers",
        "reason", "last_school_urn", "date_received",
    ],
    "referrals.csv": [
        "referrer_agency", "referrer_name", "date_received", "forename", "surname",
        "date_of_birth", "address_line_1", "postcode", "concern",
    ],
    "contacts.csv": [
        "forename", "surname", "date_of_birth", "postcode", "contact_date", "method",
        "child_seen", "seen_alone", "outcome", "recorded_by", "notes",
    ],
}  # fmt: skip
AGENCY = [
    "record_id", "forename", "middle_names", "surname", "sex", "date_of_birth",
    "address_line_1", "postcode", "nhs_number", "upn", "parent1_name", "parent2_name",
    "indicator", "start_date", "end_date", "detail",
]  # fmt: skip
SOURCES = ["social_care", "health", "police", "domestic_abuse", "exploitation", "housing"]
AGENCY_FILES = [f"agency-{s}.csv" for s in SOURCES]
INDICATORS = {
    "child_protection_plan", "section_47_enquiry", "child_in_need", "looked_after",
    "was_not_brought", "not_registered_with_gp", "immunisations_incomplete", "health_concern",
    "domestic_abuse_notification", "missing_episode", "exploitation_concern", "police_concern",
    "education_health_care_plan", "sen_support", "temporary_accommodation", "young_carer",
    "parental_mental_health", "parental_substance_misuse",
}  # fmt: skip
GROUNDS = {
    "elective_home_education", "other_school", "moved_away", "failed_to_return_after_leave",
    "continuous_absence_20_days", "other", "permanently_excluded", "medically_unfit",
    "custody", "died", "dual_registration_ended",
}  # fmt: skip
REASONS = {
    "mental_health", "physical_health", "philosophical_or_preferential", "lifestyle",
    "religious", "dissatisfaction_with_school", "dissatisfaction_with_send_provision",
    "bullying", "risk_of_exclusion", "did_not_get_preferred_school", "other", "not_given", "",
}  # fmt: skip
ETHNICITY = {
    "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", "",
}  # fmt: skip
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$")
DATE_COLUMNS = {
    "date_of_birth", "deletion_date", "admission_date", "moved_in_date", "date_received",
    "contact_date", "start_date", "end_date",
}  # fmt: skip
REQUIRED = {
    "roll-deletions.csv": ["school_urn", "forename", "surname", "date_of_birth", "postcode",
                           "deletion_ground", "deletion_date"],
    "school-admissions.csv": ["school_urn", "forename", "surname", "date_of_birth",
                              "admission_date"],
    "parent-registrations.csv": ["forename", "surname", "date_of_birth", "postcode",
                                 "parent1_name", "date_received"],
    "referrals.csv": ["date_received", "surname"],
    "contacts.csv": ["forename", "surname", "date_of_birth", "contact_date", "method", "outcome"],
    **{f: ["record_id", "forename", "surname", "date_of_birth", "indicator", "start_date"]
       for f in AGENCY_FILES},
}  # fmt: skip
ALL_FILES = [*CONTRACT, *AGENCY_FILES]


@pytest.mark.parametrize("name", ALL_FILES)
def test_header_is_the_contracts(authority, name):
    assert authority.header(name) == CONTRACT.get(name, AGENCY)


@pytest.mark.parametrize("name", ALL_FILES)
def test_files_have_rows_and_required_values(authority, name):
    rows = authority.rows(name)
    assert rows
    for row in rows:
        for column in REQUIRED[name]:
            assert row[column], (name, column, row)
        if name == "referrals.csv":
            assert row["date_of_birth"] or row["address_line_1"]


@pytest.mark.parametrize("name", ALL_FILES)
def test_dates_are_iso_and_plausible(authority, name):
    earliest = AS_OF - dt.timedelta(days=19 * 366)
    born = AS_OF - dt.timedelta(days=30 * 366)  # a birth year's last digit can be wrong
    for row in authority.rows(name):
        for column in DATE_COLUMNS & row.keys():
            if not row[column]:
                continue
            day = dt.date.fromisoformat(row[column])
            assert row[column] == day.isoformat()
            low = born if column == "date_of_birth" else earliest
            assert low <= day <= AS_OF, (name, column, row)
        if row.get("end_date"):
            assert row["end_date"] >= row["start_date"]


def test_intake_codes(authority):
    for row in authority.rows("roll-deletions.csv"):
        assert row["deletion_ground"] in GROUNDS
        assert row["school_type"] in {"", "mainstream", "special", "alternative_provision",
                                      "independent"}  # fmt: skip
        assert row["sen_provision"] in {"", "E", "K", "N"}
        assert row["ethnicity"] in ETHNICITY
        assert row["la_arranged_special_placement"] in {"", "Y", "N"}
        assert row["sex"] in {"F", "M", "U", ""}
        assert re.fullmatch(r"[0-9]{6,7}", row["school_urn"])
        assert not row["upn"] or is_valid_upn(row["upn"])
        assert POSTCODE.match(row["postcode"])
        assert bool(row["destination_school_urn"]) == bool(row["destination_school_name"])
    for row in authority.rows("parent-registrations.csv"):
        assert row["reason"] in REASONS
        assert row["parent1_educates"] in {"Y", "N"}
        assert row["parent2_educates"] in {"Y", "N", ""}
        assert POSTCODE.match(row["postcode"])
        for entry in filter(None, row["providers"].split(";")):
            name, kind, hours = entry.split("|")
            assert name and kind and hours.isdigit()
    for row in authority.rows("contacts.csv"):
        assert row["method"] in {"letter", "email", "phone", "home_visit", "other_visit",
                                 "online_meeting"}  # fmt: skip
        assert row["child_seen"] in {"Y", "N"} and row["seen_alone"] in {"Y", "N"}
        assert row["outcome"] in {"engaged", "declined", "no_reply"}


@pytest.mark.parametrize("name", AGENCY_FILES)
def test_agency_codes_and_identity_keys(authority, name):
    keys = set()
    for row in authority.rows(name):
        assert row["indicator"] in INDICATORS
        assert not row["nhs_number"] or is_valid_nhs_number(row["nhs_number"])
        assert not row["upn"] or is_valid_upn(row["upn"])
        assert not row["postcode"] or POSTCODE.match(row["postcode"])
        key = (row["record_id"], row["indicator"], row["start_date"])
        assert key not in keys, key  # the importer's identity of a fact
        keys.add(key)


def test_nhs_numbers_belong_to_one_person(authority):
    owner: dict[str, str] = {}
    truth = {(r["file"], int(r["row"])): r["person_id"] for r in authority.rows("truth.csv")}
    for name in AGENCY_FILES:
        for i, row in enumerate(authority.rows(name), start=2):
            if row["nhs_number"]:
                pid = truth[(name, i)]
                assert owner.setdefault(row["nhs_number"], pid) == pid


def test_postcodes_spread_over_the_authority(authority):
    outcodes = {r["postcode"].split()[0] for r in authority.rows("roll-deletions.csv")}
    assert len({o for o in outcodes if o.startswith("WV")}) >= 8


def test_agency_rows_follow_the_ratio(authority):
    files = authority.summary["files"]
    total = sum(files[f] for f in AGENCY_FILES)
    assert 0.9 * 5 * 2000 <= total <= 1.1 * 5 * 2000
