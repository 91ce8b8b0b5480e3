"""Agency files: facts kept per source, re-imports idempotent, snapshots end what is gone."""

import pytest

from notinschool.intake.tests.helpers import run_import
from notinschool.linkage.models import AgencyFact, AgencyPerson

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "forename", "surname", "date_of_birth", "postcode", "indicator",
          "start_date", "end_date", "detail"]


def test_two_missed_appointments_are_two_facts_and_reimport_changes_nothing(as_of, write_csv):
    path = write_csv("h.csv", HEADER,
                     ["H1", "Amy", "Brown", "2013-02-02", "LS8 3EF", "was_not_brought", "2026-05-01", "", ""],
                     ["H1", "Amy", "Brown", "2013-02-02", "LS8 3EF", "was_not_brought", "2026-07-01", "", ""])
    assert run_import("agency", path, source="health")[0] == 0
    assert run_import("agency", path, source="health")[0] == 0
    assert AgencyPerson.objects.count() == 1
    assert AgencyFact.objects.filter(indicator="was_not_brought").count() == 2


def test_snapshot_ends_facts_the_source_no_longer_sends(as_of, write_csv):
    first = write_csv("s1.csv", HEADER,
                      ["S1", "Tom", "Hall", "2014-01-01", "LS6 2AB", "child_in_need", "2026-01-01", "", ""],
                      ["S2", "Ann", "Hall", "2012-01-01", "LS6 2AB", "child_in_need", "2026-02-01", "", ""])
    run_import("agency", first, source="social_care", snapshot=True)
    second = write_csv("s2.csv", HEADER,
                       ["S1", "Tom", "Hall", "2014-01-01", "LS6 2AB", "child_in_need", "2026-01-01", "", ""])
    run_import("agency", second, source="social_care", snapshot=True, allow_large_end=True)
    ended = AgencyFact.objects.get(person__record_id="S2")
    assert ended.end_date == as_of and ended.ended_by_snapshot
    assert AgencyFact.objects.get(person__record_id="S1").end_date is None


def test_agency_import_needs_a_source_word(as_of, write_csv):
    path = write_csv("x.csv", HEADER, ["X1", "A", "B", "2014-01-01", "", "police_concern",
                                       "2026-01-01", "", ""])
    with pytest.raises(SystemExit) as exit_:
        from django.core.management import call_command

        call_command("import", "agency", str(path), source="Bad Name")
    assert exit_.value.code == 2


FULL = ["record_id", "forename", "surname", "date_of_birth", "address_line_1", "postcode",
        "nhs_number", "indicator", "start_date", "end_date", "detail"]


def _load(path, **options):
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.workflow.imports import import_file

    return import_file(actor=COMMAND_LINE, kind="agency", path=path, source="social_care",
                       follow_up=False, **options)


def test_a_newer_file_moves_the_person_ends_the_plan_and_keeps_what_it_leaves_out(as_of, write_csv):
    first = write_csv("sc1.csv", FULL,
                      ["C7", "Lily", "Ward", "2014-03-09", "4 Mill Lane", "LS6 2AB", "9990000026",
                       "child_protection_plan", "2025-06-01", "", "Neglect category 2"],
                      ["C7", "Lily", "Ward", "2014-03-09", "4 Mill Lane", "LS6 2AB", "9990000026",
                       "child_in_need", "2024-01-10", "2025-06-01", "Step down"])
    result = _load(first)
    assert (result.rows_new, result.rows_already_imported) == (2, 0)
    person = AgencyPerson.objects.get(record_id="C7")
    assert person.key_pc and person.keys_version, "a new person is keyed for candidate lookups"
    keys_before = person.key_pc

    # months later: the family moved (new address, no NHS number sent this time), the plan ended
    # with no detail given, and the same fact is repeated further down the file
    later = write_csv("sc2.csv", FULL,
                      ["C7", "Lily", "Ward", "2014-03-09", "12 Oak Road", "BD1 4QR", "",
                       "child_protection_plan", "2025-06-01", "2026-09-30", ""],
                      ["C7", "Lily", "Ward", "2014-03-09", "12 Oak Road", "BD1 4QR", "",
                       "child_in_need", "2024-01-10", "2025-06-01", "Step down"],
                      ["C7", "Lily", "Ward", "2014-03-09", "12 Oak Road", "BD1 4QR", "",
                       "child_protection_plan", "2025-06-01", "2026-09-30", ""])
    result = _load(later)
    assert result.rows_new == 0 and result.rows_already_imported == 2  # 1 changed fact, 3 rows
    person.refresh_from_db()
    assert (person.address_line_1, person.postcode, person.nhs_number) == ("12 Oak Road", "BD1 4QR",
                                                                           "9990000026")
    assert person.key_pc != keys_before, "the candidate keys follow the new address"
    plan = AgencyFact.objects.get(indicator="child_protection_plan")
    assert str(plan.end_date) == "2026-09-30" and plan.detail == "Neglect category 2"
    assert not plan.ended_by_snapshot
    assert AgencyFact.objects.count() == 2 and AgencyPerson.objects.count() == 1


def test_a_snapshot_ends_only_current_facts_and_a_later_file_can_reopen_one(as_of, write_csv):
    both = write_csv("a.csv", FULL,
                     ["P1", "Sam", "Ray", "2013-05-05", "", "LS8 1AA", "", "police_concern",
                      "2026-03-01", "", ""],
                     ["P2", "Ben", "Ray", "2011-05-05", "", "LS8 1AA", "", "police_concern",
                      "2025-01-01", "2025-02-01", ""])
    _load(both, snapshot=True)
    neither = write_csv("b.csv", FULL, ["P3", "Zoe", "Kay", "2012-01-01", "", "LS9 9ZZ", "",
                                        "police_concern", "2026-04-01", "", ""])
    _load(neither, snapshot=True, allow_large_end=True)  # ends the only current fact
    sam = AgencyFact.objects.get(person__record_id="P1")
    ben = AgencyFact.objects.get(person__record_id="P2")
    assert sam.end_date == as_of and sam.ended_by_snapshot
    assert str(ben.end_date) == "2025-02-01" and not ben.ended_by_snapshot  # already ended
    _load(both, snapshot=False)  # the source sends Sam's concern again: it is open again
    sam.refresh_from_db()
    assert sam.end_date is None and not sam.ended_by_snapshot


def test_a_snapshot_with_new_people_ends_only_what_the_source_no_longer_sends(as_of, write_csv):
    first = write_csv("s1.csv", HEADER,
                      ["S1", "Tom", "Hall", "2014-01-01", "LS6 2AB", "child_in_need", "2026-01-01", "", ""],
                      ["S2", "Ann", "Hall", "2012-01-01", "LS6 2AB", "child_in_need", "2026-02-01", "", ""])
    run_import("agency", first, source="social_care", snapshot=True)
    # S1 again with a second fact, S2 gone, S3 and S4 new
    second = write_csv("s2.csv", HEADER,
                       ["S1", "Tom", "Hall", "2014-01-01", "LS6 2AB", "child_in_need", "2026-01-01", "", ""],
                       ["S3", "Joe", "Hall", "2015-01-01", "LS6 2AB", "child_in_need", "2026-03-01", "", ""],
                       ["S1", "Tom", "Hall", "2014-01-01", "LS6 2AB", "child_protection_plan",
                        "2026-04-01", "", ""],
                       ["S4", "Kim", "Ray", "2013-05-05", "LS7 1AA", "child_in_need", "2026-05-01",
                        "", "new"])
    code, out, _ = run_import("agency", second, source="social_care", snapshot=True,
                              allow_large_end=True)
    assert code == 0 and "4 rows, 3 new, 1 already imported" in out
    facts = {(f.person.record_id, f.indicator): (f.end_date, f.ended_by_snapshot, f.detail)
             for f in AgencyFact.objects.select_related("person")}
    assert facts == {("S1", "child_in_need"): (None, False, ""),
                     ("S1", "child_protection_plan"): (None, False, ""),
                     ("S2", "child_in_need"): (as_of, True, ""),
                     ("S3", "child_in_need"): (None, False, ""),
                     ("S4", "child_in_need"): (None, False, "new")}


def test_a_persons_facts_are_keyed_in_the_order_of_the_file(as_of, write_csv):
    """A rule lists a person's facts in the order of their keys: the order the file gave them
    (the last row where a fact repeats), the same on every import of the same file."""
    indicators = ["was_not_brought", "child_in_need", "police_concern", "missing_episode"]
    rows = [[f"P{n % 7}", "Amy", f"Brown{n % 7}", "2013-02-02", "LS8 3EF", indicators[n % 4],
             f"2026-{1 + n % 9:02d}-{1 + n % 27:02d}", "", f"row {n}"] for n in range(60)]
    repeated = [*rows[3][:8], "row 3 again"]
    path = write_csv("h.csv", HEADER, *rows, repeated)
    assert run_import("agency", path, source="health")[0] == 0
    stored: dict[str, list[str]] = {}
    for record, detail in AgencyFact.objects.order_by("pk").values_list("person__record_id",
                                                                        "detail"):
        stored.setdefault(record, []).append(detail)
    expected = {f"P{p}": [f"row {n}" for n in range(60) if n % 7 == p and n != 3]
                for p in range(7)}
    expected["P3"].append("row 3 again")
    assert stored == expected
