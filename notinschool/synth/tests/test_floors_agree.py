"""The synthetic generator's truth and the risk engine's rule table agree, row by row.

The generator works out each child's floor tier and actions on its own (`synth.truth`), so a
wrong rule in the engine cannot agree with itself in the truth check. But the two tables are
written twice, so this test ties them: a rule added to one and not the other, or a tier or an
action that differs, fails here. The one hand-written piece is the correspondence between the
generator's factor names and the engine's rule codes below; each engine rule the generator
does not plant is listed with the reason."""

from notinschool.risk.engine import DEFAULT
from notinschool.synth import truth

# the generator's factor -> the engine's rule code
SAME_RULE = {
    "current_cp_s47_or_looked_after": "current_child_protection",
    "current_child_in_need": "current_child_in_need",
    "cp_plan_ended_within_5_years": "child_protection_plan_ended",
    "exploitation_or_missing_within_12_months": "exploitation_or_missing",
    "domestic_abuse_within_12_months": "domestic_abuse",
    "household_plan": "household_social_care",
    "missed_health_or_no_gp": "health_not_brought",
    "health_concern": "health_concern",
    "ehcp": "education_health_care_plan",
    "never_on_school_roll": "never_on_school_roll",
    "declined_or_no_reply": "no_contact_response",
}
# engine rules the generator models outside FLOORS (each compared below)
MODELLED_APART = {"several_concerns", "not_seen", "consent_required", "cme_enquiries",
                  "request_information"}
# engine rules the generator never plants, and why
NOT_PLANTED = {
    # a decision on the evidence after contact, not a fact in any file the generator writes
    "consider_preliminary_notice",
}


def rules() -> dict:
    return {r.code: r for r in DEFAULT.rules}


def test_every_generator_floor_is_the_engines_floor():
    table = rules()
    assert set(SAME_RULE) == set(truth.FLOORS), "a floor was added to or removed from the generator"
    for factor, (tier, actions) in truth.FLOORS.items():
        rule = table[SAME_RULE[factor]]
        assert rule.effect == "floor", factor
        assert (rule.tier, tuple(sorted(rule.actions))) == (tier, tuple(sorted(actions))), factor


def test_every_engine_rule_is_modelled_by_the_generator_or_said_not_to_be():
    accounted = set(SAME_RULE.values()) | MODELLED_APART | NOT_PLANTED
    assert set(rules()) == accounted, (
        "a rule was added to the engine without the generator's truth (synth/truth.py), or "
        "the other way round: model it there, or say here why the generator does not plant it")


def test_the_combination_and_not_seen_rules_agree():
    table = rules()
    several = table["several_concerns"]
    assert (several.tier, several.actions) == truth.SEVERAL_CONCERNS
    assert DEFAULT.settings.several_concerns_min == truth.SEVERAL_CONCERNS_MIN
    not_seen = table["not_seen"]
    assert not_seen.effect == "one_more_serious" and not_seen.actions == truth.NOT_SEEN_ACTIONS
    assert DEFAULT.settings.not_seen_months == 12  # the generator's line is a year ago (Clock)


def test_the_statutory_actions_agree():
    table = rules()
    for code in truth.STATUTORY_ACTIONS:
        assert table[code].effect == "actions" and table[code].actions == (code,), code
