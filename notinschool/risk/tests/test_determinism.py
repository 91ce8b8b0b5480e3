"""docs/risk-model.md: "Can be replayed: given the same data and `--as-of` date, the same tiers and
dates." `notinschool --as-of DATE assess`, twice, stores the same results, with the rule version
and settings that produced them."""

import dataclasses
import datetime as dt

import pytest
from django.db import connections

from notinschool import cli
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.risk.models import Assessment, AssessmentRun
from notinschool.risk.services import rule_setting_change, rule_table_current
from notinschool.risk.tests.helpers import ordinary_child, with_fact

pytestmark = pytest.mark.django_db

STORED = ("as_of", "rule_version", "tier", "computed_tier", "review_interval_months",
          "next_contact_due", "flags", "required_actions", "reasons", "deadlines", "fired_rules",
          "inputs")


@pytest.fixture
def notinschool(monkeypatch):
    """Run the `notinschool` command in-process; the --as-of date it sets is undone after.
    Django closes every connection after a command run from the command line, which would
    end the test's transaction on PostgreSQL: here it keeps them."""
    monkeypatch.delenv("NOTINSCHOOL_AS_OF", raising=False)
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*argv: str) -> None:
        cli.main(list(argv))
        monkeypatch.delenv("NOTINSCHOOL_AS_OF", raising=False)

    return run


def a_varied_register() -> None:
    ordinary_child()
    ordinary_child(joined_register_date=dt.date(2025, 6, 1))  # not seen for over 12 months
    with_fact(ordinary_child(), "child_protection_plan", start=dt.date(2026, 10, 1))
    with_fact(ordinary_child(), "child_in_need")
    with_fact(ordinary_child(), "domestic_abuse_notification", source="police",
              start=dt.date(2026, 8, 14))
    with_fact(with_fact(ordinary_child(), "child_in_need"), "missing_episode", source="police",
              start=dt.date(2026, 5, 2), end=dt.date(2026, 5, 3))
    with_fact(ordinary_child(), "not_registered_with_gp", source="nhs")


def stored(run: AssessmentRun) -> dict[str, dict[str, object]]:
    return {a.child.child_ref: {f: getattr(a, f) for f in STORED}
            for a in run.assessments.select_related("child")}


def test_assess_twice_with_the_same_data_and_date_stores_the_same_results(notinschool, capsys):
    a_varied_register()
    notinschool("--as-of", "2026-11-20", "assess")
    notinschool("--as-of", "2026-11-20", "assess")
    out = capsys.readouterr().out
    assert "0 tier more serious, 0 less serious, 0 gained a required action, 0 lost one, " \
           "0 assessed for the first time" in out, out
    first, second = AssessmentRun.objects.order_by("created_at")
    assert stored(first) == stored(second)
    results = stored(first)
    assert len(results) == 7
    assert {r["tier"] for r in results.values()} == {1, 2, 3, 4}, "the register is varied"
    assert any(r["deadlines"] for r in results.values())
    assert all(r["as_of"] == dt.date(2026, 11, 20) for r in results.values())
    assert Assessment.objects.filter(is_latest=True).count() == 7


def test_assessments_store_the_rule_version_and_settings_they_used(notinschool):
    a_varied_register()
    rule_setting_change(actor=UserFactory.create(role=Role.TEAM_MANAGER), name="not_seen_months", value=9,
                        reason="Partnership decision")
    notinschool("--as-of", "2026-11-20", "assess")
    run = AssessmentRun.objects.get()
    table = rule_table_current()
    assert run.settings == dataclasses.asdict(table.settings) and run.settings["not_seen_months"] == 9
    assert set(run.assessments.values_list("rule_version", flat=True)) == {table.version}
    assert run.rule_version == table.version
