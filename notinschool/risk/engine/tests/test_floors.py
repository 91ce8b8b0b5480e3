"""One or more tests per row of the model's floors table (docs/risk-model.md), with real dates.

As of Friday 20 November 2026; the ordinary child left school for home education on
14 September 2026 and was visited, and seen alone, on 5 October 2026.
"""

from datetime import date

import pytest

from notinschool.risk.engine import DEFAULT, DeletionFact

from .builders import AS_OF, JOINED, contact, fact, ordinary, run, with_facts

# --- the ordinary family -----------------------------------------------------------------


def test_ordinary_child_is_tier_4_with_no_flags_and_no_actions():
    a = run(ordinary())
    assert a.tier == 4
    assert a.review_interval_months == 12
    assert a.flags == ()
    assert a.required_actions == ()
    assert a.reasons == ()
    assert a.deadlines == {}
    assert a.fired == ()
    assert a.next_contact_due == date(2027, 10, 5)  # the visit + 12 months


def test_ordinary_child_without_contacts_is_due_a_year_after_joining():
    a = run(ordinary(contacts=()))
    assert (a.tier, a.next_contact_due) == (4, date(2027, 9, 14))


def test_benign_health_and_education_facts_change_nothing():
    a = run(with_facts(
        fact("was_not_brought", date(2026, 6, 1), source="health"),
        fact("immunisations_incomplete", date(2020, 1, 1), source="health"),
        fact("sen_support", date(2024, 9, 1), source="education"),
        fact("child_in_need", date(2019, 1, 1), date(2020, 1, 1)),  # long over
    ))
    assert (a.tier, a.flags, a.required_actions, a.reasons) == (4, (), (), ())


# --- current child protection plan, section 47 enquiry, or looked after: tier 1 ----------


@pytest.mark.parametrize(
    ("indicator", "reason"),
    [
        ("child_protection_plan", "Current child protection plan (social care)."),
        ("section_47_enquiry", "Current section 47 enquiry (social care)."),
        ("looked_after", "Current looked-after status (social care)."),
    ],
)
def test_current_child_protection_is_tier_1(indicator, reason):
    # Deleted from roll for home education while on it, so consent is required as well
    # (looked after is not a consent condition).
    a = run(with_facts(fact(indicator, date(2026, 3, 2))))
    consent = ("consent_required",) if indicator != "looked_after" else ()
    assert a.tier == 1
    assert a.review_interval_months == 3
    assert a.required_actions == tuple(
        sorted(("alert_social_care", "see_child_within_10_days", *consent)))
    assert a.flags == (indicator,)
    assert a.reasons == (reason,)
    assert a.fired_rules[0] == "current_child_protection"


def test_a_plan_ending_on_the_as_of_date_is_still_current():
    a = run(with_facts(fact("child_protection_plan", date(2025, 3, 2), AS_OF)))
    assert a.tier == 1
    assert a.flags == ("child_protection_plan",)


def test_a_plan_that_ended_yesterday_is_not_current_but_ended():
    a = run(with_facts(fact("child_protection_plan", date(2025, 3, 2), date(2026, 11, 19))))
    assert a.tier == 2
    assert a.flags == ("child_protection_plan_ended",)
    assert a.fired_rules == ("child_protection_plan_ended", "consent_required")


def test_a_plan_starting_after_the_as_of_date_is_ignored():
    a = run(with_facts(fact("child_protection_plan", date(2026, 11, 21))))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())


# --- current child in need plan: tier 2 ---------------------------------------------------


def test_current_child_in_need_plan_is_tier_2():
    a = run(with_facts(fact("child_in_need", date(2026, 1, 12))))
    assert a.tier == 2
    assert a.review_interval_months == 6
    assert a.required_actions == ("alert_social_care",)
    assert a.flags == ("child_in_need",)
    assert a.reasons == ("Current child in need plan (social care).",)


# --- child protection plan ended within the last 5 years: tier 2 -------------------------


def test_plan_ended_exactly_5_years_ago_is_tier_2():
    a = run(with_facts(fact("child_protection_plan", date(2020, 6, 1), date(2021, 11, 20))))
    assert a.tier == 2
    assert a.required_actions == ("alert_social_care", "consent_required")
    assert a.flags == ("child_protection_plan_ended",)
    assert a.reasons == (
        "Child protection plan ended on 20 November 2021, within 5 years (social care).",
    )


def test_plan_ended_5_years_and_1_day_ago_is_tier_4():
    # For the tier, 5 years count back from the as-of date (20 Nov 2021). The consent
    # look-back counts from the deletion date (14 Sep 2026 -> 14 Sep 2021), so the withdrawal
    # in September still needed consent.
    a = run(with_facts(fact("child_protection_plan", date(2020, 6, 1), date(2021, 11, 19))))
    assert (a.tier, a.flags, a.reasons) == (4, (), ())
    assert a.required_actions == ("consent_required",)
    not_ehe = with_facts(fact("child_protection_plan", date(2020, 6, 1), date(2021, 11, 19)),
                         deletions=(DeletionFact(JOINED, "other"),))
    assert run(not_ehe).required_actions == ()


def test_the_plan_look_back_is_a_setting():
    rules = DEFAULT.with_settings(cp_plan_ended_lookback_years=3)
    child = with_facts(fact("child_protection_plan", date(2020, 6, 1), date(2022, 11, 20)))
    assert run(child).tier == 2
    assert run(child, rules=rules).tier == 4


# --- exploitation concern or missing episode within 12 months: tier 1 --------------------


def test_exploitation_concern_within_12_months_is_tier_1():
    a = run(with_facts(fact("exploitation_concern", date(2026, 8, 3), source="exploitation")))
    assert a.tier == 1
    assert a.required_actions == ("alert_social_care", "see_child_within_10_days")
    assert a.flags == ("exploitation_concern",)
    assert a.reasons == ("Exploitation concern within the last 12 months (exploitation).",)


def test_missing_episode_that_ended_11_months_ago_is_tier_1():
    a = run(with_facts(
        fact("missing_episode", date(2025, 12, 18), date(2025, 12, 20), source="police")))
    assert a.tier == 1
    assert a.flags == ("missing_episode",)


def test_open_exploitation_concern_from_2_years_ago_is_current_so_tier_1():
    a = run(with_facts(fact("exploitation_concern", date(2024, 11, 1), source="exploitation")))
    assert a.tier == 1


def test_exploitation_concern_ended_13_months_ago_is_not_counted():
    a = run(with_facts(
        fact("exploitation_concern", date(2025, 1, 6), date(2025, 10, 20), source="exploitation")))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())


def test_missing_episode_ending_exactly_12_months_ago_counts():
    a = run(with_facts(fact("missing_episode", date(2025, 11, 18), date(2025, 11, 20))))
    assert a.tier == 1


# --- domestic abuse notification within 12 months: tier 2 --------------------------------


def test_domestic_abuse_notification_within_12_months_is_tier_2():
    a = run(with_facts(fact("domestic_abuse_notification", date(2026, 5, 9), source="police")))
    assert a.tier == 2
    assert a.required_actions == ("see_child_within_10_days",)
    assert a.flags == ("domestic_abuse_notification",)
    assert a.reasons == ("Domestic abuse notification within the last 12 months (police).",)


def test_domestic_abuse_notification_exactly_12_months_ago_counts():
    a = run(with_facts(fact("domestic_abuse_notification", date(2025, 11, 20), source="police")))
    assert a.tier == 2


def test_domestic_abuse_notification_12_months_and_a_day_ago_does_not():
    # No end date: a notification is an event on its date, not a current state for ever.
    a = run(with_facts(fact("domestic_abuse_notification", date(2025, 11, 19), source="police")))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())


# --- household member with a current plan: tier 2 ----------------------------------------


def test_household_child_protection_plan_is_tier_2_with_household_flag():
    a = run(with_facts(fact("child_protection_plan", date(2026, 2, 2), household=True)))
    assert a.tier == 2
    assert a.required_actions == ("alert_social_care",)
    assert a.flags == ("household_child_protection_plan",)
    assert a.reasons == (
        "Current child protection plan for a member of the household (social care).",
    )


def test_household_child_in_need_plan_is_tier_2():
    a = run(with_facts(fact("child_in_need", date(2026, 2, 2), household=True)))
    assert a.tier == 2
    assert a.flags == ("household_child_in_need",)


def test_household_plan_that_has_ended_gives_neither_a_flag_nor_a_tier():
    a = run(with_facts(
        fact("child_protection_plan", date(2023, 2, 2), date(2024, 2, 2), household=True)))
    assert a.tier == 4
    assert a.flags == ()
    assert a.required_actions == ()


def test_household_health_records_are_not_the_childs_flags():
    a = run(with_facts(
        fact("not_registered_with_gp", date(2026, 1, 1), source="health", household=True),
        fact("was_not_brought", date(2026, 6, 1), source="health", household=True),
        fact("was_not_brought", date(2026, 7, 1), source="health", household=True),
    ))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())


# --- was-not-brought twice within 12 months, or no GP: tier 2 ----------------------------


def test_two_was_not_brought_within_12_months_is_tier_2():
    a = run(with_facts(
        fact("was_not_brought", date(2026, 2, 10), source="health"),
        fact("was_not_brought", date(2026, 7, 14), source="health"),
    ))
    assert a.tier == 2
    assert a.required_actions == ("share_with_health",)
    assert a.flags == ("was_not_brought",)
    assert a.reasons == (
        "Not brought to 2 health appointments within the last 12 months (health).",
    )


def test_one_was_not_brought_is_no_concern():
    a = run(with_facts(fact("was_not_brought", date(2026, 7, 14), source="health")))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())


def test_was_not_brought_outside_12_months_does_not_count():
    a = run(with_facts(
        fact("was_not_brought", date(2025, 11, 19), source="health"),
        fact("was_not_brought", date(2026, 7, 14), source="health"),
    ))
    assert (a.tier, a.flags) == (4, ())


def test_not_registered_with_a_gp_is_tier_2():
    a = run(with_facts(fact("not_registered_with_gp", date(2025, 4, 1), source="health")))
    assert a.tier == 2
    assert a.required_actions == ("share_with_health",)
    assert a.flags == ("not_registered_with_gp",)
    assert a.reasons == ("Not registered with a GP (health).",)


# --- health concern, or physical health as the reason: tier 3 ----------------------------


def test_health_concern_is_tier_3():
    a = run(with_facts(fact("health_concern", date(2026, 4, 1), source="health")))
    assert a.tier == 3
    assert a.review_interval_months == 9
    assert a.required_actions == ("share_with_health",)
    assert a.flags == ("health_concern",)
    assert a.reasons == ("Health concern recorded (health).",)


def test_physical_health_as_the_reason_is_tier_3():
    a = run(ordinary(ehe_reason="physical_health"))
    assert a.tier == 3
    assert a.required_actions == ("share_with_health",)
    assert a.flags == ()
    assert a.reasons == ("Physical health given as the reason for home education.",)


def test_mental_health_as_the_reason_is_not_a_factor():
    assert run(ordinary(ehe_reason="mental_health")).tier == 4


# --- education, health and care plan: tier 3 ---------------------------------------------


def test_ehc_plan_from_an_agency_is_tier_3_with_a_flag():
    a = run(with_facts(fact("education_health_care_plan", date(2023, 5, 1), source="education")))
    assert a.tier == 3
    assert a.required_actions == ()
    assert a.flags == ("education_health_care_plan",)


def test_ehc_plan_on_the_deletion_return_is_tier_3():
    a = run(ordinary(sen_provision="E"))
    assert a.tier == 3
    assert a.required_actions == ()
    assert a.reasons == ("Education, health and care plan (school).",)


def test_sen_support_is_not_a_factor():
    assert run(ordinary(sen_provision="K")).tier == 4


# --- never on the roll of any school: tier 3 ---------------------------------------------


def test_never_on_any_school_roll_is_tier_3():
    a = run(ordinary(deletions=(), upn_known=False, last_school_urn_known=False))
    assert a.tier == 3
    assert a.flags == ("never_on_school_roll",)
    assert a.required_actions == ()


@pytest.mark.parametrize(
    "changes",
    [
        {"upn_known": True},
        {"last_school_urn_known": True},
        {"admission_dates": (date(2022, 9, 5),)},
    ],
)
def test_any_school_record_means_on_a_roll(changes):
    base = {"deletions": (), "upn_known": False, "last_school_urn_known": False}
    assert run(ordinary(**{**base, **changes})).tier == 4


# --- not seen for over 12 months: one tier more serious, applied last --------------------


def test_not_seen_for_12_months_and_a_day_makes_tier_4_into_3():
    child = ordinary(joined_date=date(2025, 9, 1), deletions=(),
                     contacts=(contact(date(2025, 11, 19), seen=True, method="home_visit"),))
    a = run(child)
    assert a.tier == 3
    assert a.required_actions == ("arrange_visit",)
    assert a.flags == ("not_seen_12_months",)
    assert a.reasons == ("Not seen by a professional since 19 November 2025, over 12 months ago.",)
    assert a.last_seen_date == date(2025, 11, 19)


def test_seen_exactly_12_months_ago_is_not_over_12_months():
    child = ordinary(joined_date=date(2025, 9, 1), deletions=(),
                     contacts=(contact(date(2025, 11, 20), seen=True, method="home_visit"),))
    assert run(child).tier == 4


def test_not_seen_makes_tier_2_into_1():
    child = with_facts(fact("child_in_need", date(2025, 1, 6)), joined_date=date(2025, 9, 1),
                       deletions=(), contacts=(contact(date(2025, 10, 1)),))
    a = run(child)
    assert a.tier == 1
    assert a.computed_tier == 1
    assert a.required_actions == ("alert_social_care", "arrange_visit")
    assert a.flags == ("child_in_need", "not_seen_12_months")
    assert a.fired_rules == ("current_child_in_need", "not_seen")


def test_not_seen_makes_tier_3_into_2():
    child = ordinary(sen_provision="E", joined_date=date(2025, 6, 2), deletions=(), contacts=())
    assert run(child).tier == 2


def test_not_seen_leaves_tier_1_at_1():
    child = with_facts(fact("child_protection_plan", date(2025, 1, 6)),
                       joined_date=date(2025, 6, 2), deletions=(), contacts=())
    assert run(child).tier == 1


def test_never_seen_counts_from_joining_the_register():
    recent = ordinary(deletions=(), contacts=(), joined_date=date(2026, 2, 2))
    old = ordinary(deletions=(), contacts=(), joined_date=date(2025, 11, 19))
    assert run(recent).tier == 4
    a = run(old)
    assert a.tier == 3
    assert a.last_seen_date is None
    assert a.reasons == ("No record of the child being seen since joining the register on "
                         "19 November 2025, over 12 months ago.",)


def test_a_roll_deletion_or_admission_counts_as_seen():
    deleted = ordinary(joined_date=date(2025, 1, 6), contacts=(),
                       deletions=(DeletionFact(date(2026, 1, 6), "other"),))
    a = run(deleted)
    assert (a.tier, a.last_seen_date, a.seen_alone) == (4, date(2026, 1, 6), None)
    admitted = ordinary(joined_date=date(2025, 1, 6), contacts=(), deletions=(),
                        admission_dates=(date(2026, 1, 6),))
    assert run(admitted).last_seen_date == date(2026, 1, 6)


def test_a_contact_seen_on_the_deletion_day_gives_seen_alone():
    a = run(ordinary(contacts=(contact(JOINED, seen=True, alone=True, method="home_visit"),)))
    assert (a.last_seen_date, a.seen_alone) == (JOINED, True)
    assert (run(ordinary()).last_seen_date, run(ordinary()).seen_alone) == (date(2026, 10, 5), True)


def test_a_contact_without_the_child_seen_is_not_seeing_the_child():
    child = ordinary(deletions=(), joined_date=date(2025, 3, 3),
                     contacts=(contact(date(2026, 10, 1), seen=False),))
    assert run(child).flags == ("not_seen_12_months",)


def test_online_sightings_count_unless_the_setting_says_otherwise():
    child = ordinary(deletions=(), joined_date=date(2025, 3, 3),
                     contacts=(contact(date(2026, 10, 1), seen=True, method="online_meeting"),))
    assert run(child).tier == 4
    strict = DEFAULT.with_settings(online_contact_counts_as_seen=False)
    assert run(child, rules=strict).tier == 3


# --- parent declined contact, or no reply to two requests: tier 2 ------------------------


def test_parent_declined_the_most_recent_contact_is_tier_2():
    child = ordinary(contacts=(contact(date(2026, 10, 5), seen=True),
                               contact(date(2026, 11, 2), "declined")))
    a = run(child)
    assert a.tier == 2
    assert a.required_actions == ("professionals_meeting",)
    assert a.flags == ("no_contact_response",)
    assert a.reasons == ("Parent declined the most recent contact (2 November 2026).",)


def test_no_reply_to_the_two_most_recent_contacts_is_tier_2():
    child = ordinary(contacts=(contact(date(2026, 10, 5), seen=True),
                               contact(date(2026, 10, 19), "no_reply"),
                               contact(date(2026, 11, 9), "no_reply")))
    a = run(child)
    assert a.tier == 2
    assert a.required_actions == ("professionals_meeting",)
    assert a.flags == ("no_contact_response",)


def test_one_unanswered_letter_is_not_a_concern():
    child = ordinary(contacts=(contact(date(2026, 10, 5), seen=True),
                               contact(date(2026, 11, 9), "no_reply")))
    assert (run(child).tier, run(child).flags) == (4, ())


def test_a_family_that_answered_after_declining_is_not_flagged():
    child = ordinary(contacts=(contact(date(2026, 9, 20), "declined"),
                               contact(date(2026, 10, 5), seen=True)))
    assert (run(child).tier, run(child).flags) == (4, ())


# --- two or more different factor rows whose floor is 2: tier 1 --------------------------


def test_two_different_tier_2_factors_make_tier_1_with_a_professionals_meeting():
    a = run(with_facts(
        fact("child_in_need", date(2026, 1, 12)),
        fact("domestic_abuse_notification", date(2026, 5, 9), source="police"),
    ))
    assert a.tier == 1
    assert a.required_actions == (
        "alert_social_care", "professionals_meeting", "see_child_within_10_days")
    assert a.fired_rules == ("current_child_in_need", "domestic_abuse", "several_concerns")
    assert a.reasons[-1] == ("Several different concerns together: child in need plan, "
                             "domestic abuse.")


def test_the_same_factor_twice_is_not_two_factors():
    a = run(with_facts(
        fact("domestic_abuse_notification", date(2026, 5, 9), source="police"),
        fact("domestic_abuse_notification", date(2026, 8, 1), source="police"),
    ))
    assert a.tier == 2
    assert "professionals_meeting" not in a.required_actions
    assert a.reasons == ("2 domestic abuse notifications within the last 12 months (police).",)


def test_two_parts_of_one_row_are_one_factor():
    a = run(with_facts(
        fact("was_not_brought", date(2026, 2, 10), source="health"),
        fact("was_not_brought", date(2026, 7, 14), source="health"),
        fact("not_registered_with_gp", date(2026, 1, 1), source="health"),
    ))
    assert a.tier == 2
    assert a.required_actions == ("share_with_health",)


def test_no_response_counts_as_a_tier_2_row_with_a_household_plan():
    child = with_facts(fact("child_in_need", date(2026, 2, 2), household=True),
                       contacts=(contact(date(2026, 11, 2), "declined"),))
    a = run(child)
    assert a.tier == 1
    assert a.flags == ("household_child_in_need", "no_contact_response")


def test_tier_3_factors_do_not_combine():
    a = run(ordinary(sen_provision="E", ehe_reason="physical_health"))
    assert a.tier == 3


def test_household_section_47_enquiry_is_not_the_childs_flag_or_tier():
    """The model's household factor is a plan (protection or in need): a brother's section 47
    enquiry that led nowhere must not put an ordinary sister at tier 2."""
    a = run(with_facts(fact("section_47_enquiry", date(2026, 10, 8), household=True)))
    assert (a.tier, a.flags, a.required_actions) == (4, (), ())
