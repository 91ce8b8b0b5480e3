"""Changing thresholds, re-running the rules and overriding a tier (docs/risk-model.md: "A manager
may override a tier with a written rationale; the override is audited and expires at the next
review")."""

import dataclasses
import datetime as dt
import uuid

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.risk import engine
from notinschool.risk.models import Assessment, AssessmentRun, RequiredAction, RuleSetting
from notinschool.risk.services import rule_setting_change, rule_table_current
from notinschool.risk.tests.helpers import ordinary_child, with_fact
from notinschool.workflow.assessment import (
    risk_assessment_run,
    risk_assessment_run_recorded,
    tier_override_create,
    tier_override_end,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory.create(username="manager", role=Role.TEAM_MANAGER)


def latest(child):
    return Assessment.objects.get(child=child, is_latest=True)


# Thresholds ---------------------------------------------------------------------------------

def test_a_changed_threshold_is_kept_with_its_history_and_changes_the_rule_version(as_of, manager):
    first = rule_setting_change(actor=manager, name="domestic_abuse_lookback_months", value=24,
                                reason="Partnership decision of 1 November 2026")
    second = rule_setting_change(actor=manager, name="domestic_abuse_lookback_months", value=18,
                                 reason="Review after one month")
    assert rule_table_current().settings.domestic_abuse_lookback_months == 18
    assert (first.previous_value, first.value, second.previous_value, second.value) == \
        ("12", "24", "24", "18")
    assert first.rule_version_before == engine.DEFAULT.version
    assert second.rule_version_after == rule_table_current().version != engine.DEFAULT.version
    history = RuleSetting.objects.filter(name="domestic_abuse_lookback_months")
    assert history.count() == 2 and history.filter(is_current=True).get() == second
    assert second.created_by == manager and second.reason == "Review after one month"
    event = AuditEvent.objects.filter(object_type="rule_setting").latest("at")
    assert event.actor == manager and event.reason == "Review after one month"
    assert event.detail["previous"] == 24 and event.detail["value"] == 18


@pytest.mark.parametrize("name,value,message", [
    ("domestic_abuse_lookback_months", 6, "from 12 to 60"),   # below the model's floor
    ("cp_plan_ended_lookback_years", 19, "from 5 to 18"),
    ("consent_lookback_years", -1, "from 1 to 18"),
    ("several_concerns_min", 3, "not a setting a manager can change"),
    ("consent_duty_enabled", 0, "not a setting a manager can change"),
])
def test_a_threshold_outside_its_bounds_is_refused(as_of, manager, name, value, message):
    with pytest.raises(DomainError, match=message):
        rule_setting_change(actor=manager, name=name, value=value, reason="Because")
    assert not RuleSetting.objects.exists()
    assert rule_table_current() == engine.DEFAULT


def test_a_change_needs_a_reason_and_a_new_value(as_of, manager):
    with pytest.raises(DomainError, match="reason"):
        rule_setting_change(actor=manager, name="not_seen_months", value=9, reason="  ")
    with pytest.raises(DomainError, match="already 12"):
        rule_setting_change(actor=manager, name="not_seen_months", value=12, reason="No change")
    assert not RuleSetting.objects.exists()


def test_assess_uses_the_current_settings_and_the_run_records_the_effect(as_of, manager):
    old_abuse = with_fact(ordinary_child(), "domestic_abuse_notification", source="police",
                          start=dt.date(2025, 8, 1))  # 16 months before the as-of day
    ordinary = ordinary_child()
    risk_assessment_run(actor=manager, child_ids=None)
    assert latest(old_abuse).tier == 4 and latest(ordinary).tier == 4

    rule_setting_change(actor=manager, name="domestic_abuse_lookback_months", value=24,
                        reason="Partnership decision")
    run = risk_assessment_run_recorded(actor=manager, child_ids=None)

    assessed = latest(old_abuse)
    assert assessed.tier == 2 and assessed.required_actions == ["see_child_within_10_days"]
    assert assessed.rule_version == rule_table_current().version == run.rule_version
    assert assessed.run == run and run.settings["domestic_abuse_lookback_months"] == 24
    assert latest(ordinary).tier == 4
    assert run.children == 2 and run.scope == "all"
    assert run.summary["tier_more_serious"] == 1 and run.summary["tier_unchanged"] == 1
    assert run.summary["gained_actions"] == 1 and run.summary.get("lost_actions", 0) == 0
    assert run.summary["actions"] == {"see_child_within_10_days": {"gained": 1}}
    assert RequiredAction.objects.get(child=old_abuse).code == "see_child_within_10_days"

    rule_setting_change(actor=manager, name="domestic_abuse_lookback_months", value=12,
                        reason="Back to the model")
    back = risk_assessment_run_recorded(actor=manager, child_ids=None)
    assert back.summary["tier_less_serious"] == 1 and back.summary["lost_actions"] == 1
    assert latest(old_abuse).rule_version == engine.DEFAULT.version


# Overrides ----------------------------------------------------------------------------------

def test_an_override_sets_the_tier_until_the_next_review_and_is_audited(as_of, manager):
    child = ordinary_child()  # joined 1 September 2026, never contacted since
    risk_assessment_run(actor=manager, child_ids=[child.pk])
    override = tier_override_create(actor=manager, child=child, tier=2,
                                    rationale="Neighbour reports the child is never seen outside.")
    assert override.expires_on == dt.date(2027, 3, 1), "joined plus tier 2's 6 months"
    assert override.computed_tier == 4 and override.created_by == manager
    assessed = latest(child)
    assert (assessed.tier, assessed.computed_tier, assessed.review_interval_months) == (2, 4, 6)
    assert assessed.next_contact_due == dt.date(2027, 3, 1)
    event = AuditEvent.objects.get(object_type="tier_override")
    assert event.action == "create" and event.actor == manager
    assert list(event.children.values_list("child_id", flat=True)) == [child.pk]

    with clock.as_of(dt.date(2027, 2, 28)):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
        assert latest(child).tier == 2
    with clock.as_of(dt.date(2027, 3, 1)):  # the review day: the rules' tier stands again
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
        assert (latest(child).tier, latest(child).computed_tier) == (4, 4)


def test_an_override_never_goes_below_the_floors_nor_removes_an_action(as_of, manager):
    child = with_fact(ordinary_child(), "child_in_need")
    risk_assessment_run(actor=manager, child_ids=[child.pk])
    assert latest(child).tier == 2
    for tier in (2, 3, 4):
        with pytest.raises(DomainError, match="The rules give tier 2"):
            tier_override_create(actor=manager, child=child, tier=tier,
                                 rationale="The plan is about to close, says the social worker.")
    tier_override_create(actor=manager, child=child, tier=1,
                         rationale="Escalating concerns shared at the strategy discussion.")
    assessed = latest(child)
    assert assessed.tier == 1 and assessed.required_actions == ["alert_social_care"]


def test_an_override_that_data_overtakes_leaves_the_floor_in_force(as_of, manager):
    child = ordinary_child()
    tier_override_create(actor=manager, child=child, tier=3,
                         rationale="Worries raised by the health visitor at the last visit.")
    with_fact(child, "child_protection_plan", start=dt.date(2026, 11, 1))
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    assert (latest(child).tier, latest(child).computed_tier) == (1, 1)


def test_an_override_needs_a_written_rationale(as_of, manager):
    child = ordinary_child()
    with pytest.raises(DomainError, match="at least 30 characters"):
        tier_override_create(actor=manager, child=child, tier=2, rationale="Gut feeling")
    assert not child.overrides.exists()


def test_a_manager_can_end_an_override_early(as_of, manager):
    child = ordinary_child()
    override = tier_override_create(actor=manager, child=child, tier=1,
                                    rationale="Police intelligence about an adult in the home.")
    assert latest(child).tier == 1
    with pytest.raises(DomainError, match="reason"):
        tier_override_end(actor=manager, override=override, reason="")
    tier_override_end(actor=manager, override=override, reason="Intelligence was about another address")
    override.refresh_from_db()
    assert override.ended_on == as_of and override.ended_by == manager
    assert latest(child).tier == 4
    event = AuditEvent.objects.filter(object_type="tier_override", action="update").get()
    assert event.reason == "Intelligence was about another address"
    with pytest.raises(DomainError, match="already ended"):
        tier_override_end(actor=manager, override=override, reason="Again")


def test_a_new_override_replaces_the_one_in_force(as_of, manager):
    child = ordinary_child()
    first = tier_override_create(actor=manager, child=child, tier=3,
                                 rationale="Some worry raised by the school nurse last week.")
    second = tier_override_create(actor=manager, child=child, tier=1,
                                  rationale="Now a police report about the family as well.")
    first.refresh_from_db()
    assert first.ended_on == as_of and first.end_reason == "Replaced by a new override"
    assert second.ended_on is None and latest(child).tier == 1


def test_a_replay_before_the_override_was_made_ignores_it(as_of, manager):
    child = ordinary_child()
    tier_override_create(actor=manager, child=child, tier=2,
                         rationale="Neighbour reports the child is never seen outside.")
    with clock.as_of(as_of - dt.timedelta(days=1)):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
        assert latest(child).tier == 4


def test_the_run_stores_the_settings_it_used(as_of):
    ordinary_child()
    run = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)
    assert run.settings == dataclasses.asdict(engine.RuleSettings())
    assert run.rule_version == engine.DEFAULT.version
    assert AssessmentRun.objects.get() == run and run.actor_label == "system: command line (system)"


def test_a_run_stores_text_as_it_is_and_retires_only_its_own_childrens_latest(as_of):
    """Rows go in as COPY text on PostgreSQL: a backslash, tab or newline in a reason (here
    from an agency's source name) comes back unchanged. A chunk is read by key range: a closed
    record inside that range keeps its latest assessment and its open actions."""
    ordinary_child(id=uuid.UUID(int=1))
    closed = ordinary_child(id=uuid.UUID(int=2), joined_register_date=dt.date(2025, 1, 6))
    odd = with_fact(ordinary_child(id=uuid.UUID(int=3)), "child_in_need",
                    source="social\\care\tnorth\nteam")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    assert any("social\\care\tnorth\nteam" in r for r in latest(odd).reasons)
    assert latest(closed).required_actions == ["arrange_visit"]
    closed.status = "returned_to_school"
    closed.save(update_fields=["status"])
    run = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)
    assert run.children == 2 and run.summary["tier_unchanged"] == 2
    assert latest(closed).run != run and latest(odd).run == run
    assert RequiredAction.objects.get(child=closed).state == RequiredAction.State.OPEN
    assert Assessment.objects.filter(child=odd).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_whole_register_run_in_several_chunks_commits_each(as_of, monkeypatch):
    """Chunks read by key range, each stored in its own transaction: every chunk is stored,
    the previous latest retired and the summary counted across chunks."""
    from notinschool.workflow import assessment

    monkeypatch.setattr(assessment, "_CHUNK", 2)
    children = [ordinary_child() for _ in range(5)]
    with_fact(children[0], "child_in_need")
    first = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)
    second = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None)
    assert (first.children, second.children) == (5, 5)
    assert first.summary["first_assessed"] == 5 and second.summary["tier_unchanged"] == 5
    assert Assessment.objects.filter(is_latest=True, run=second).count() == 5
    assert Assessment.objects.count() == 10
    assert RequiredAction.objects.get(child=children[0]).code == "alert_social_care"
