"""Two children are never one: twins, namesakes and two pupil numbers stay two records, and the
same child notified again with a mistake is still recognised (issue 20, part 6). Each case is
one a council meets, imported through the command line and read back from the export."""

import pytest

from notinschool.core.identifiers import upn_check_letter
from notinschool.intake.models import Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.linkage.models import DuplicatePair
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db

PARENT_HEADER = ["forename", "surname", "sex", "date_of_birth", "address_line_1", "postcode",
                 "previous_address_line_1", "previous_postcode", "parent1_name", "date_received"]


def _upn(body: str) -> str:
    return f"{upn_check_letter(body)}{body}"


def _files(write_csv, *rows: list[str]) -> list[tuple[int, str, str]]:
    """Each row in a file of its own, imported in turn (notifications on different days)."""
    return [run_import("roll-deletions", write_csv(f"d{i}.csv", DELETION_HEADER, row))
            for i, row in enumerate(rows)]


def _register(forename: str | None = None) -> list[dict[str, str]]:
    return [r for r in export_register("--all") if forename in (None, r["forename"])]


def test_twins_at_one_address_stay_two_in_one_file_and_across_files(as_of, write_csv):
    one_file = write_csv("twins.csv", DELETION_HEADER,
                         deletion("Oliver", "Reid", "2015-06-01", sex="M"),
                         deletion("Harry", "Reid", "2015-06-01", sex="M"))
    assert run_import("roll-deletions", one_file)[0] == 0
    _files(write_csv, deletion("Amira", "Khan", "2014-02-02", sex="F"),
           deletion("Aisha", "Khan", "2014-02-02", sex="F"))
    names = sorted(r["forename"] for r in _register())
    assert names == ["Aisha", "Amira", "Harry", "Oliver"]
    assert Notification.objects.filter(child__isnull=False).count() == 4


@pytest.mark.parametrize(("first", "second"), [
    (("Louis", "M"), ("Louise", "F")),   # one a short form of the other, but not the same sex
    (("Francis", "M"), ("Frances", "F")),  # one letter apart
    (("Jack", "M"), ("Jacob", "M")),      # the same initial and first letters
])
def test_twins_with_the_same_initial_stay_two(as_of, write_csv, first, second):
    codes = _files(write_csv, deletion(first[0], "Ward", "2016-01-20", sex=first[1]),
                   deletion(second[0], "Ward", "2016-01-20", sex=second[1]))
    assert [c for c, _, _ in codes] == [0, 0]
    assert sorted(r["forename"] for r in _register()) == sorted([first[0], second[0]])
    assert "0 already imported" in codes[1][1]


def test_namesakes_in_other_postcode_districts_stay_two(as_of, write_csv):
    _files(write_csv,
           deletion("Oliver", "Smith", "2015-03-05", postcode="LS6 1AB", address_line_1="1 Mill Road"),
           deletion("Oliver", "Smith", "2015-03-05", postcode="BD1 4QR", address_line_1="9 Oak Street"))
    assert sorted(r["postcode"] for r in _register("Oliver")) == ["BD1 4QR", "LS6 1AB"]
    pair = DuplicatePair.objects.get()
    assert pair.state == DuplicatePair.State.PENDING, "the pair waits for a person to decide"


def test_namesakes_are_joined_by_a_middle_name_or_a_previous_address(as_of, write_csv):
    _files(write_csv,
           deletion("Mia", "Patel", "2014-07-07", middle_names="Rose", postcode="LS6 1AB"),
           deletion("Mia", "Patel", "2014-07-07", middle_names="Rose", postcode="WF1 2CD"))
    assert len(_register("Mia")) == 1, "the same middle name: one girl, her family moved"

    _files(write_csv, deletion("Noah", "Green", "2013-05-05", postcode="LS6 1AB"))
    moved = write_csv("p.csv", PARENT_HEADER, ["Noah", "Green", "M", "2013-05-05", "3 New Road",
                                               "HX1 1AA", "1 Mill Road", "LS6 1AB", "Ann Green",
                                               "2026-11-01"])
    assert run_import("parent-registrations", moved)[0] == 0
    noah = _register("Noah")
    assert len(noah) == 1 and noah[0]["postcode"] == "HX1 1AA"


def test_two_valid_pupil_numbers_are_two_children_and_one_number_is_one(as_of, write_csv):
    first, second = _upn("801200001001"), _upn("801200001002")
    _files(write_csv, deletion("Ella", "Moss", "2015-09-09", upn=first, sex="F"),
           deletion("Ella", "Moss", "2015-09-09", upn=second, sex="F"),
           deletion("Ela", "Mosse", "2015-09-09", upn=first, sex="F", postcode="BD1 4QR"))
    ellas = Child.objects.filter(surname="Moss").order_by("child_ref")
    assert [c.upn for c in ellas] == [first, second]
    assert Child.objects.count() == 2, "the pupil number joins the third, misspelt, elsewhere"


@pytest.mark.parametrize("again", [
    {"forename": "Alexnader"},                                   # two letters swapped
    {"surname": "Smith-Jone"},                                   # a letter missing
    {"dob": "2015-05-03"},                                       # day and month swapped
    {"postcode": "LS6 3XY", "address_line_1": "22 Ash Grove"},   # moved within the district
    {"postcode": "LS8 1AB"},                                     # a character wrong in the district
])
def test_the_same_child_notified_again_with_a_mistake_is_still_joined(as_of, write_csv, again):
    dob = again.pop("dob", "2015-03-05")
    codes = _files(write_csv, deletion(),
                   deletion(dob=dob, ground="continuous_absence_20_days", on="2026-10-20", **again))
    assert [c for c, _, _ in codes] == [0, 0]
    assert Child.objects.count() == 1
    assert Notification.objects.filter(child__isnull=False).count() == 2
