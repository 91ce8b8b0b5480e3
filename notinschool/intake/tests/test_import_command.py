"""The `import` and `export register` commands as an authority's scripts use them."""

import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.intake.models import Notification
from notinschool.intake.tests.helpers import (
    DELETION_HEADER,
    deletion,
    export_register,
    run_import,
)
from notinschool.people.models import Child
from notinschool.people.timeline import child_timeline

pytestmark = pytest.mark.django_db

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "moved_in_date", "previous_address_line_1", "previous_postcode",
                       "parent1_name", "parent1_educates", "parent2_name",
                       "parent2_address_line_1", "parent2_postcode", "reason", "date_received"]


def test_home_education_deletion_opens_an_ehe_record_and_the_15_day_clock(as_of, write_csv):
    path = write_csv("del.csv", DELETION_HEADER, deletion())
    code, _out, _ = run_import("roll-deletions", path)
    assert code == 0
    child = Child.objects.get()
    assert child.status == "ehe"
    assert str(child.registration_due_date) == "2026-10-16"
    [row] = export_register()
    assert row["status"] == "ehe" and row["year_group"] == "7"
    assert row["last_seen_date"] == "2026-10-01"


def test_reimporting_a_file_changes_nothing(as_of, write_csv):
    path = write_csv("del.csv", DELETION_HEADER, deletion(), deletion("Oliver"))
    run_import("roll-deletions", path)
    before = export_register()
    code, out, _ = run_import("roll-deletions", path)
    assert code == 0 and "0 new, 2 already imported" in out
    assert export_register() == before
    assert Notification.objects.count() == 2


def test_deletion_and_parent_registration_with_a_nickname_are_one_child(as_of, write_csv):
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion(), deletion("Oliver")))
    registration = ["Alex", "Jones", "05/03/2015", "1 Mill Road", "LS6 1AB", "2019-01-01", "", "",
                    "Sarah Smith", "Y", "Mark Jones", "4 High St", "LS9 9ZZ", "mental_health",
                    "2026-10-10"]
    code, _, _ = run_import("parent-registrations", write_csv("r.csv", REGISTRATION_HEADER,
                                                              registration))
    assert code == 0
    rows = export_register()
    assert [r["forename"] for r in rows] == ["Alexander", "Oliver"], "twins stay two children"
    alexander = Child.objects.get(forename="Alexander")
    assert alexander.ehe_reason == "mental_health"
    away = alexander.parent_links.get(parent__name="Mark Jones")
    assert away.lives_with_child is False, "a parent at another address is still a parent"


def test_a_bad_file_is_rejected_whole_with_file_row_column_messages(as_of, write_csv):
    path = write_csv("bad.csv", DELETION_HEADER, deletion(),
                     deletion(dob="2015-02-30"), deletion(ground="holiday", on="yesterday"))
    code, _, err = run_import("roll-deletions", path)
    assert code == 2
    lines = err.splitlines()
    assert f"{path}:3:date_of_birth: '2015-02-30' is not a real date" in lines
    assert any(line.startswith(f"{path}:4:deletion_ground: ") for line in lines)
    assert any(line.startswith(f"{path}:4:deletion_date: ") for line in lines)
    assert Child.objects.count() == 0 and Notification.objects.count() == 0


def test_missing_required_column_names_the_header_row(as_of, write_csv):
    header = [c for c in DELETION_HEADER if c != "deletion_ground"]
    row = [v for c, v in zip(DELETION_HEADER, deletion(), strict=True) if c != "deletion_ground"]
    code, _, err = run_import("roll-deletions", write_csv("d.csv", header, row))
    assert code == 2 and ":1:deletion_ground: required column is missing" in err


def test_skip_invalid_imports_good_rows_and_writes_the_rejected_ones(as_of, write_csv):
    path = write_csv("mixed.csv", DELETION_HEADER, deletion(), deletion("Oliver", dob="31/31/2015"))
    code, _, _ = run_import("roll-deletions", path, skip_invalid=True)
    assert code == 0
    assert Child.objects.count() == 1
    rejected = (path.parent / "mixed.csv.rejected.csv").read_text()
    assert "reason" in rejected.splitlines()[0] and "Oliver" in rejected


def test_admission_closes_the_record_as_returned_to_school(as_of, write_csv):
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    admission = write_csv("a.csv", ["school_urn", "forename", "surname", "date_of_birth",
                                    "admission_date"],
                          ["654321", "Alexander", "Smith-Jones", "2015-03-05", "2026-11-02"])
    assert run_import("school-admissions", admission)[0] == 0
    assert export_register() == []
    [row] = export_register("--all")
    assert row["status"] == "returned_to_school"


@pytest.mark.parametrize(("ground", "destination", "status"), [
    ("moved_away", "", "cme"), ("moved_away", "100001", None), ("continuous_absence_20_days", "", "cme"),
    ("permanently_excluded", "", "not_in_school_other"), ("died", "", None),
])
def test_each_deletion_ground_does_what_the_contract_says(as_of, write_csv, ground, destination,
                                                          status):
    row = deletion(ground=ground, destination_school_urn=destination)
    assert run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, row))[0] == 0
    rows = export_register()
    assert [r["status"] for r in rows] == ([status] if status else [])
    assert Notification.objects.count() == 1, "the notification is kept either way"


def test_a_child_below_compulsory_school_age_is_recorded_not_registered(as_of, write_csv):
    row = deletion(dob="2022-01-10")
    assert run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, row))[0] == 0
    assert export_register("--all") == []
    assert Child.objects.get().status == "recorded"


def test_referral_of_an_unknown_child_opens_a_missing_education_case(as_of, write_csv):
    header = ["referrer_agency", "date_received", "forename", "surname", "date_of_birth",
              "address_line_1", "postcode", "concern"]
    path = write_csv("ref.csv", header,
                     ["health", "2026-11-01", "Mia", "Ward", "2016-04-04", "2 Elm St", "LS7 1AA",
                      "not seen at school"])
    assert run_import("referrals", path)[0] == 0
    [row] = export_register()
    assert row["status"] == "cme"
    assert "cme_enquiries" in row["required_actions"].split(";")


def test_contacts_for_nobody_on_the_register_are_rejected(as_of, write_csv):
    header = ["forename", "surname", "date_of_birth", "contact_date", "method", "outcome"]
    path = write_csv("c.csv", header, ["Nobody", "Known", "2015-01-01", "2026-11-01", "letter",
                                       "no_reply"])
    code, _, err = run_import("contacts", path)
    assert code == 2 and f"{path}:2:surname:" in err


def test_export_header_is_the_contract(as_of, write_csv, capsys):
    from django.core.management import call_command

    call_command("export", "register")
    assert capsys.readouterr().out.splitlines()[0] == (
        "child_ref,forename,surname,date_of_birth,postcode,status,year_group,risk_tier,"
        "review_interval_months,next_contact_due,flags,required_actions,reasons,last_seen_date,"
        "seen_alone")


def test_a_later_file_fills_in_the_town_of_the_same_home(as_of, write_csv):
    """The school sent no town; a later return for the same home gives it: it is kept."""
    from notinschool.people.models import Address

    first = write_csv("d1.csv", DELETION_HEADER, deletion(town=""))
    assert run_import("roll-deletions", first)[0] == 0
    later = write_csv("d2.csv", DELETION_HEADER, deletion(town="Leeds", on="2026-10-02"))
    assert run_import("roll-deletions", later)[0] == 0
    [home] = Address.objects.filter(is_current=True)
    assert (home.line_1, home.town, home.postcode) == ("1 Mill Road", "Leeds", "LS6 1AB")
    assert Address.objects.count() == 1


def test_a_upn_failing_its_check_letter_is_a_warning_and_does_not_keep_two_children_apart(
        as_of, write_csv):
    """The same child sent twice, once with the UPN right and once with one digit mistyped: the
    mistyped number fails its check letter, so the row is kept (exit 0, the warning names
    FILE:ROW:COLUMN) and, without a number to tell them apart, it joins the same child."""
    path = write_csv("d.csv", DELETION_HEADER, deletion(upn="B801200005001"))
    assert run_import("roll-deletions", path)[0] == 0
    again = write_csv("e.csv", DELETION_HEADER, deletion(upn="B801200005007", on="2026-10-02"))
    code, out, err = run_import("roll-deletions", again)
    assert code == 0 and "1 new" in out
    assert f"warning: {again}:2:upn: B801200005007 fails the UPN's check letter" in err
    [child] = Child.objects.all()
    assert child.upn == "B801200005001"


def test_a_notification_that_joins_a_known_child_keeps_why_and_the_timeline_says_it(as_of, write_csv):
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    registration = ["Alex", "Smith-Jones", "05/03/2015", "1 Mill Road", "LS6 1AB", "2019-01-01", "",
                    "", "Sarah Smith", "Y", "", "", "", "", "2026-10-10"]
    assert run_import("parent-registrations", write_csv("r.csv", REGISTRATION_HEADER, registration))[0] == 0
    child = Child.objects.get()
    first, joined = Notification.objects.filter(child=child).order_by("event_date")
    assert first.joined_because == {}  # it made the child
    assert "postcode agrees" in joined.joined_because["evidence"]
    assert joined.joined_because["score"] >= 6
    [entry] = [e for e in child_timeline(actor=COMMAND_LINE, child=child)
               if e.title.startswith("A parent registered")]
    assert "Taken as this child because: " in entry.detail and "postcode agrees" in entry.detail
