"""`export dfe-return`: the termly return's figures from files imported out of order."""

import contextlib
import csv
import io

import pytest
from django.core.management import call_command

from notinschool.audit.models import AuditEvent
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import

pytestmark = pytest.mark.django_db

ADMISSION_HEADER = ["school_urn", "forename", "surname", "date_of_birth", "postcode", "admission_date"]
REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]
AGENCY_HEADER = ["record_id", "forename", "surname", "date_of_birth", "address_line_1", "postcode",
                 "indicator", "start_date", "end_date"]


def dfe_return(census: str) -> dict[tuple[str, str, str, str], int]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "dfe-return", "--census-date", census)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ["section", "measure", "breakdown", "value", "count"]
    return {(r["section"], r["measure"], r["breakdown"], r["value"]): int(r["count"]) for r in rows}


@pytest.fixture
def authority(as_of, write_csv):
    """Amira: home educated since October (year 7, on a child protection plan).
    Ben: home educated since June, back at school in November.
    Cara: missing education since 10 September after 20 days' absence.
    Dan: three years old, recorded but never counted.
    Eve: the admission (30 November, a week ahead) arrives before the deletion for home
    education (15 October)."""
    early = write_csv("adm0.csv", ADMISSION_HEADER,
                      ["654321", "Eve", "Evans", "2014-05-05", "LS7 2CD", "2026-11-30"])
    assert run_import("school-admissions", early)[0] == 0
    run_import("roll-deletions", write_csv(
        "del.csv", DELETION_HEADER,
        deletion("Amira", "Khan", "2015-03-05", on="2026-10-01", sex="F", postcode="LS6 3AA",
                 address_line_1="3 Oak Lane", parent1_name="Nadia Khan"),
        deletion("Ben", "Brown", "2012-01-20", on="2026-06-01", school_type="special",
                 sen_provision="E", postcode="LS6 4BB", address_line_1="4 Elm Row",
                 parent1_name="Bill Brown"),
        deletion("Cara", "Cole", "2016-07-07", ground="continuous_absence_20_days", on="2026-09-10",
                 sex="F", sen_provision="", postcode="LS6 5CC", address_line_1="5 Ash Court",
                 parent1_name="Cath Cole"),
        deletion("Dan", "Dunn", "2023-04-04", on="2026-10-02", postcode="LS6 6DD",
                 address_line_1="6 Yew Walk", parent1_name="Dora Dunn"),
        deletion("Eve", "Evans", "2014-05-05", on="2026-10-15", sex="F", school_type="",
                 sen_provision="K", postcode="LS7 2CD", address_line_1="7 Fir Close",
                 parent1_name="Ella Evans"),
    ))
    run_import("school-admissions", write_csv(
        "adm.csv", ADMISSION_HEADER, ["654321", "Ben", "Brown", "2012-01-20", "LS6 4BB", "2026-11-01"]))
    run_import("parent-registrations", write_csv(
        "reg.csv", REGISTRATION_HEADER,
        ["Amira", "Khan", "2015-03-05", "3 Oak Lane", "LS6 3AA", "Nadia Khan", "mental_health",
         "2026-10-05"]))
    code, _, err = run_import("agency", write_csv(
        "sc.csv", AGENCY_HEADER,
        ["SC1", "Amira", "Khan", "2015-03-05", "3 Oak Lane", "LS6 3AA", "child_protection_plan",
         "2026-08-01", ""]), "--source", "social_care")
    assert code == 0, err


def test_census_counts_children_by_their_status_on_the_census_date(authority):
    figures = dfe_return("2027-01-14")
    assert figures["ehe_census", "children", "total", ""] == 1, "only Amira: Ben and Eve went back"
    assert figures["ehe_census", "children", "sex", "F"] == 1
    assert figures["ehe_census", "children", "year_group", "7"] == 1
    assert figures["ehe_census", "children", "reason", "mental_health"] == 1
    assert figures["ehe_census", "children", "social_care", "child_protection_plan"] == 1
    assert figures["ehe_census", "children", "social_care", "child_in_need"] == 1, \
        "a child on a plan is also a child in need"
    assert figures["ehe_census", "children", "social_care", "none"] == 0
    assert figures["cme_census", "children", "total", ""] == 1
    assert figures["cme_census", "children", "time_missing", "over_12_weeks"] == 1
    assert figures["cme_census", "children", "sen", "unknown"] == 1


def test_status_follows_the_dates_in_the_files_not_the_import_order(authority):
    """On 20 October Eve was home educated although her later admission was imported first."""
    figures = dfe_return("2026-10-20")
    assert figures["ehe_census", "children", "total", ""] == 3  # Amira, Ben, Eve; not Dan (age 3)
    assert figures["cme_census", "children", "time_missing", "12_weeks_or_less"] == 1


def test_in_year_sections_count_starts_and_returns_since_1_september(authority):
    figures = dfe_return("2027-01-14")
    assert figures["ehe_in_year", "children", "total", ""] == 3
    assert figures["ehe_in_year", "starts", "total", ""] == 2, "Ben started in June, last year"
    assert figures["ehe_in_year", "returns_to_school", "total", ""] == 2
    assert figures["ehe_in_year", "starts", "previous_school_type", "mainstream"] == 1
    assert figures["ehe_in_year", "starts", "previous_school_type", "unknown"] == 1
    assert figures["ehe_in_year", "preliminary_notices", "total", ""] == 0
    assert figures["cme_in_year", "starts", "total", ""] == 1


def test_every_code_has_a_row_and_breakdowns_sum_to_their_total(authority):
    figures = dfe_return("2027-01-14")
    assert ("ehe_census", "children", "year_group", "11") in figures
    assert ("cme_census", "children", "reason", "bullying") not in figures, "reasons are EHE only"
    for (section, measure, breakdown, _), _count in figures.items():
        if breakdown in ("total", "social_care"):
            continue
        parts = sum(n for (s, m, b, _), n in figures.items()
                    if (s, m, b) == (section, measure, breakdown))
        assert parts == figures[section, measure, "total", ""], (section, measure, breakdown)


def test_the_return_is_audited(authority):
    dfe_return("2027-01-14")
    assert AuditEvent.objects.filter(action="export", object_type="dfe_return").exists()
