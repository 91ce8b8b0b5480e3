"""Whole assessments: determinism, replay, serialisation, overrides and speed."""

import json
import random
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest

from notinschool.risk.engine import DEFAULT, apply_override, assess, assess_all

from .builders import AS_OF, contact, fact, ordinary, run, with_facts


def busy_child():
    return with_facts(
        fact("child_in_need", date(2026, 1, 12), ref="sc-1"),
        fact("domestic_abuse_notification", date(2026, 5, 9), source="police", ref="po-7"),
        fact("was_not_brought", date(2026, 2, 10), source="health", ref="h-1"),
        fact("was_not_brought", date(2026, 7, 14), source="health", ref="h-2"),
        fact("child_protection_plan", date(2025, 1, 6), date(2025, 8, 1), household=True),
        sen_provision="E",
        contacts=(contact(date(2026, 10, 5), seen=True, alone=False, method="home_visit"),
                  contact(date(2026, 10, 20), "no_reply"),
                  contact(date(2026, 11, 3), "no_reply")),
    )


def test_same_facts_and_day_give_the_same_assessment():
    assert run(busy_child()) == run(busy_child())


def test_the_order_of_the_facts_does_not_matter():
    child = busy_child()
    rng = random.Random(7)
    for _ in range(5):
        facts, contacts = list(child.agency_facts), list(child.contacts)
        rng.shuffle(facts)
        rng.shuffle(contacts)
        shuffled = replace(child, agency_facts=tuple(facts), contacts=tuple(contacts))
        assert run(shuffled) == run(child)


def test_assess_all_gives_what_assess_gives():
    children = [ordinary(), busy_child(), ordinary(status="cme")]
    assert list(assess_all(children, as_of=AS_OF)) == [run(c) for c in children]


def test_a_replay_ignores_what_happened_after_the_as_of_date():
    child = with_facts(fact("child_protection_plan", date(2026, 11, 2)),
                       contacts=(contact(date(2026, 10, 5), seen=True, method="home_visit"),
                                 contact(date(2026, 11, 10), "declined")))
    before = run(child, as_of=date(2026, 10, 30))
    assert (before.tier, before.flags, before.required_actions) == (4, (), ())
    assert run(child).tier == 1


def test_the_busy_child_explains_itself():
    a = run(busy_child())
    assert a.tier == 1
    assert a.flags == ("child_in_need", "domestic_abuse_notification", "no_contact_response",
                       "was_not_brought")
    assert a.required_actions == ("alert_social_care", "professionals_meeting",
                                  "see_child_within_10_days", "share_with_health")
    assert len(a.reasons) == 6  # CIN, DA, health, EHCP, no response, the combination
    evidence = {f.rule: f.evidence for f in a.fired}
    assert evidence["health_not_brought"] == ("h-1", "h-2")
    assert evidence["several_concerns"] == ("h-1", "h-2", "po-7", "sc-1")
    assert (a.last_seen_date, a.seen_alone) == (date(2026, 10, 5), False)


def test_an_unknown_indicator_is_ignored():
    a = run(with_facts(fact("library_fines", date(2026, 1, 1), source="library")))
    assert (a.tier, a.flags) == (4, ())


def test_police_indicators_are_flagged_without_changing_the_tier_and_a_parents_are_not():
    a = run(with_facts(fact("police_concern", date(2026, 6, 1), source="police"),
                       fact("parental_mental_health", date(2026, 6, 1), source="health",
                            household=True)))
    assert a.tier == 4
    assert a.flags == ("police_concern",), "household flags are the risk model's plans only"
    assert a.required_actions == ()


def test_the_assessment_is_json_ready():
    data = run(busy_child()).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rules_version"] == DEFAULT.version
    assert data["next_contact_due"] == "2027-01-05"  # seen on 5 Oct + 3 months


def test_the_assessment_records_the_rule_version():
    rules = DEFAULT.with_settings(not_seen_months=18)
    assert run(ordinary(), rules=rules).rules_version == rules.version != DEFAULT.version


# --- overrides -----------------------------------------------------------------------------


def test_a_manager_can_override_the_tier_with_a_rationale():
    computed = run(ordinary(sen_provision="E"))
    a = apply_override(computed, tier=4, rationale="EHC plan ceased at annual review; letter "
                       "from the SEN team on file.")
    assert (a.tier, a.review_interval_months, a.computed_tier) == (4, 12, 3)
    assert a.next_contact_due == date(2027, 10, 5)
    assert a.override is not None
    assert a.override.expires == date(2027, 10, 5)  # the next review
    assert (a.flags, a.required_actions, a.reasons) == (
        computed.flags, computed.required_actions, computed.reasons)


def test_an_override_keeps_an_earlier_date_set_by_an_action():
    computed = run(with_facts(fact("domestic_abuse_notification", date(2026, 11, 18),
                                   source="police", received=date(2026, 11, 19))))
    assert computed.next_contact_due == date(2026, 12, 3)
    a = apply_override(computed, tier=3, rationale="Known incident, partner left.")
    assert a.next_contact_due == date(2026, 12, 3)


def test_an_override_needs_a_rationale_and_a_real_tier():
    computed = run(ordinary())
    with pytest.raises(ValueError, match="rationale"):
        apply_override(computed, tier=2, rationale="  ")
    with pytest.raises(ValueError, match="tier"):
        apply_override(computed, tier=5, rationale="why")


def test_a_lapsed_override_leaves_the_computed_assessment():
    computed = run(ordinary())
    assert apply_override(computed, tier=2, rationale="why", expires=AS_OF) == computed
    a = apply_override(computed, tier=2, rationale="why", expires=AS_OF + timedelta(days=1))
    assert a.tier == 2


def test_an_overdue_child_keeps_the_override_until_a_review_can_happen():
    computed = run(ordinary(contacts=(), deletions=(), upn_known=True,
                            joined_date=date(2025, 6, 2)))
    a = apply_override(computed, tier=4, rationale="Seen at the library group, recorded.")
    assert a.override is not None
    assert a.override.expires == date(2027, 11, 20)  # as-of + 12 months


def test_an_override_must_use_the_rules_that_made_the_assessment():
    computed = run(ordinary())
    with pytest.raises(ValueError, match="rule table"):
        apply_override(computed, tier=2, rationale="why",
                       rules=DEFAULT.with_settings(not_seen_months=6))


# --- speed ---------------------------------------------------------------------------------


def test_twenty_thousand_children_are_assessed_quickly():
    rng = random.Random(1)
    kinds = [ordinary(), busy_child(), ordinary(sen_provision="E"),
             with_facts(fact("child_protection_plan", date(2026, 3, 2)))]
    children = [replace(kinds[0] if rng.random() < 0.85 else rng.choice(kinds),
                        child_ref=f"NIS-{i:06d}",
                        joined_date=date(2024, 1, 1) + timedelta(days=rng.randrange(1000)))
                for i in range(20_000)]
    assess(children[0], as_of=AS_OF)  # load the bank holidays once
    started = time.process_time()
    results = list(assess_all(children, as_of=AS_OF))
    elapsed = time.process_time() - started
    assert len(results) == 20_000
    # A loose guard (about 0.5s here): 200,000 children must stay well under 10s.
    assert elapsed < 2.5, f"{elapsed:.2f}s for 20,000 children"
