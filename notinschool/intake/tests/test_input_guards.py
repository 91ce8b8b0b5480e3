"""Input that used to end in a traceback or be taken as it came: a folder, a missing or
unreadable file, a binary file, a header with invisible characters (a doubled byte-order mark),
dates no event can have. Each is a FILE:ROW:COLUMN problem, exit 2 and nothing written."""

import datetime as dt
from pathlib import Path

import pytest

from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.intake.tests.test_columnar import HEADER as AGENCY_HEADER
from notinschool.intake.tests.test_columnar import agency_row, assert_same, write
from notinschool.linkage.models import AgencyFact
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db

BOM = "\ufeff"
REFERRAL_HEADER = ["referrer_agency", "date_received", "forename", "surname", "date_of_birth",
                   "postcode"]
CONTACT_HEADER = ["forename", "surname", "date_of_birth", "contact_date", "method", "outcome"]
ADMISSION_HEADER = ["school_urn", "forename", "surname", "date_of_birth", "admission_date"]


def referral(received: str = "2026-11-01", dob: str = "2015-03-05") -> list[str]:
    return ["Police", received, "Alexander", "Smith-Jones", dob, "LS6 1AB"]


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def assert_refused(code: int, err: str, *expected: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    for line in expected:
        assert line in err.splitlines(), err
    assert err.splitlines()[-1].endswith("nothing was imported")
    assert ImportBatch.objects.count() == 0 and Child.objects.count() == 0


# -- files that cannot be read ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["roll-deletions", "agency"])
def test_a_folder_is_a_problem_not_a_traceback(as_of, tmp_path, kind):
    code, _, err = run_import(kind, tmp_path, source="health")
    assert_refused(code, err, f"{tmp_path}:0:-: is a folder, not a file: name the file to import")
    assert err.splitlines()[-1] == "1 problem: nothing was imported"


@pytest.mark.parametrize("kind", ["roll-deletions", "agency"])
def test_a_missing_file(as_of, tmp_path, kind):
    code, _, err = run_import(kind, tmp_path / "nowhere.csv", source="health")
    assert_refused(code, err, f"{tmp_path / 'nowhere.csv'}:0:-: no such file")


@pytest.mark.parametrize("kind", ["roll-deletions", "agency"])
def test_a_file_the_import_may_not_read(as_of, tmp_path, kind, monkeypatch):
    """(The tests may run as root, who reads any file: the refusal is simulated where the
    operating system would give it.)"""
    path = write_text(tmp_path / "locked.csv", ",".join(DELETION_HEADER) + "\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    code, _, err = run_import(kind, path, source="health")
    assert_refused(code, err, f"{path}:0:-: cannot be read: permission denied")


def test_a_file_without_read_permission_is_refused_before_it_is_opened(as_of, tmp_path, monkeypatch):
    path = write_text(tmp_path / "locked.csv", ",".join(DELETION_HEADER) + "\n")
    monkeypatch.setattr("notinschool.intake.readers.os.access", lambda *_: False)
    code, _, err = run_import("roll-deletions", path)
    assert_refused(code, err, f"{path}:0:-: cannot be read: permission denied")


@pytest.mark.parametrize(("name", "kind"), [("photo.csv", "roll-deletions"), ("photo.csv", "agency"),
                                            ("photo.xlsx", "referrals")])
def test_a_binary_file(as_of, tmp_path, name, kind):
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe" * 20)
    code, _, err = run_import(kind, path, source="health")
    assert code == 2 and "Traceback" not in err
    [problem, summary] = err.splitlines()
    assert problem.startswith(f"{path}:") and ":-: " in problem
    assert summary == "1 problem: nothing was imported"


# -- the header ---------------------------------------------------------------------------------

def test_a_doubled_byte_order_mark_rejects_the_file_naming_the_column(as_of, tmp_path):
    """The first column was optional, so it used to be dropped with a warning."""
    text = ",".join(REFERRAL_HEADER) + "\n" + ",".join(referral()) + "\n"
    path = write_text(tmp_path / "twice.csv", BOM + text, "utf-8-sig")  # two marks
    code, _, err = run_import("referrals", path)
    assert_refused(code, err, f"{path}:1:referrer_agency: the column name starts with a byte-order "
                              "mark (U+FEFF) left over after the first: the file was saved with two. "
                              "Save it again as CSV UTF-8 and send it again")
    assert "unknown columns" not in err and "required column is missing" not in err
    once = write_text(tmp_path / "once.csv", text, "utf-8-sig")
    assert run_import("referrals", once)[0] == 0, "one mark is accepted and dropped"


def test_a_doubled_byte_order_mark_on_a_required_agency_column_is_one_clear_problem(as_of, tmp_path):
    rows = "\n".join(",".join(r) for r in [AGENCY_HEADER, agency_row("H1")]) + "\n"
    path = write_text(tmp_path / "a.csv", BOM + rows, "utf-8-sig")
    code, _, err = run_import("agency", path, source="health")
    assert_refused(code, err)
    assert err.splitlines()[0].startswith(f"{path}:1:record_id: the column name starts with a "
                                          "byte-order mark")
    assert len(err.splitlines()) == 2, "no 'required column is missing' beside it"
    assert AgencyFact.objects.count() == 0
    assert_same(path)  # the column-wise reader agrees (Arrow would drop the second mark)


@pytest.mark.parametrize(("cell", "column", "named"), [
    ("sur\u200bname", "surname", "U+200B ZERO WIDTH SPACE"),
    ("\u2060postcode", "postcode", "U+2060 WORD JOINER"),
    ("date_of_birth\u00ad", "date_of_birth", "U+00AD SOFT HYPHEN")])
def test_a_column_name_with_an_invisible_character_is_rejected_not_dropped(as_of, tmp_path, cell,
                                                                           column, named):
    header = [cell if c == column else c for c in REFERRAL_HEADER]
    path = write_text(tmp_path / "r.csv", ",".join(header) + "\n" + ",".join(referral()) + "\n")
    code, _, err = run_import("referrals", path)
    assert_refused(code, err, f"{path}:1:{column}: the column name has an invisible character in "
                              f"it ({named}): type the name again and send the file again")
    assert "unknown columns" not in err and "required column is missing" not in err


def test_spaces_and_non_breaking_spaces_around_a_column_name_are_read_as_the_column(as_of, tmp_path):
    header = [" Referrer_Agency\u00a0", *REFERRAL_HEADER[1:]]
    path = write_text(tmp_path / "r.csv", ",".join(header) + "\n" + ",".join(referral()) + "\n")
    code, _, err = run_import("referrals", path)
    assert code == 0 and err == ""
    assert Notification.objects.get().data["referrer_agency"] == "Police"


def test_a_missing_required_column_rejects_the_file(as_of, tmp_path):
    header = [c for c in REFERRAL_HEADER if c != "date_received"]
    row = [v for c, v in zip(REFERRAL_HEADER, referral(), strict=True) if c != "date_received"]
    path = write_text(tmp_path / "r.csv", ",".join(header) + "\n" + ",".join(row) + "\n")
    code, _, err = run_import("referrals", path)
    assert_refused(code, err, f"{path}:1:date_received: required column is missing")


def test_an_unknown_column_with_an_invisible_character_is_shown_in_the_warning(as_of, tmp_path):
    header = [*REFERRAL_HEADER, "\u200bnotes"]
    path = write_text(tmp_path / "r.csv", ",".join(header) + "\n" + ",".join([*referral(), "x"]) + "\n")
    code, _, err = run_import("referrals", path)
    assert code == 0
    assert "unknown columns ignored: '\\u200bnotes'" in err


# -- dates no event can have --------------------------------------------------------------------

@pytest.mark.parametrize(("on", "message"), [
    ("2099-01-01", "'2099-01-01' is in the future (more than 7 days after 2026-11-23)"),
    ("2026-12-01", "'2026-12-01' is in the future (more than 7 days after 2026-11-23)"),
    ("1800-09-01", "'1800-09-01' is before 1 January 2000: check the year"),
    ("31/12/1999", "'31/12/1999' is before 1 January 2000: check the year"),
])
def test_an_implausible_deletion_date_is_a_row_error(as_of, write_csv, on, message):
    path = write_csv("d.csv", DELETION_HEADER, deletion(), deletion("Oliver", on=on))
    code, _, err = run_import("roll-deletions", path)
    assert_refused(code, err, f"{path}:3:deletion_date: {message}")


def test_a_deletion_dated_within_the_week_ahead_is_taken(as_of, write_csv):
    path = write_csv("d.csv", DELETION_HEADER, deletion(on="2026-11-30"), deletion("Oliver", on="2000-01-01"))
    assert run_import("roll-deletions", path)[0] == 0
    assert Child.objects.count() == 2


def test_the_days_ahead_are_a_setting(as_of, write_csv, settings):
    settings.NOTINSCHOOL_FUTURE_DATE_DAYS = 0
    path = write_csv("d.csv", DELETION_HEADER, deletion(on="2026-11-24"))
    code, _, err = run_import("roll-deletions", path)
    assert_refused(code, err, f"{path}:2:deletion_date: '2026-11-24' is in the future (more than 0 "
                              "days after 2026-11-23)")


@pytest.mark.parametrize(("received", "message"), [
    ("1800-01-01", "'1800-01-01' is before 1 January 2000: check the year"),
    ("2099-06-30", "'2099-06-30' is in the future (more than 7 days after 2026-11-23)")])
def test_a_referral_received_in_1800_or_2099_is_a_row_error(as_of, write_csv, received, message):
    path = write_csv("r.csv", REFERRAL_HEADER, referral(received=received))
    code, _, err = run_import("referrals", path)
    assert_refused(code, err, f"{path}:2:date_received: {message}")


@pytest.mark.parametrize(("dob", "ok"), [("2001-11-23", True), ("2001-11-22", False),
                                         ("2026-11-23", True), ("2026-11-24", False)])
def test_a_childs_date_of_birth_is_0_to_25_years_before_today(as_of, write_csv, dob, ok):
    path = write_csv("r.csv", REFERRAL_HEADER, referral(dob=dob))
    code, _, err = run_import("referrals", path)
    if ok:
        assert code == 0, err
        return
    message = (f"'{dob}' would make the child older than 25: check the year" if dob < "2026"
               else f"'{dob}' is in the future")
    assert_refused(code, err, f"{path}:2:date_of_birth: {message}")


def test_every_child_file_checks_the_date_of_birth_and_its_event_date(as_of, write_csv):
    old = "1990-01-01"
    cases = [("roll-deletions", DELETION_HEADER, deletion(dob=old, on="2099-01-01"),
              "deletion_date"),
             ("school-admissions", ADMISSION_HEADER,
              ["123456", "Alexander", "Smith", old, "2099-01-01"], "admission_date"),
             ("contacts", CONTACT_HEADER,
              ["Alexander", "Smith", old, "2099-01-01", "letter", "no_reply"], "contact_date")]
    for kind, header, row, event in cases:
        path = write_csv(f"{kind}.csv", header, row)
        code, _, err = run_import(kind, path)
        assert_refused(code, err, f"{path}:2:date_of_birth: '{old}' would make the child older "
                                  f"than 25: check the year",
                       f"{path}:2:{event}: '2099-01-01' is in the future (more than 7 days after "
                       f"2026-11-23)")


# -- agency facts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "line"), [
    ({"start_date": "2099-01-01", "end_date": ""},
     "3:start_date: '2099-01-01' is in the future (more than 7 days after 2026-11-23)"),
    ({"start_date": "2019-01-01", "end_date": "2099-12-31"},
     "3:end_date: '2099-12-31' is in the future (more than 7 days after 2026-11-23): leave "
     "end_date empty while the fact is current"),
    ({"start_date": "1899-12-31"}, "3:start_date: '1899-12-31' is before 1900: check the year"),
])
def test_an_agency_fact_dated_where_it_cannot_be_is_a_row_error(as_of, tmp_path, cells, line):
    path = write(tmp_path / "a.csv", AGENCY_HEADER, [agency_row("H1"), agency_row("H2", **cells)])
    assert_same(path)
    code, _, err = run_import("agency", path, source="social_care")
    assert_refused(code, err, f"{path}:{line}")
    assert AgencyFact.objects.count() == 0


def test_plausible_agency_dates_are_taken_both_ways(as_of, tmp_path):
    rows = [agency_row("H1", indicator="child_protection_plan", start_date="2019-04-01"),
            agency_row("H2", indicator="child_protection_plan", date_of_birth="2014-02-03",
                       start_date="2013-06-01"),  # a pre-birth plan
            agency_row("H5", indicator="temporary_accommodation", date_of_birth="2024-05-01",
                       start_date="2022-01-10"),  # the household's, from before the birth
            agency_row("H3", indicator="child_in_need", start_date="1995-01-01",
                       date_of_birth="1995-01-01", end_date="2026-11-30"),
            agency_row("H4", start_date="2026-11-30")]
    parsed = assert_same(write(tmp_path / "a.csv", AGENCY_HEADER, rows))
    assert [r.number for r in parsed.rows] == [2, 3, 4, 5, 6] and not parsed.problems
    assert parsed.rows[1].values["start_date"] == dt.date(2013, 6, 1)


def test_the_column_wise_check_agrees_at_each_edge(as_of, tmp_path):
    """A day each side of every new limit, both ways."""
    rows = [agency_row(f"E{i}", **cells) for i, cells in enumerate([
        {"start_date": "2026-11-30"}, {"start_date": "2026-12-01"},
        {"start_date": "2026-11-30", "end_date": "2026-11-30"},
        {"start_date": "2026-09-01", "end_date": "2026-12-01"},
        {"date_of_birth": "1900-01-01", "start_date": "1900-01-01"},
        {"date_of_birth": "1900-01-01", "start_date": "1899-12-31"},
        {"start_date": "31/12/1899"}, {"start_date": "01/12/2026"}, {"end_date": "01/12/2026"},
        {"start_date": "2026-11-30", "end_date": "2026-11-29"},
    ])]
    parsed = assert_same(write(tmp_path / "e.csv", AGENCY_HEADER, rows))
    assert [p.row for p in parsed.problems] == [3, 5, 7, 8, 9, 10, 11]
