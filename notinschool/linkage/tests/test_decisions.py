"""People's decisions on matches: accept, reject and undo keep their history, are audited,
change what the child's page and the risk model see, and a rejected pair never comes back."""

import datetime as dt

import pytest
from django.core.management import call_command

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.linkage.decisions import ReasonMissing
from notinschool.linkage.models import AgencyPerson, MatchDecision, PersonMatch
from notinschool.linkage.selectors import child_agency_flags
from notinschool.linkage.services import link_all, link_children, link_persons
from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory, PersonMatchFactory
from notinschool.people.models import Child
from notinschool.people.tests.factories import AddressFactory, ChildFactory, HouseholdFactory
from notinschool.risk.models import Assessment
from notinschool.workflow.assessment import risk_assessment_run
from notinschool.workflow.decisions import match_accept, match_reject, match_undo
from notinschool.workflow.risk_facts import child_facts_for

pytestmark = pytest.mark.django_db

State = PersonMatch.State


@pytest.fixture
def officer(db):
    return UserFactory.create(username="officer", role=Role.EHE_OFFICER)


def a_match(state: str, *, indicator: str = "child_protection_plan", source: str = "social_care",
            child=None, kind: str = PersonMatch.Kind.SAME_PERSON) -> PersonMatch:
    person = AgencyPersonFactory.create(source=source)
    AgencyFactFactory.create(person=person, indicator=indicator, start_date=dt.date(2025, 4, 1),
                             detail="Plan reviewed monthly")
    return PersonMatchFactory.create(child=child or ChildFactory.create(), person=person,
                                     state=state, kind=kind, probability=0.95)


def latest_tier(child) -> int:
    return Assessment.objects.get(child=child, is_latest=True).tier


def test_accepting_a_pending_match_keeps_who_and_why_audits_and_reassesses(as_of, officer):
    match = a_match(State.PENDING)
    assert not Assessment.objects.filter(child=match.child).exists()

    decision = match_accept(actor=officer, match=match, reason="Same name, birth date and school")

    match.refresh_from_db()
    assert match.state == State.ACCEPTED and match.decided_by == officer
    assert match.decision_reason == "Same name, birth date and school"
    assert (decision.decision, decision.from_state, decision.to_state) == ("accepted", "pending",
                                                                          "accepted")
    assert decision.actor == officer and decision.actor_label.startswith("officer")
    event = AuditEvent.objects.get(action="decide", object_type="person_match")
    assert event.actor == officer and str(match.pk) in event.object_ids
    assert AuditedChild.objects.filter(event=event, child_id=match.child_id).exists()
    assert latest_tier(match.child) == 1  # a current child protection plan now counts


def test_a_decision_needs_a_reason_and_changes_nothing_without_one(as_of, officer):
    match = a_match(State.PENDING)
    for decide in (match_accept, match_reject):
        with pytest.raises(ReasonMissing):
            decide(actor=officer, match=match, reason="   ")
    match.refresh_from_db()
    assert match.state == State.PENDING
    assert not MatchDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="decide").exists()


def test_a_rejected_match_cannot_then_be_accepted_and_its_history_stays(as_of, officer):
    match = a_match(State.PENDING)
    match_reject(actor=officer, match=match, reason="Different school and parents")
    with pytest.raises(DomainError, match="waiting for review"):
        match_accept(actor=officer, match=match, reason="Changed my mind")
    match.refresh_from_db()
    assert match.state == State.REJECTED
    assert list(match.decisions.values_list("decision", "reason")) == [
        ("rejected", "Different school and parents")]


def test_undo_removes_the_flag_and_the_reassessment_lowers_the_tier(as_of, officer):
    match = a_match(State.AUTOMATIC)
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[match.child_id])
    before = latest_tier(match.child)
    assert before == 1
    assert [f.indicator for f in child_agency_flags(actor=officer, child=match.child)] == [
        "child_protection_plan"]

    match_undo(actor=officer, match=match, reason="Agency confirmed a different child")

    match.refresh_from_db()
    assert match.state == State.REJECTED
    assert child_agency_flags(actor=officer, child=match.child) == []
    assert latest_tier(match.child) > before


def test_history_keeps_every_decision_and_who_made_it(as_of, officer):
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    match = a_match(State.PENDING)
    match_accept(actor=officer, match=match, reason="Looks right")
    match_undo(actor=manager, match=match, reason="Health confirmed a different child")
    history = list(match.decisions.order_by("at", "created_at"))
    assert [(d.decision, getattr(d.actor, "username", None), d.reason) for d in history] == [
        ("accepted", "officer", "Looks right"),
        ("undone", "manager", "Health confirmed a different child")]
    match.refresh_from_db()
    assert match.decided_by == manager and match.state == State.REJECTED


def test_undoing_a_sibling_match_reassesses_the_brother_or_sister_too(as_of, officer):
    household = HouseholdFactory.create()
    child = ChildFactory.create(household=household)
    sibling = ChildFactory.create(household=household)
    match = a_match(State.PENDING, child=child)
    match_accept(actor=officer, match=match, reason="Same child")
    sibling_before = latest_tier(sibling)
    match_undo(actor=officer, match=match, reason="Different child")
    assert Assessment.objects.filter(child=sibling).count() == 2
    assert latest_tier(sibling) >= sibling_before


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ANALYST])
def test_roles_that_do_not_review_matches_cannot_decide(as_of, role):
    match = a_match(State.PENDING)
    with pytest.raises(NotPermitted):
        match_accept(actor=UserFactory.create(role=role), match=match, reason="Looks right")
    match.refresh_from_db()
    assert match.state == State.PENDING


def test_only_effective_matches_give_flags_and_risk_facts(as_of, officer):
    effective = {}
    for state in State:
        match = a_match(state, indicator="child_in_need", source="health")
        flags = child_agency_flags(actor=officer, child=match.child)
        facts = child_facts_for([match.child])[match.child_id].agency_facts
        effective[state.value] = (bool(flags), bool(facts))
        if flags:
            assert flags[0].source == "health" and flags[0].about == "This child"
    assert effective == {"automatic": (True, True), "pending": (False, False),
                         "accepted": (True, True), "rejected": (False, False)}


# The engine itself: a register child and agency records it scores.

def engine_pair(forename: str, dob: dt.date, postcode: str = "") -> tuple[Child, AgencyPerson]:
    child = ChildFactory.create(forename="Ada", surname="Lovelace", sex="F",
                                date_of_birth=dt.date(2014, 3, 27), postcode="LS6 2AB")
    AddressFactory.create(child=child, line_1="12 Mill Lane", postcode="LS6 2AB")
    person = AgencyPersonFactory.create(source="health", forename=forename, surname="Lovelace",
                                        date_of_birth=dob, postcode=postcode)
    AgencyFactFactory.create(person=person, indicator="health_concern")
    return child, person


def test_a_rejected_pending_match_never_comes_back_on_the_next_link(as_of, officer):
    child, person = engine_pair("Ada", dt.date(2013, 3, 27))  # a year out: waits for a person
    link_children(actor=COMMAND_LINE, child_ids=[child.pk])
    match = PersonMatch.objects.get(child=child, person=person)
    assert match.state == State.PENDING
    match_reject(actor=officer, match=match, reason="Older sister, not this child")

    link_all(actor=COMMAND_LINE)
    link_children(actor=COMMAND_LINE, child_ids=[child.pk])
    link_persons(actor=COMMAND_LINE, person_ids=[person.pk])  # as when the agency sends again
    call_command("link", verbosity=0)

    assert list(PersonMatch.objects.filter(child=child).values_list("person_id", "kind", "state")) \
        == [(person.pk, "same_person", "rejected")]
    assert child_agency_flags(actor=officer, child=child) == []


def test_an_undone_automatic_match_never_comes_back_on_the_next_link(as_of, officer):
    child, person = engine_pair("Ada", dt.date(2014, 3, 27), "LS6 2AB")
    link_all(actor=COMMAND_LINE)
    match = PersonMatch.objects.get(child=child, person=person)
    assert match.state == State.AUTOMATIC
    assert [f.source for f in child_agency_flags(actor=officer, child=child)] == ["health"]
    match_undo(actor=officer, match=match, reason="Twin sister with the same initials")

    call_command("link", verbosity=0)

    assert PersonMatch.objects.filter(child=child).count() == 1
    assert PersonMatch.objects.get(child=child).state == State.REJECTED
    assert child_agency_flags(actor=officer, child=child) == []


def test_an_accepted_household_link_shows_as_a_household_members_flag(as_of, officer):
    match = a_match(State.PENDING, indicator="domestic_abuse_notification", source="police",
                    kind=PersonMatch.Kind.HOUSEHOLD)
    assert child_agency_flags(actor=officer, child=match.child) == []
    match_accept(actor=officer, match=match, reason="Mother's partner, same address")
    flags = child_agency_flags(actor=officer, child=match.child)
    assert [(f.source, f.indicator, f.about) for f in flags] == [
        ("police", "domestic_abuse_notification", "Household member")]
    assert child_facts_for([match.child])[match.child_id].agency_facts[0].household
