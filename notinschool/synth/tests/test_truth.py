"""truth.csv and truth.json describe the data exactly, and the planted patterns are there."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from notinschool.synth import PATTERNS
from notinschool.synth.dates import is_compulsory_school_age
from notinschool.synth.noise import KINDS

from .conftest import AS_OF, CHILDREN
from .test_files import AGENCY_FILES, ALL_FILES

OPEN = {"ehe", "cme", "not_in_school_other"}
# pattern -> (floor tier, actions that must be there, flags that must be there)
ALONE = {
    "child_protection_plan": (1, {"alert_social_care", "see_child_within_10_days"},
                              {"child_protection_plan"}),
    "section_47_enquiry": (1, {"alert_social_care", "see_child_within_10_days"},
                           {"section_47_enquiry"}),
    "looked_after": (1, {"alert_social_care", "see_child_within_10_days"}, {"looked_after"}),
    "child_in_need": (2, {"alert_social_care"}, {"child_in_need"}),
    "cp_plan_ended_within_5_years": (2, {"alert_social_care"}, {"child_protection_plan_ended"}),
    "cp_plan_ended_over_5_years": (4, set(), set()),
    "exploitation_concern": (1, {"alert_social_care", "see_child_within_10_days"},
                             {"exploitation_concern"}),
    "missing_episode": (1, {"alert_social_care", "see_child_within_10_days"}, {"missing_episode"}),
    "missing_episode_over_12_months": (4, set(), set()),
    "domestic_abuse_notification": (2, {"see_child_within_10_days"},
                                    {"domestic_abuse_notification"}),
    "sibling_child_protection_plan": (2, {"alert_social_care"},
                                      {"household_child_protection_plan"}),
    "step_sibling_child_protection_plan": (2, {"alert_social_care"},
                                           {"household_child_protection_plan"}),
    "sibling_child_in_need": (2, {"alert_social_care"}, {"household_child_in_need"}),
    "was_not_brought_twice": (2, {"share_with_health"}, {"was_not_brought"}),
    "not_registered_with_gp": (2, {"share_with_health"}, {"not_registered_with_gp"}),
    "health_concern": (3, {"share_with_health"}, {"health_concern"}),
    "physical_health_reason": (3, {"share_with_health"}, set()),
    "ehcp_at_school": (3, set(), set()),
    "ehcp_agency": (3, set(), {"education_health_care_plan"}),
    "never_on_school_roll": (3, set(), {"never_on_school_roll"}),
    "known_only_to_health": (2, {"share_with_health"}, {"never_on_school_roll", "was_not_brought"}),
    "not_seen_12_months": (3, {"arrange_visit"}, {"not_seen_12_months"}),
    "declined_contact": (2, {"professionals_meeting"}, {"no_contact_response"}),
    "no_reply_twice": (2, {"professionals_meeting"}, {"no_contact_response"}),
    "two_tier2_factors": (1, {"professionals_meeting", "alert_social_care"}, set()),
    "consent_cp_plan": (1, {"consent_required", "alert_social_care"}, {"child_protection_plan"}),
    "consent_special_placement": (3, {"consent_required"}, set()),
    "previous_address_missing": (4, {"request_information"}, set()),
    "lookalike_on_plan": (4, set(), set()),
    "parental_mental_health": (4, set(), set()),
    "parental_substance_misuse": (4, set(), set()),
    "police_concern": (4, set(), set()),
    "temporary_accommodation": (4, set(), set()),
    "young_carer": (4, set(), set()),
    "online_only_contact": (4, set(), set()),
}  # fmt: skip


def test_every_pattern_is_planted(authority):
    counts = authority.truth["pattern_counts"]
    assert set(PATTERNS) == set(ALONE)
    for name in PATTERNS:
        assert counts.get(name, 0) >= 1, name


def test_patterns_get_their_floor_and_actions(authority):
    """A child planted with P gets at least P's floor, actions and flags; a pattern that meets
    no floor leaves a child with no other factor at tier 4 with no actions."""
    checked: Counter[str] = Counter()
    for child in authority.children():
        if len(child["patterns"]) != 1:
            continue
        name = child["patterns"][0]
        tier, actions, flags = ALONE[name]
        assert child["expected_status"] in OPEN, child
        assert child["floor_tier"] <= tier, child
        assert actions <= set(child["required_actions"]), child
        assert flags <= set(child["flags"]), child
        if tier == 4 and not actions and not child["factors"]:
            assert child["floor_tier"] == 4 and not child["required_actions"], child
        checked[name] += 1
    assert set(checked) == set(ALONE)


def test_old_facts_raise_no_flag(authority):
    for child in authority.children():
        if "cp_plan_ended_over_5_years" in child["patterns"]:
            assert "child_protection_plan_ended" not in child["flags"] + child["other_flags"]
        if "missing_episode_over_12_months" in child["patterns"]:
            assert "missing_episode" not in child["flags"] + child["other_flags"]


def test_ordinary_children_are_the_majority_and_stay_at_tier_4(authority):
    children = authority.children()
    ordinary = [c for c in children if c["ordinary"]]
    assert len(ordinary) > 0.6 * len(children)
    for c in ordinary:
        assert c["expected_status"] == "ehe"
        assert c["floor_tier"] == 4 and c["required_actions"] == [] and c["flags"] == []
        assert dt.date.fromisoformat(c["last_seen_date"]) > AS_OF - dt.timedelta(days=340)


def test_statuses_and_routes(authority):
    statuses = authority.truth["status_counts"]
    for status in ("ehe", "cme", "not_in_school_other", "returned_to_school", "not_registered"):
        assert statuses.get(status, 0) > 0, status
    assert sum(statuses.values()) == CHILDREN == len(authority.children())
    reasons = {c["not_registered_reason"] for c in authority.children()}
    assert {"destination_school_given", "not_compulsory_school_age"} <= reasons
    for c in authority.children():
        if c["expected_status"] == "cme":
            assert "cme_enquiries" in c["required_actions"]


def test_registered_children_are_of_compulsory_school_age(authority):
    for c in authority.children():
        dob = dt.date.fromisoformat(c["date_of_birth"])
        joined = dt.date.fromisoformat(c["joined"])
        if c["expected_status"] in OPEN:
            assert is_compulsory_school_age(dob, joined) and is_compulsory_school_age(dob, AS_OF)
        if c["not_registered_reason"] == "not_compulsory_school_age":
            assert not is_compulsory_school_age(dob, joined)


def test_truth_rows_point_at_every_real_row(authority):
    seen = defaultdict(set)
    for r in authority.rows("truth.csv"):
        seen[r["file"]].add(int(r["row"]))
        kinds = [k for k in r["noise"].split(";") if k]
        assert len(kinds) <= 2 and set(kinds) <= set(KINDS), r
    for name in ALL_FILES:
        n = len(authority.rows(name))
        assert seen[name] == set(range(2, n + 2)), name
    assert authority.summary["files"]["truth.csv"] == sum(len(v) for v in seen.values())


def test_exact_rows_carry_the_childs_identity(authority):
    """Rows with no noise show the child's legal names and birth date."""
    truth = {(r["file"], int(r["row"])): r for r in authority.rows("truth.csv")}
    people = {c["person_id"]: c for c in authority.children()}
    for name in ("roll-deletions.csv", "parent-registrations.csv", *AGENCY_FILES):
        for i, row in enumerate(authority.rows(name), start=2):
            t = truth[(name, i)]
            child = people.get(t["person_id"])
            if child is None or t["noise"]:
                continue
            assert (row["forename"], row["surname"], row["date_of_birth"]) == (
                child["forename"], child["surname"], child["date_of_birth"]), (name, i)  # fmt: skip


def test_every_intake_child_is_in_the_intake_files(authority):
    intake = {"roll-deletions.csv", "school-admissions.csv", "parent-registrations.csv",
              "referrals.csv"}  # fmt: skip
    named = {r["person_id"] for r in authority.rows("truth.csv") if r["file"] in intake}
    assert named == {c["person_id"] for c in authority.children()}


def test_twins_are_two_people(authority):
    twins = authority.truth["twins"]
    assert twins
    people = {c["person_id"]: c for c in authority.children()}
    for a, b in twins:
        assert a != b
        ca, cb = people[a], people[b]
        assert ca["date_of_birth"] == cb["date_of_birth"] and ca["surname"] == cb["surname"]
        assert ca["forename"] != cb["forename"]
        assert ca["twin_of"] == b and cb["twin_of"] == a
        assert {a, b} <= set(next(g for g in authority.truth["sibling_groups"] if a in g))


def test_step_siblings_have_different_surnames(authority):
    people = {c["person_id"]: c for c in authority.children()}
    found = 0
    for group in authority.truth["sibling_groups"]:
        if len({people[p]["surname"] for p in group}) > 1:
            found += 1
    assert found


def test_lookalikes_share_only_a_name(authority):
    pairs = authority.truth["lookalikes"]
    assert pairs
    people = {c["person_id"]: c for c in authority.children()}
    by_person = defaultdict(list)
    for name in AGENCY_FILES:
        truth = [r for r in authority.rows("truth.csv") if r["file"] == name]
        for t, row in zip(truth, authority.rows(name), strict=True):
            by_person[t["person_id"]].append(row)
    for mine, other in pairs:
        child, rows = people[mine], by_person[other]
        assert any(r["indicator"] == "child_protection_plan" and not r["end_date"] for r in rows)
        for r in rows:
            assert (r["forename"], r["surname"]) == (child["forename"], child["surname"])
            assert r["date_of_birth"] != child["date_of_birth"]
            assert r["postcode"] != child["postcode"]
        assert people[mine]["ordinary"]


def test_families_moved_and_parents_elsewhere(authority):
    rows = authority.rows("parent-registrations.csv")
    assert any(r["previous_postcode"] for r in rows)
    assert any(r["parent2_postcode"] and r["parent2_postcode"] != r["postcode"] for r in rows)
    recent = [
        r
        for r in rows
        if r["moved_in_date"] and dt.date.fromisoformat(r["moved_in_date"]) > AS_OF - dt.timedelta(days=365)
    ]
    assert recent  # fmt: skip


def test_names_vary(authority):
    rows = authority.rows("roll-deletions.csv")
    assert any("-" in r["surname"] for r in rows)
    assert any(r["middle_names"] for r in rows)
    assert any(not r["forename"].isascii() or not r["surname"].isascii() for r in rows)
    assert len({r["ethnicity"] for r in rows}) >= 8
    noise = Counter(k for r in authority.rows("truth.csv") for k in r["noise"].split(";") if k)
    assert set(noise) == set(KINDS)
