"""Suitability judgements: who records and approves them, what they need, the approval flow
and its audit, and what the judgement in force feeds the risk model (a preliminary notice to
consider once a "not suitable" judgement is approved, not while it awaits approval)."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.contacts import visit_outcome_record, visit_plan
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.casework.suitability import suitability_approve, suitability_record
from notinschool.casework.tests.factories import MONDAY
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.workflow.assessment import risk_assessment_run
from notinschool.workflow.risk_facts import child_facts_for

pytestmark = pytest.mark.django_db
J = SuitabilityJudgement
NOTICE = "consider_preliminary_notice"


@pytest.fixture
def officer():
    return UserFactory.create(role=Role.EHE_OFFICER)


@pytest.fixture
def manager():
    return UserFactory.create(role=Role.TEAM_MANAGER)


def judge(actor, child, judgement="not_suitable", **kwargs):
    return suitability_record(actor=actor, child=child, judgement=judgement,
                              reasons=kwargs.pop("reasons", "No structure, no resources seen."),
                              **kwargs)


def facts(child):
    return child_facts_for([child])[child.pk]


def notice_open(child) -> bool:
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    return RequiredAction.objects.filter(child=child, code=NOTICE, state="open").exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST, Role.HEALTH_PRACTITIONER])
def test_only_officers_and_managers_record_a_judgement(role):
    with pytest.raises(NotPermitted):
        judge(UserFactory.create(role=role), ChildFactory.create())
    with pytest.raises(NotPermitted):
        judge(COMMAND_LINE, ChildFactory.create())


def test_reasons_are_required_and_unable_to_determine_needs_why(officer):
    child = ChildFactory.create()
    with pytest.raises(DomainError, match="reasons"):
        judge(officer, child, reasons="  ")
    with pytest.raises(DomainError, match="why"):
        judge(officer, child, "unable_to_determine")
    with pytest.raises(DomainError, match="future"):
        judge(officer, child, on=MONDAY + dt.timedelta(days=1))
    assert not J.objects.exists()


def test_evidence_must_be_the_childs_own_contacts(officer):
    child, other = ChildFactory.create(), ChildFactory.create()
    theirs = Contact.objects.create(child=other, contact_date=MONDAY, method="phone", outcome="engaged")
    with pytest.raises(DomainError, match="this child"):
        judge(officer, child, contacts=[theirs])


def test_suitable_is_in_force_at_once_and_replaces_the_one_before(officer, manager):
    child = ChildFactory.create()
    before = judge(officer, child, "not_suitable")
    suitability_approve(actor=manager, judgement=before, approve=True)
    after = judge(officer, child, "suitable", reasons="A full timetable and a tutor.")
    assert after.state == J.State.IN_FORCE and after.effective
    before.refresh_from_db()
    assert before.superseded_by == after and not before.effective


def test_not_suitable_awaits_a_manager_who_approves_or_returns_it_once(officer, manager):
    child = ChildFactory.create()
    j = judge(officer, child)
    assert j.state == J.State.AWAITING and not j.effective
    with pytest.raises(NotPermitted):
        suitability_approve(actor=UserFactory.create(role=Role.EHE_OFFICER), judgement=j, approve=True)
    with pytest.raises(DomainError, match="comments"):
        suitability_approve(actor=manager, judgement=j, approve=False)
    returned = suitability_approve(actor=manager, judgement=j, approve=False, comments="Say what you saw.")
    assert returned.state == J.State.RETURNED and not returned.effective
    assert returned.approved_by == manager and returned.manager_comments == "Say what you saw."
    with pytest.raises(DomainError, match="already"):
        suitability_approve(actor=UserFactory.create(role=Role.TEAM_MANAGER), judgement=j, approve=True)


def test_a_manager_does_not_approve_their_own_judgement(manager):
    child = ChildFactory.create()
    j = judge(manager, child)
    with pytest.raises(DomainError, match="Another manager"):
        suitability_approve(actor=manager, judgement=j, approve=True)
    other = UserFactory.create(role=Role.TEAM_MANAGER)
    assert suitability_approve(actor=other, judgement=j, approve=True).effective


def test_a_new_judgement_replaces_one_still_awaiting_approval(officer):
    child = ChildFactory.create()
    first = judge(officer, child)
    second = judge(officer, child, "unable_to_determine", unable_why="no_information")
    first.refresh_from_db()
    assert first.state == J.State.WITHDRAWN and first.superseded_by == second
    assert list(J.objects.filter(child=child, state=J.State.AWAITING)) == [second]


def test_each_write_is_audited(officer, manager):
    child = ChildFactory.create()
    j = judge(officer, child)
    suitability_approve(actor=manager, judgement=j, approve=True)
    events = AuditEvent.objects.filter(object_type="suitability_judgement").order_by("at")
    assert [(e.action, e.actor_id) for e in events] == [("create", officer.pk), ("decide", manager.pk)]
    assert all(e.child_count == 1 for e in events)


def test_the_judgement_in_force_sets_the_risk_inputs(officer, manager):
    child = ChildFactory.create()
    assert not facts(child).suitability_not_shown
    j = judge(officer, child, "unable_to_determine", unable_why="no_information")
    assert not facts(child).no_education_information  # awaiting approval
    suitability_approve(actor=manager, judgement=j, approve=True)
    found = facts(child)
    assert found.no_education_information and found.suitability_not_shown
    assert not found.home_visit_refused
    j = judge(officer, child, "unable_to_determine", unable_why="visit_refused")
    suitability_approve(actor=manager, judgement=j, approve=True)
    found = facts(child)
    assert found.home_visit_refused and found.suitability_not_shown
    assert not found.no_education_information
    judge(officer, child, "suitable")
    found = facts(child)
    assert not (found.home_visit_refused or found.suitability_not_shown
                or found.no_education_information)


def test_a_visit_the_parent_refused_is_a_refused_home_visit_until_a_later_judgement(officer):
    child = ChildFactory.create()
    visit = visit_plan(actor=officer, child=child, on=MONDAY,
                       place="Home", officer=officer, method="home_visit")
    visit_outcome_record(actor=officer, contact=visit, done=False, missed_reason="refused")
    assert facts(child).home_visit_refused
    judge(officer, child, "suitable")  # a judgement made on or after that day decides
    assert not facts(child).home_visit_refused


def test_a_preliminary_notice_is_raised_once_not_suitable_is_approved(officer, manager):
    child = ChildFactory.create()
    j = judge(officer, child)
    assert not notice_open(child)
    suitability_approve(actor=manager, judgement=j, approve=True)
    assert notice_open(child)
    judge(officer, child, "suitable", reasons="The parents showed a full programme.")
    assert not notice_open(child)
