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
    run_import("agency", second, source="social_care", snapshot=True)
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
