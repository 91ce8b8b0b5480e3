"""Contacts with a family (casework.contacts): the rules of recording a contact, planning a
visit and recording how it went; the audit; the child's last contact and last seen dates; the
next contact date; and what the risk model makes of recorded contacts."""

import datetime as dt
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.contacts import (
    Outcome,
    contact_letter_record,
    contact_record,
    contact_reply_record,
    visit_outcome_record,
    visit_plan,
)
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db

SEEN_ALONE = Outcome(outcome="engaged", child_seen=True, seen_alone=True,
                     child_views="I like learning about volcanoes.",
                     parent_account="We follow a loose curriculum.",
                     education_approach="Project based", who_teaches="Mother")


def officer() -> Any:
    return UserFactory.create(role=Role.EHE_OFFICER)


def test_a_sent_letter_awaits_a_reply_and_is_audited() -> None:
    child, actor = ChildFactory.create(), officer()
    letter = contact_letter_record(actor=actor, child=child, sent_on=MONDAY, summary="First letter")
    assert (letter.method, letter.state, letter.outcome) == ("letter", "done", "")
    assert letter.notes == "First letter" and letter.recorded_by == actor
    assert letter.next_contact_date == dt.date(2026, 12, 23)  # a month to reply
    child.refresh_from_db()
    assert child.last_contact_date == MONDAY and child.last_seen_date is None
    event = AuditEvent.objects.get(object_type="contact")
    assert (event.action, event.object_ids, event.child_count) == ("create", [str(letter.pk)], 1)
    assert event.actor == actor


def test_the_command_line_may_record_a_letter_but_not_one_not_yet_sent() -> None:
    child = ChildFactory.create()
    assert contact_letter_record(actor=COMMAND_LINE, child=child, sent_on=MONDAY, summary="x")
    with pytest.raises(DomainError):
        contact_letter_record(actor=COMMAND_LINE, child=child, sent_on=MONDAY + dt.timedelta(1),
                              summary="x")


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST, Role.DPO])
def test_only_officers_and_managers_record_contacts(role: Role) -> None:
    child, actor = ChildFactory.create(), UserFactory.create(role=role)
    with pytest.raises(NotPermitted):
        contact_record(actor=actor, child=child, method="phone", on=MONDAY,
                       result=Outcome(outcome="engaged"))
    with pytest.raises(NotPermitted):
        visit_plan(actor=actor, child=child, on=MONDAY, place="Home", officer=officer())
    assert not Contact.objects.exists()


@pytest.mark.parametrize(("method", "result", "message"), [
    ("home_visit", Outcome(outcome="engaged", seen_alone=True), "seen alone"),
    ("phone", Outcome(outcome="engaged", child_seen=True), "visit or an online meeting"),
    ("phone", Outcome(outcome="engaged", child_views="Fine"), "seen or wrote"),
    ("home_visit", Outcome(), "parent responded"),
    ("phone", Outcome(outcome="engaged", child_wrote=True), "letter or an email"),
])
def test_the_rules_of_an_outcome(method: str, result: Outcome, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        contact_record(actor=officer(), child=ChildFactory.create(), method=method, on=MONDAY,
                       result=result)


def test_a_contact_in_the_future_cannot_be_recorded() -> None:
    with pytest.raises(DomainError, match="happened"):
        contact_record(actor=officer(), child=ChildFactory.create(), method="phone",
                       on=MONDAY + dt.timedelta(days=1), result=Outcome(outcome="engaged"))


def test_a_child_who_wrote_may_give_their_views_in_a_letter() -> None:
    contact = contact_record(actor=officer(), child=ChildFactory.create(), method="letter",
                             on=MONDAY, result=Outcome(outcome="engaged", child_wrote=True,
                                                       child_views="I read every day"))
    assert contact.child_views == "I read every day" and contact.child_seen is False


def test_a_visit_planned_then_done_with_the_child_seen_alone() -> None:
    child, actor = ChildFactory.create(), officer()
    planned = visit_plan(actor=actor, child=child, on=MONDAY, place="The family home",
                         officer=actor)
    assert planned.state == "planned" and planned.outcome == "" and planned.next_contact_date is None
    child.refresh_from_db()
    assert child.last_contact_date is None  # a plan is not a contact
    done = visit_outcome_record(actor=actor, contact=planned, done=True, result=SEEN_ALONE)
    assert (done.state, done.outcome, done.seen_how) == ("done", "engaged", "in_person")
    assert done.child_views == "I like learning about volcanoes."
    assert done.parent_account == "We follow a loose curriculum."
    assert done.next_contact_date == dt.date(2027, 11, 23)  # no assessment yet: 12 months
    child.refresh_from_db()
    assert (child.last_contact_date, child.last_seen_date, child.last_seen_alone) == (
        MONDAY, MONDAY, True)
    with pytest.raises(DomainError, match="already been recorded"):
        visit_outcome_record(actor=actor, contact=planned, done=False, missed_reason="cancelled")
    assert list(AuditEvent.objects.filter(object_type="contact").values_list(
        "action", flat=True).order_by("at")) == ["create", "update"]


def test_a_visit_in_the_future_cannot_be_recorded_as_done() -> None:
    actor = officer()
    planned = visit_plan(actor=actor, child=ChildFactory.create(), on=MONDAY + dt.timedelta(3),
                         place="Library", officer=actor, method="other_visit")
    with pytest.raises(DomainError, match="happened"):
        visit_outcome_record(actor=actor, contact=planned, done=True, result=SEEN_ALONE)
    cancelled = visit_outcome_record(actor=actor, contact=planned, done=False,
                                     missed_reason="cancelled", notes="Officer unwell")
    assert (cancelled.state, cancelled.outcome) == ("missed", "")
    assert cancelled.notes == "Officer unwell"


def test_a_visit_cannot_be_planned_in_the_past_or_without_a_place() -> None:
    actor = officer()
    with pytest.raises(DomainError, match="future"):
        visit_plan(actor=actor, child=ChildFactory.create(), on=MONDAY - dt.timedelta(1),
                   place="Home", officer=actor)
    with pytest.raises(DomainError, match="where"):
        visit_plan(actor=actor, child=ChildFactory.create(), on=MONDAY, place=" ", officer=actor)


def test_the_next_contact_follows_the_tier_and_the_outcome() -> None:
    child, actor = ChildFactory.create(), officer()
    AssessmentFactory.create(child=child, tier=2, computed_tier=2, review_interval_months=6,
                             next_contact_due=dt.date(2027, 3, 1))
    seen = contact_record(actor=actor, child=child, method="home_visit", on=MONDAY,
                          result=SEEN_ALONE)
    assert seen.next_contact_date == dt.date(2027, 5, 23)  # six months
    online = contact_record(actor=actor, child=child, method="online_meeting", on=MONDAY,
                            result=Outcome(outcome="engaged", child_seen=True))
    assert online.next_contact_date == dt.date(2027, 2, 23)  # half: seen only online
    declined = contact_record(actor=actor, child=child, method="phone", on=MONDAY,
                              result=Outcome(outcome="declined"))
    assert declined.next_contact_date == dt.date(2026, 12, 23)  # a month


def test_no_reply_twice_raises_what_the_risk_model_defines() -> None:
    child, actor = ChildFactory.create(), officer()
    for on in (MONDAY - dt.timedelta(days=30), MONDAY):
        contact_letter_record(actor=actor, child=child, sent_on=on, summary="Please reply")
        contact_record(actor=actor, child=child, method="phone", on=on,
                       result=Outcome(outcome="no_reply"))
    visit_plan(actor=actor, child=child, on=MONDAY, place="Home", officer=actor)
    with clock.as_of(MONDAY):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    latest = Assessment.objects.get(child=child, is_latest=True)
    assert latest.tier <= 2
    assert "professionals_meeting" in latest.required_actions
    assert any("No reply to the two most recent contacts" in r for r in map(str, latest.reasons))


def test_declined_at_the_door_feeds_the_risk_model() -> None:
    child, actor = ChildFactory.create(), officer()
    planned = visit_plan(actor=actor, child=child, on=MONDAY, place="Home", officer=actor)
    missed = visit_outcome_record(actor=actor, contact=planned, done=False, missed_reason="refused")
    assert (missed.state, missed.outcome) == ("missed", "declined")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    latest = Assessment.objects.get(child=child, is_latest=True)
    assert "professionals_meeting" in latest.required_actions


def test_two_letters_without_a_reply_are_no_reply_twice() -> None:
    child, actor = ChildFactory.create(), officer()
    first = contact_letter_record(actor=actor, child=child, sent_on=MONDAY - dt.timedelta(days=40),
                                  summary="First")
    second = contact_letter_record(actor=actor, child=child, sent_on=MONDAY - dt.timedelta(days=10),
                                   summary="Second")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    assert "professionals_meeting" not in Assessment.objects.get(
        child=child, is_latest=True).required_actions  # still awaiting replies
    for letter in (first, second):
        replied = contact_reply_record(actor=actor, contact=letter, result=Outcome(outcome="no_reply"))
        assert replied.contact_date == letter.contact_date
        assert replied.next_contact_date == dt.date(2026, 12, 23)
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    assert "professionals_meeting" in Assessment.objects.get(
        child=child, is_latest=True).required_actions


def test_a_reply_is_recorded_once_by_someone_who_records_casework() -> None:
    child, actor = ChildFactory.create(), officer()
    letter = contact_letter_record(actor=actor, child=child, sent_on=MONDAY, summary="x")
    with pytest.raises(NotPermitted):
        contact_reply_record(actor=UserFactory.create(role=Role.ANALYST), contact=letter,
                             result=Outcome(outcome="engaged"))
    with pytest.raises(DomainError, match="parent responded"):
        contact_reply_record(actor=actor, contact=letter, result=Outcome())
    contact_reply_record(actor=actor, contact=letter, result=Outcome(outcome="declined"))
    with pytest.raises(DomainError, match="someone else"):
        contact_reply_record(actor=actor, contact=letter, result=Outcome(outcome="engaged"))
