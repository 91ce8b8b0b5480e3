"""The actions table of docs/risk-model.md: when each action is raised, and its deadline."""

from dataclasses import replace
from datetime import date

from notinschool.risk.engine import DEFAULT, DeletionFact

from .builders import EHE, JOINED, contact, fact, ordinary, run, with_facts

FRIDAY = date(2026, 5, 22)  # before the spring bank holiday, Monday 25 May 2026


def withdrawn(*facts, deleted=JOINED, received=None, **deletion):
    """A child deleted from roll for home education, with these agency facts."""
    return with_facts(*facts, deletions=(DeletionFact(deleted, EHE, received, **deletion),))


# --- consent_required ---------------------------------------------------------------------


def test_consent_required_for_a_child_on_a_plan_on_the_deletion_date():
    a = run(withdrawn(fact("child_protection_plan", date(2026, 1, 5)),
                      received=date(2026, 9, 16)))
    assert "consent_required" in a.required_actions
    assert a.deadlines["consent_required"] == date(2026, 9, 16)  # the day it arrived
    firing = next(f for f in a.fired if f.rule == "consent_required")
    assert firing.reason == (
        "Deleted from a school roll for home education on 14 September 2026 without the "
        "authority's consent: under a child protection plan on that date.")


def test_consent_deadline_is_the_same_day_even_at_a_weekend():
    a = run(withdrawn(fact("section_47_enquiry", date(2026, 9, 1)),
                      received=date(2026, 9, 19)))
    assert a.deadlines["consent_required"] == date(2026, 9, 19)


def test_consent_required_for_a_section_47_enquiry_on_the_deletion_date():
    a = run(withdrawn(fact("section_47_enquiry", date(2026, 9, 1), date(2026, 9, 14))))
    assert "consent_required" in a.required_actions


def test_consent_look_back_counts_5_years_back_from_the_deletion_date():
    exactly = run(withdrawn(fact("child_protection_plan", date(2019, 1, 1), date(2021, 9, 14))))
    day_more = run(withdrawn(fact("child_protection_plan", date(2019, 1, 1), date(2021, 9, 13))))
    assert exactly.required_actions == ("consent_required",)
    assert day_more.required_actions == ()


def test_consent_look_back_is_a_setting():
    child = withdrawn(fact("child_protection_plan", date(2019, 1, 1), date(2022, 9, 1)))
    assert "consent_required" in run(child).required_actions
    rules = DEFAULT.with_settings(consent_lookback_years=3)
    assert "consent_required" not in run(child, rules=rules).required_actions


def test_consent_required_where_the_authority_arranged_the_special_school_place():
    a = run(withdrawn(la_arranged_special_placement=True))
    assert a.required_actions == ("consent_required",)
    assert a.tier == 4
    assert a.flags == ()


def test_no_consent_action_when_consent_was_given():
    a = run(withdrawn(fact("child_protection_plan", date(2026, 1, 5)), consent_given=True))
    assert "consent_required" not in a.required_actions


def test_no_consent_action_for_another_deletion_ground():
    child = with_facts(fact("child_protection_plan", date(2026, 1, 5)),
                       deletions=(DeletionFact(JOINED, "moved_away"),))
    assert "consent_required" not in run(child).required_actions


def test_no_consent_action_for_a_plan_that_started_after_the_deletion():
    a = run(withdrawn(fact("child_protection_plan", date(2026, 10, 1))))
    assert a.tier == 1
    assert "consent_required" not in a.required_actions


def test_no_consent_action_for_a_household_members_plan():
    a = run(withdrawn(fact("child_protection_plan", date(2026, 1, 5), household=True)))
    assert a.required_actions == ("alert_social_care",)


def test_no_consent_action_for_an_old_withdrawal_followed_by_an_admission():
    child = withdrawn(fact("child_protection_plan", date(2026, 1, 5)), deleted=date(2026, 3, 2))
    assert "consent_required" in run(child).required_actions
    readmitted = replace(child, admission_dates=(date(2026, 4, 20),))
    assert "consent_required" not in run(readmitted).required_actions


def test_consent_duty_can_be_switched_off_until_commencement():
    child = withdrawn(la_arranged_special_placement=True)
    rules = DEFAULT.with_settings(consent_duty_enabled=False)
    assert run(child, rules=rules).required_actions == ()


# --- alert_social_care: 1 working day from the data arriving ------------------------------


def test_alert_is_due_the_next_working_day_after_the_bank_holiday():
    child = with_facts(fact("child_in_need", date(2026, 1, 12)), joined_date=FRIDAY,
                       deletions=(DeletionFact(FRIDAY, "other"),), contacts=())
    a = run(child, as_of=FRIDAY)
    assert a.deadlines == {"alert_social_care": date(2026, 5, 26)}


def test_alert_counts_from_the_agency_data_arriving_after_the_child():
    a = run(with_facts(fact("child_in_need", date(2026, 1, 12), received=date(2026, 11, 20))))
    assert a.deadlines["alert_social_care"] == date(2026, 11, 23)  # Friday -> Monday


def test_alert_counts_from_a_plan_starting_after_the_child_joined():
    a = run(withdrawn(fact("child_protection_plan", date(2026, 10, 1))))
    assert a.deadlines["alert_social_care"] == date(2026, 10, 2)


def test_alert_counts_from_the_register_record_when_the_plan_was_known_before():
    child = with_facts(fact("child_in_need", date(2026, 1, 12), received=date(2026, 2, 1)),
                       data_arrived_date=date(2026, 9, 15))
    assert run(child).deadlines["alert_social_care"] == date(2026, 9, 16)


def test_the_earliest_alert_deadline_stands():
    a = run(with_facts(
        fact("child_in_need", date(2026, 1, 12)),  # known when the child joined (14 Sep)
        fact("child_protection_plan", date(2026, 1, 5), date(2026, 3, 1),
             received=date(2026, 11, 20)),
    ))
    assert a.deadlines["alert_social_care"] == date(2026, 9, 15)


# --- see_child_within_10_days ---------------------------------------------------------------


def test_see_child_within_10_working_days_sets_the_next_contact():
    child = with_facts(fact("child_protection_plan", date(2026, 1, 5)), joined_date=FRIDAY,
                       deletions=(DeletionFact(FRIDAY, "other"),), contacts=())
    a = run(child, as_of=FRIDAY)
    assert a.deadlines["see_child_within_10_days"] == date(2026, 6, 8)
    assert a.next_contact_due == date(2026, 6, 8)


def test_once_the_child_is_seen_the_review_interval_runs_from_that_contact():
    child = with_facts(
        fact("domestic_abuse_notification", date(2026, 5, 9), source="police",
             received=date(2026, 10, 1)),
        contacts=(contact(date(2026, 10, 8), seen=True, alone=True, method="home_visit"),))
    a = run(child)
    assert a.tier == 2
    assert a.deadlines["see_child_within_10_days"] == date(2026, 10, 15)
    assert a.next_contact_due == date(2027, 4, 8)  # seen on 8 Oct + 6 months


def test_a_new_notification_after_the_visit_brings_the_next_contact_forward():
    child = with_facts(
        fact("domestic_abuse_notification", date(2026, 5, 9), source="police",
             received=date(2026, 10, 1)),
        fact("domestic_abuse_notification", date(2026, 11, 12), source="police",
             received=date(2026, 11, 13)),
        contacts=(contact(date(2026, 10, 8), seen=True, method="home_visit"),))
    a = run(child)
    assert a.next_contact_due == date(2026, 11, 27)  # 10 working days from 13 Nov


# --- cme_enquiries: every missing-education case, within 5 school days ---------------------


def test_every_cme_case_gets_enquiries_within_5_school_days():
    child = ordinary(status="cme", cme_since=date(2026, 11, 20),
                     deletions=(DeletionFact(date(2026, 11, 13), "continuous_absence_20_days"),),
                     contacts=(), joined_date=date(2026, 11, 20))
    a = run(child)
    assert a.tier == 4
    assert a.flags == ()
    assert a.required_actions == ("cme_enquiries",)
    assert a.deadlines == {"cme_enquiries": date(2026, 11, 27)}


def test_cme_school_days_skip_the_authority_closures():
    child = ordinary(status="cme", joined_date=date(2026, 11, 20), contacts=())
    closures = frozenset({date(2026, 11, 23), date(2026, 11, 24)})
    a = run(child, closures=closures)
    assert a.deadlines["cme_enquiries"] == date(2026, 12, 1)


def test_home_education_is_not_a_cme_case():
    assert "cme_enquiries" not in run(ordinary()).required_actions


# --- request_information: required register information missing after 15 days -------------


def test_request_information_when_the_previous_address_is_still_missing_after_15_days():
    child = ordinary(missing_required_info=("previous_address",),
                     eligible_date=date(2026, 11, 5))
    a = run(child)
    assert a.required_actions == ("request_information",)
    assert a.tier == 4
    assert "request_information" not in a.deadlines
    assert a.fired[0].reason == ("Register information still missing 15 days after the child "
                                 "became eligible: previous address.")


def test_no_request_within_the_parents_15_days():
    child = ordinary(missing_required_info=("previous_address",),
                     eligible_date=date(2026, 11, 6))
    assert run(child).required_actions == ()


def test_request_information_waits_on_the_register_duty_setting():
    child = ordinary(missing_required_info=("parent_details",))
    assert run(child).required_actions == ("request_information",)
    rules = DEFAULT.with_settings(register_duty_enabled=False)
    assert run(child, rules=rules).required_actions == ()


# --- consider_preliminary_notice ------------------------------------------------------------


def test_preliminary_notice_when_no_information_at_all():
    a = run(ordinary(no_education_information=True))
    assert a.required_actions == ("consider_preliminary_notice",)
    assert a.tier == 4


def test_preliminary_notice_when_suitability_not_shown():
    assert run(ordinary(suitability_not_shown=True)).required_actions == (
        "consider_preliminary_notice",)


def test_preliminary_notice_for_a_refused_home_visit_only_under_the_new_law():
    child = ordinary(home_visit_refused=True)
    assert run(child).required_actions == ("consider_preliminary_notice",)
    rules = DEFAULT.with_settings(register_duty_enabled=False)
    assert run(child, rules=rules).required_actions == ()


# --- actions without deadlines --------------------------------------------------------------


def test_share_with_health_arrange_visit_and_meetings_have_no_deadline():
    child = with_facts(
        fact("not_registered_with_gp", date(2025, 1, 1), source="health"),
        joined_date=date(2025, 3, 3), deletions=(),
        contacts=(contact(date(2026, 10, 1), "declined"),))
    a = run(child)
    assert a.required_actions == ("arrange_visit", "professionals_meeting", "share_with_health")
    assert a.deadlines == {}
    assert a.tier == 1
    assert a.next_contact_due == date(2025, 6, 3)  # joined + 3 months, no engaged contact
