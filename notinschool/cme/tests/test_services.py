"""Missing education cases through their services: opening (one at a time, the child's status),
enquiries and their chasers, escalation, and closure only for the reasons the guidance allows
with each reason's evidence."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Contact, SuitabilityJudgement, WorkItem
from notinschool.casework.work_items import open_work_items
from notinschool.cme.merging import child_records_move
from notinschool.cme.models import CmeCase, CmeEnquiry
from notinschool.cme.services import (
    REFUSED,
    cme_case_close,
    cme_case_open,
    cme_enquiry_answer,
    cme_enquiry_record,
    cme_escalate,
)
from notinschool.cme.tests.factories import MONDAY, cme_child, open_case
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction

pytestmark = pytest.mark.django_db
TWO_WEEKS_AGO = MONDAY - dt.timedelta(days=14)


def test_opening_a_case_records_it_and_an_item_due_in_10_school_days(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    assert (case.state, case.primary_reason, case.missing_since) == ("open", "whereabouts_unknown",
                                                                     TWO_WEEKS_AGO)
    assert case.required_action is not None and case.required_action.code == "cme_enquiries"
    [item] = open_work_items(child=case.child)
    # Monday 23 November 2026 + 10 school days = Monday 7 December
    assert (item.kind, item.due_date) == ("cme_case_open", dt.date(2026, 12, 7))
    assert item.link == f"/cme/{case.pk}/"
    assert AuditEvent.objects.filter(object_type="cme_case", action="create").count() == 1


def test_a_second_open_case_for_the_same_child_is_refused(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    with pytest.raises(DomainError, match="already has an open missing education case"):
        cme_case_open(actor=officer, child=case.child, primary_reason="other",
                      missing_since=TWO_WEEKS_AGO)


def test_opening_a_case_for_a_home_educated_child_records_them_missing_from_that_date(make_user):
    child = ChildFactory.create(status="ehe", status_date=dt.date(2026, 9, 1))
    cme_case_open(actor=make_user(Role.EHE_OFFICER), child=child,
                  primary_reason="ehe_unsuitable", missing_since=dt.date(2026, 11, 2))
    child.refresh_from_db()
    assert (child.status, child.status_date) == ("cme", dt.date(2026, 11, 2))
    assert StatusChange.objects.filter(child=child, status="cme", date=dt.date(2026, 11, 2)).exists()


def test_a_reason_off_the_list_a_future_date_and_a_role_without_casework_are_refused(make_user):
    child = cme_child()
    officer = make_user(Role.EHE_OFFICER)
    with pytest.raises(DomainError, match="primary reason"):
        cme_case_open(actor=officer, child=child, primary_reason="bored", missing_since=MONDAY)
    with pytest.raises(DomainError, match="cannot be in the future"):
        cme_case_open(actor=officer, child=child, primary_reason="other",
                      missing_since=MONDAY + dt.timedelta(days=1))
    with pytest.raises(NotPermitted):
        cme_case_open(actor=make_user(Role.ANALYST), child=child, primary_reason="other",
                      missing_since=MONDAY)
    assert not CmeCase.objects.exists()


def test_an_enquiry_with_no_answer_is_chased_after_5_working_days_until_answered(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    enquiry = cme_enquiry_record(actor=officer, case=case, kind="other_authority",
                                 other_authority="Northshire County Council",
                                 asked_whom="CME officer", asked_on=MONDAY, method="email")
    chaser = WorkItem.objects.get(kind="cme_enquiry_chase", source_id=enquiry.pk)
    assert chaser.due_date == dt.date(2026, 11, 30)  # 5 working days after Monday 23rd
    assert "Northshire County Council" in chaser.title
    cme_enquiry_answer(actor=officer, enquiry=enquiry, answer="Not known to us.",
                       answered_on=MONDAY)
    chaser.refresh_from_db()
    assert chaser.closed_at is not None and chaser.closed_reason == "the answer was recorded"
    with pytest.raises(DomainError, match="already recorded"):
        cme_enquiry_answer(actor=officer, enquiry=enquiry, answer="Again", answered_on=MONDAY)


def test_an_enquiry_answered_at_once_is_not_chased_and_another_authority_must_be_named(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    cme_enquiry_record(actor=officer, case=case, kind="neighbours", asked_whom="Number 4",
                       asked_on=MONDAY, method="visit", answer="They left in October.",
                       answered_on=MONDAY)
    assert not WorkItem.objects.filter(kind="cme_enquiry_chase").exists()
    with pytest.raises(DomainError, match="name of the other local authority"):
        cme_enquiry_record(actor=officer, case=case, kind="other_authority", asked_whom="CME team",
                           asked_on=MONDAY, method="email")
    with pytest.raises(DomainError, match="before the enquiry was made"):
        cme_enquiry_record(actor=officer, case=case, kind="health", asked_whom="GP surgery",
                           asked_on=MONDAY, method="phone", answer="Registered here",
                           answered_on=MONDAY - dt.timedelta(days=1))
    assert CmeEnquiry.objects.count() == 1


def test_an_escalation_needs_a_reason_and_is_dated(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    with pytest.raises(DomainError, match="reason"):
        cme_escalate(actor=officer, case=case, to="police", reason="  ")
    escalation = cme_escalate(actor=officer, case=case, to="police",
                              reason="Not seen for a month; the family's phone is off.")
    assert (escalation.to, escalation.escalated_on, escalation.escalated_by) == ("police", MONDAY, officer)


@pytest.mark.parametrize(("closure", "evidence", "message"), [
    ("admitted_to_school", {"school_urn": "12AB", "effective_on": MONDAY}, "URN"),
    ("admitted_to_school", {"school_urn": "123456"}, "admitted"),
    ("suitable_home_education", {}, "suitability judgement or the contact"),
    ("moved_known_to_authority", {"receiving_authority": "Northshire", "effective_on": MONDAY},
     "who at the receiving authority"),
    ("moved_abroad", {"country": "Spain", "evidence": "Parent said so", "effective_on": MONDAY},
     "at least 5 words"),
    ("whereabouts_unknown", {}, REFUSED),
])
def test_a_case_is_not_closed_without_an_allowed_reason_and_its_evidence(make_user, closure,
                                                                          evidence, message):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    with pytest.raises(DomainError, match=message):
        cme_case_close(actor=officer, case=case, closure=closure, **evidence)
    case.refresh_from_db()
    assert case.is_open and case.child.status == "cme"


def test_admitted_to_a_school_closes_the_case_its_action_and_items_and_the_child_returns(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    enquiry = cme_enquiry_record(actor=officer, case=case, kind="school", asked_whom="Head",
                                 asked_on=MONDAY, method="phone")
    admitted = MONDAY - dt.timedelta(days=2)
    closed = cme_case_close(actor=officer, case=case, closure="admitted_to_school",
                            school_urn="123456", school_name="Hill Primary", effective_on=admitted)
    assert (closed.state, closed.closed_on, closed.closed_by) == ("closed", MONDAY, officer)
    action = RequiredAction.objects.get(child=case.child, code="cme_enquiries")
    assert (action.state, action.evidence_kind, action.evidence_id) == ("done", "cme_case", case.pk)
    assert action.evidence_summary == ("Missing education case closed: admitted to Hill Primary "
                                       "(URN 123456) on 21 November 2026")
    assert not open_work_items(child=case.child).exists()
    assert WorkItem.objects.get(source_id=enquiry.pk).closed_reason == "the case was closed"
    child = case.child
    child.refresh_from_db()
    assert (child.status, child.status_date) == ("returned_to_school", admitted)
    with pytest.raises(DomainError, match="closed on 23 November 2026"):
        cme_escalate(actor=officer, case=closed, to="police", reason="Too late")


def test_suitable_home_education_needs_a_judgement_of_suitable_in_force(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    kwargs = {"child": case.child, "decided_by": officer, "reasons": "Seen a timetable and work",
              "decided_at": dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)}
    unsuitable = SuitabilityJudgement.objects.create(judgement="not_suitable", state="approved",
                                                     decided_on=dt.date(2026, 11, 19), **kwargs)
    with pytest.raises(DomainError, match="Only a judgement of 'suitable'"):
        cme_case_close(actor=officer, case=case, closure="suitable_home_education",
                       suitability_judgement=unsuitable)
    suitable = SuitabilityJudgement.objects.create(judgement="suitable", state="in_force",
                                                   decided_on=dt.date(2026, 11, 20), **kwargs)
    cme_case_close(actor=officer, case=case, closure="suitable_home_education",
                   suitability_judgement=suitable)
    case.child.refresh_from_db()
    assert (case.child.status, case.child.status_date) == ("ehe", MONDAY - dt.timedelta(days=3))


def test_a_contact_that_took_place_also_shows_suitable_home_education(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    planned = Contact.objects.create(child=case.child, contact_date=MONDAY, method="home_visit",
                                     state="planned")
    with pytest.raises(DomainError, match="took place"):
        cme_case_close(actor=officer, case=case, closure="suitable_home_education", contact=planned)
    visit = Contact.objects.create(child=case.child, contact_date=MONDAY, method="home_visit")
    closed = cme_case_close(actor=officer, case=case, closure="suitable_home_education", contact=visit)
    assert closed.contact == visit and closed.effective_on == MONDAY


def test_moved_and_known_to_the_receiving_authority_leaves_the_area(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    closed = cme_case_close(actor=officer, case=case, closure="moved_known_to_authority",
                            receiving_authority="Northshire County Council",
                            confirmed_by="J Patel, CME officer", effective_on=MONDAY)
    assert closed.receiving_authority == "Northshire County Council"
    case.child.refresh_from_db()
    assert (case.child.status, case.child.status_date) == ("left_area", MONDAY)


def test_moved_abroad_needs_the_evidence_described(make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    closed = cme_case_close(actor=officer, case=case, closure="moved_abroad", country="Portugal",
                            evidence="Letter from the mother with the new address in Porto",
                            effective_on=MONDAY - dt.timedelta(days=30))
    assert closed.closure == "moved_abroad" and closed.country == "Portugal"
    case.child.refresh_from_db()
    # the child left before they were recorded missing: the status changes from that day, so
    # the history stays in date order
    assert (case.child.status, case.child.status_date) == ("left_area", TWO_WEEKS_AGO)
    assert StatusChange.objects.filter(child=case.child, status="left_area",
                                       date=TWO_WEEKS_AGO).exists()


def test_a_merge_moves_the_cases_and_joins_two_open_ones(make_user):
    officer = make_user(Role.EHE_OFFICER)
    keep, other = cme_child(), cme_child(MONDAY - dt.timedelta(days=30))
    kept_case = open_case(officer, keep)
    other_case = open_case(officer, other, since=MONDAY - dt.timedelta(days=30))
    enquiry = cme_enquiry_record(actor=officer, case=other_case, kind="police", asked_whom="PCSO",
                                 asked_on=MONDAY, method="phone")
    moved = child_records_move(keep=keep, other=other)
    assert moved == {"cme_enquiries_joined": 1, "cme_cases": 0}
    kept_case.refresh_from_db()
    assert kept_case.missing_since == MONDAY - dt.timedelta(days=30)
    assert list(kept_case.enquiries.all()) == [enquiry]
    assert not CmeCase.objects.filter(pk=other_case.pk).exists()
    assert {i.kind for i in open_work_items(child=keep)} == {"cme_case_open", "cme_enquiry_chase"}
    assert not open_work_items(child=other).exists()
