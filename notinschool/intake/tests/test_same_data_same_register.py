"""Same data, same register: how a day's notifications are split into files, and the order the
files come in, does not change who is on the register (docs/data-contract.md, "Same data, same
register").

The case a tester found: one roll-deletions file kept two look-alike children apart, and the
same file cut in two halves imported one after the other merged them, although their unique
pupil numbers differ. Within a file a child made by an earlier row is only taken by a later
row whose forename and date of birth agree exactly; across files the matcher is looser (a
date one digit out at the same address is the same child, as a typo usually is). A unique pupil
number is one pupil's, so two different ones are two children, in one file or in two."""

import pytest

from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.people.models import Child
from notinschool.synth.ids import make_upn

pytestmark = pytest.mark.django_db

# cousins living together, both Jack Smith, born a day apart, each with his own pupil number
JACK = deletion("Jack", "Smith", "2015-03-05", upn=make_upn(1, "123456", 2019))
JACK_TOO = deletion("Jack", "Smith", "2015-03-06", upn=make_upn(2, "123456", 2019))


def register() -> list[tuple[str, ...]]:
    """The register without the reference numbers (which follow the order of arrival)."""
    return sorted(tuple(v for k, v in row.items() if k != "child_ref") for row in export_register())


@pytest.mark.parametrize("files", [
    [[JACK, JACK_TOO]],           # one file
    [[JACK], [JACK_TOO]],         # the same file in two halves
    [[JACK_TOO], [JACK]],         # the halves the other way round
])
def test_two_pupils_with_their_own_numbers_stay_two_children_however_the_file_is_cut(
        write_csv, as_of, files):
    for n, rows in enumerate(files):
        assert run_import("roll-deletions", write_csv(f"part{n}.csv", DELETION_HEADER, *rows))[0] == 0
    assert sorted(Child.objects.values_list("upn", flat=True)) == sorted([JACK[2], JACK_TOO[2]])


def test_the_register_is_the_same_for_the_file_whole_or_in_halves(write_csv, as_of):
    run_import("roll-deletions", write_csv("whole.csv", DELETION_HEADER, JACK, JACK_TOO))
    whole = register()
    Child.objects.all().delete()
    run_import("roll-deletions", write_csv("second.csv", DELETION_HEADER, JACK_TOO))
    run_import("roll-deletions", write_csv("first.csv", DELETION_HEADER, JACK))
    assert register() == whole and len(whole) == 2


def test_a_typo_in_the_date_without_pupil_numbers_is_still_the_same_child(write_csv, as_of):
    """The looser matching across files still does its job where nothing says otherwise."""
    run_import("roll-deletions", write_csv("a.csv", DELETION_HEADER,
                                           deletion("Jack", "Smith", "2015-03-05")))
    run_import("roll-deletions", write_csv("b.csv", DELETION_HEADER,
                                           deletion("Jack", "Smith", "2015-03-06", on="2026-10-02")))
    assert Child.objects.count() == 1
