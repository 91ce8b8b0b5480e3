"""Marking a required action done (casework.actions): the evidence must be the child's own
contact or consent decision from on or after the day the action was raised, or a note in a few
words; only officers and managers may; it is audited; the second person is told who did it."""

import datetime as dt
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.actions import required_action_done
from notinschool.casework.models import Contact
from notinschool.casework.selectors import evidence_choices
from notinschool.casework.tests.factories import MONDAY
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction

pytestmark = pytest.mark.django_db
RAISED = MONDAY - dt.timedelta(days=7)


@pytest.fixture
def officer() -> Any:
    return UserFactory.create(username="ann", first_name="Ann", last_name="Jones", role=Role.EHE_OFFICER)


@pytest.fixture
def action() -> RequiredAction:
    child = ChildFactory.create()
    return RequiredAction.objects.create(child=child, code="see_child_within_10_days", raised_on=RAISED,
                                         due_date=MONDAY)


def contact(child: Any, on: dt.date) -> Contact:
    return Contact.objects.create(child=child, contact_date=on, method="home_visit", child_seen=True,
                                  outcome="engaged")


def test_a_contact_since_the_action_was_raised_marks_it_done_and_is_audited(officer, action):
    visit = contact(action.child, MONDAY)
    done = required_action_done(actor=officer, action=action, evidence_kind="contact", evidence_id=visit.pk)
    done.refresh_from_db()
    assert done.state == "done" and done.done_by == officer and done.done_on == MONDAY
    assert done.evidence_kind == "contact" and done.evidence_id == visit.pk
    assert done.evidence_summary == "Home visit on 23 November 2026: engaged"
    event = AuditEvent.objects.get(object_type="required_action")
    assert event.actor == officer and event.child_count == 1
    assert event.detail["evidence_kind"] == "contact" and event.detail["evidence_id"] == str(visit.pk)


@pytest.mark.parametrize("case", ["before_raised", "other_child", "missing"])
def test_evidence_that_does_not_show_it_is_refused(officer, action, case):
    child = ChildFactory.create() if case == "other_child" else action.child
    on = RAISED - dt.timedelta(days=1) if case == "before_raised" else MONDAY
    evidence = contact(child, on).pk if case != "missing" else None
    with pytest.raises(DomainError) as refused:
        required_action_done(actor=officer, action=action, evidence_kind="contact", evidence_id=evidence)
    assert str(refused.value) == {
        "before_raised": "The evidence must be from on or after 16 November 2026, when the action was raised",
        "other_child": "Select a contact or decision recorded for this child",
        "missing": "Select a contact or decision recorded for this child"}[case]
    action.refresh_from_db()
    assert action.state == "open" and not AuditEvent.objects.filter(object_type="required_action").exists()


def test_a_note_needs_a_few_words(officer, action):
    with pytest.raises(DomainError, match="at least 3 words"):
        required_action_done(actor=officer, action=action, evidence_kind="note", note="  done ")
    done = required_action_done(actor=officer, action=action, evidence_kind="note",
                                note="Seen at the library with her mother")
    assert done.state == "done" and done.done_note == "Seen at the library with her mother"
    assert done.evidence_kind == "note" and done.evidence_id is None


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ADMIN])
def test_only_officers_and_managers_may(action, role):
    with pytest.raises(NotPermitted):
        required_action_done(actor=UserFactory.create(role=role), action=action, evidence_kind="note",
                             note="Seen at the library with her mother")


def test_the_second_person_is_told_who_did_it_and_nothing_is_lost(officer, action):
    manager = UserFactory.create(role=Role.TEAM_MANAGER)
    stale = RequiredAction.objects.get(pk=action.pk)  # the manager opened the page before Ann saved
    required_action_done(actor=officer, action=action, evidence_kind="note", note="Seen at the library today")
    with pytest.raises(DomainError) as refused:
        required_action_done(actor=manager, action=stale, evidence_kind="note",
                             note="Phoned the family today")
    assert str(refused.value) == "This action was already marked done by Ann Jones on 23 November 2026"
    action.refresh_from_db()
    assert action.done_by == officer and action.done_note == "Seen at the library today"


def test_a_visit_only_planned_is_not_evidence_and_is_not_offered(officer, action):
    planned = Contact.objects.create(child=action.child, contact_date=MONDAY, method="home_visit",
                                     state=Contact.State.PLANNED, outcome="")
    letter = Contact.objects.create(child=action.child, contact_date=MONDAY, method="letter",
                                    outcome="")
    assert [c.label for c in evidence_choices(action=action)] == [
        "Letter on 23 November 2026: sent, awaiting a reply"]
    with pytest.raises(DomainError, match="only planned"):
        required_action_done(actor=officer, action=action, evidence_kind="contact",
                             evidence_id=planned.pk)
    assert required_action_done(actor=officer, action=action, evidence_kind="contact",
                                evidence_id=letter.pk).state == "done"
