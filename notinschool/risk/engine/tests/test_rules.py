"""The rule table as data: complete, readable, serialisable and versioned."""

import dataclasses
import json

import pytest

from notinschool.risk.engine import DEFAULT, RuleSettings, RuleTable
from notinschool.risk.engine.factors import TESTS

# The floors table of docs/risk-model.md: rule code -> (tier at most, required actions).
FLOORS = {
    "current_child_protection": (1, ("alert_social_care", "see_child_within_10_days")),
    "current_child_in_need": (2, ("alert_social_care",)),
    "child_protection_plan_ended": (2, ("alert_social_care",)),
    "exploitation_or_missing": (1, ("alert_social_care", "see_child_within_10_days")),
    "domestic_abuse": (2, ("see_child_within_10_days",)),
    "household_social_care": (2, ("alert_social_care",)),
    "health_not_brought": (2, ("share_with_health",)),
    "health_concern": (3, ("share_with_health",)),
    "education_health_care_plan": (3, ()),
    "never_on_school_roll": (3, ()),
    "no_contact_response": (2, ("professionals_meeting",)),
    "several_concerns": (1, ("professionals_meeting",)),
}


def test_every_floor_row_of_the_model_is_in_the_table():
    rules = {r.code: r for r in DEFAULT.rules}
    for code, (tier, actions) in FLOORS.items():
        assert (rules[code].tier, rules[code].actions) == (tier, actions), code
    assert rules["not_seen"].effect == "one_more_serious"
    assert rules["not_seen"].actions == ("arrange_visit",)


def test_action_deadlines_follow_the_actions_table():
    actions = {a.code: (a.deadline_days, a.day_kind) for a in DEFAULT.actions}
    assert actions["consent_required"] == (0, "same_day")
    assert actions["alert_social_care"] == (1, "working")
    assert actions["see_child_within_10_days"] == (10, "working")
    assert actions["cme_enquiries"] == (5, "school")


def test_review_intervals():
    assert [DEFAULT.review_interval(t) for t in (1, 2, 3, 4)] == [3, 6, 9, 12]


def test_every_rule_has_a_test_and_a_source():
    for rule in DEFAULT.rules:
        assert rule.source
        assert rule.effect == "combination" or rule.code in TESTS


def test_the_table_serialises_to_json():
    data = json.loads(DEFAULT.to_json())
    assert data["version"] == DEFAULT.version
    assert [r["code"] for r in data["rules"]] == [r.code for r in DEFAULT.rules]
    assert data["settings"]["cp_plan_ended_lookback_years"] == 5


def test_describe_gives_readable_rows_with_the_settings_filled_in():
    rows = {row["code"]: row for row in DEFAULT.describe()}
    assert rows["child_protection_plan_ended"]["factor"] == (
        "child protection plan ended within the last 5 years")
    assert rows["child_protection_plan_ended"]["tier"] == "2 at most"
    assert rows["not_seen"]["tier"] == "one tier more serious, applied last"
    assert rows["current_child_protection"]["actions"] == (
        "alert_social_care, see_child_within_10_days")
    three = {row["code"]: row
             for row in DEFAULT.with_settings(cp_plan_ended_lookback_years=3).describe()}
    assert three["child_protection_plan_ended"]["factor"].endswith("within the last 3 years")
    for row in DEFAULT.describe():
        assert "{" not in row["factor"]


def test_the_version_is_stable_for_the_same_table():
    assert RuleTable().version == DEFAULT.version
    assert len(DEFAULT.version) == 12


@pytest.mark.parametrize(
    "change",
    [
        {"cp_plan_ended_lookback_years": 4},
        {"was_not_brought_min": 3},
        {"consent_duty_enabled": False},
        {"not_seen_months": 18},
    ],
)
def test_the_version_changes_when_a_setting_changes(change):
    assert DEFAULT.with_settings(**change).version != DEFAULT.version


def test_the_version_changes_when_a_rule_changes():
    rules = tuple(dataclasses.replace(r, tier=1) if r.code == "domestic_abuse" else r
                  for r in DEFAULT.rules)
    assert RuleTable(rules=rules).version != DEFAULT.version


def test_settings_are_checked():
    with pytest.raises(ValueError, match="whole number"):
        RuleSettings(not_seen_months=-1)
    with pytest.raises(ValueError):
        RuleSettings(was_not_brought_min=0)


def test_a_rule_naming_an_unknown_action_is_refused():
    bad = (dataclasses.replace(DEFAULT.rules[0], actions=("phone_the_police",)),)
    with pytest.raises(ValueError, match="unknown actions"):
        RuleTable(rules=bad)
