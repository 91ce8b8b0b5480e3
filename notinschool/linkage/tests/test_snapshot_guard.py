"""A snapshot cannot wipe a source by accident: one that would end more than a share of the
source's current facts (NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE, 20% by default) is refused whole
unless the sender confirms (--allow-large-end); an empty one is always refused."""

import pytest

from notinschool.intake.models import ImportBatch
from notinschool.intake.tests.helpers import run_import
from notinschool.linkage.models import AgencyFact, AgencyPerson

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "forename", "surname", "date_of_birth", "postcode", "indicator",
          "start_date", "end_date"]


def plan(n: int) -> list[str]:
    return [f"S{n}", f"Child{chr(65 + n)}", "Hall", "2014-01-01", "LS6 2AB",
            "child_protection_plan", "2026-01-01", ""]


@pytest.fixture
def five_plans(as_of, write_csv):
    """social_care's current picture: five children on plans."""
    path = write_csv("all.csv", HEADER, *(plan(n) for n in range(5)))
    assert run_import("agency", path, source="social_care", snapshot=True)[0] == 0
    return path


def _state() -> tuple:
    return (ImportBatch.objects.count(), AgencyPerson.objects.count(),
            sorted(AgencyFact.objects.values_list("person__record_id", "end_date", "ended_by_snapshot")))


def test_an_empty_snapshot_is_refused_even_when_confirmed(five_plans, write_csv):
    before = _state()
    empty = write_csv("failed-extract.csv", HEADER)
    for extra in ((), ("--allow-large-end",)):
        code, out, err = run_import("agency", empty, "--source", "social_care", "--snapshot", *extra)
        assert code == 2 and out == ""
        assert err == (f"{empty}:0:-: the file is sent as a snapshot of social_care, but it has no "
                       "rows: it would end all 5 current social_care facts. An empty snapshot is "
                       "never taken (an extract that failed looks like this): nothing was imported\n"
                       "1 problem: nothing was imported\n")
        assert _state() == before
    assert run_import("agency", empty, "--source", "social_care")[0] == 0, \
        "an empty file that is not a snapshot adds nothing and ends nothing"
    assert AgencyFact.objects.filter(end_date__isnull=True).count() == 5


def test_a_snapshot_whose_rows_are_all_invalid_is_an_empty_one(five_plans, write_csv):
    bad = write_csv("bad.csv", HEADER, [*plan(0)[:3], "2014-13-01", *plan(0)[4:]])
    before = _state()
    code, _, err = run_import("agency", bad, "--source", "social_care", "--snapshot",
                              "--skip-invalid", "--allow-large-end")
    assert code == 2
    assert "but it has no valid rows (1 rejected): it would end all 5 current social_care facts" in err
    assert _state() == before


def test_a_snapshot_that_would_end_most_facts_is_refused_with_the_counts(five_plans, write_csv):
    before = _state()
    short = write_csv("short.csv", HEADER, plan(0), plan(1))
    code, out, err = run_import("agency", short, "--source", "social_care", "--snapshot")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{short}:0:-: as a snapshot this file would end 3 of the 5 current social_care facts "
        "(60%; more than 20% is ended only when the sender confirms it): nothing was imported",
        "1 problem: nothing was imported",
        "If social_care really ended them, import the file again with --allow-large-end."]
    assert _state() == before, "nothing written: no batch, no person, no fact changed"

    code, out, _ = run_import("agency", short, "--source", "social_care", "--snapshot",
                              "--allow-large-end")
    assert code == 0 and "2 rows" in out
    ended = AgencyFact.objects.filter(ended_by_snapshot=True)
    assert sorted(ended.values_list("person__record_id", flat=True)) == ["S2", "S3", "S4"]


def test_a_snapshot_ending_up_to_the_share_goes_through(five_plans, write_csv):
    four = write_csv("four.csv", HEADER, *(plan(n) for n in range(4)))
    code, _, err = run_import("agency", four, "--source", "social_care", "--snapshot")
    assert code == 0, err
    assert list(AgencyFact.objects.filter(ended_by_snapshot=True)
                .values_list("person__record_id", flat=True)) == ["S4"], "1 of 5 is 20%: taken"


def test_the_share_is_a_setting(five_plans, write_csv, settings):
    short = write_csv("short.csv", HEADER, plan(0), plan(1))
    settings.NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE = 0.6
    assert run_import("agency", short, "--source", "social_care", "--snapshot")[0] == 0
    settings.NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE = 0.0
    code, _, err = run_import("agency", write_csv("one.csv", HEADER, plan(0)),
                              "--source", "social_care", "--snapshot")
    assert code == 2 and "would end 1 of the 2 current social_care facts (50%; more than 0%" in err


def test_the_guard_counts_one_source_only(five_plans, write_csv):
    police = write_csv("p.csv", HEADER, [*plan(0)[:5], "police_concern", "2026-02-01", ""])
    assert run_import("agency", police, "--source", "police", "--snapshot")[0] == 0
    assert AgencyFact.objects.filter(source="social_care", end_date__isnull=True).count() == 5


def test_facts_already_ended_are_not_counted(five_plans, write_csv):
    ended = [[*plan(n)[:7], "2026-06-01"] for n in range(5)]
    assert run_import("agency", write_csv("ended.csv", HEADER, *ended), "--source", "social_care")[0] == 0
    # nothing is current now: a snapshot of one new plan ends nothing and is taken
    code, _, err = run_import("agency", write_csv("new.csv", HEADER, plan(9)),
                              "--source", "social_care", "--snapshot")
    assert code == 0, err
