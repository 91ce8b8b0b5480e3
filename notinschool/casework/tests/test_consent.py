"""Consent to withdraw (EA 1996 s.434A): the request the risk run opens, the manager's
decision, and the six-month bar after a refusal."""

import datetime as dt
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.consent import consent_states
from notinschool.casework.models import ConsentDecision
from notinschool.casework.selectors import consent_bars_current, consent_request_get
from notinschool.casework.services import consent_request_decide
from notinschool.casework.tests.factories import (
    MONDAY,
    child_in_special_place_withdrawn,
    child_on_plan_withdrawn,
    ehe_deletion,
)
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.models import Notification
from notinschool.intake.tests.factories import ImportBatchFactory
from notinschool.people.models import Child
from notinschool.risk.models import RequiredAction
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db


def consent_actions(child: Child, state: str = RequiredAction.State.OPEN) -> list[RequiredAction]:
    return list(RequiredAction.objects.filter(child=child, code="consent_required", state=state))


def decide(child: Child, decision: str, *, actor: Any = None,
           reasons: str = "School is in the child's best interests") -> ConsentDecision:
    return consent_request_decide(
        actor=actor or UserFactory.create(role=Role.TEAM_MANAGER), child=child, decision=decision,
        reasons=reasons, parent_notified_on=clock.today(), parent_notice_method="letter",
        school_notified_on=clock.today())


def assess() -> None:
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)


def readmitted(child: Child, on: dt.date) -> None:
    batch = ImportBatchFactory.create(kind="school-admissions", file_name="admissions.csv", as_of=on)
    Notification.objects.create(kind="school-admissions", batch=batch, child=child, row_hash=f"adm-{on}",
                                event_date=on, received_date=on, school_urn="100001")


def test_a_withdrawal_while_on_a_plan_opens_a_request_due_the_same_day():
    child = child_on_plan_withdrawn()
    assess()
    [action] = consent_actions(child)
    assert action.due_date == MONDAY
    request = consent_request_get(actor=COMMAND_LINE, child=child)
    assert request.grounds == [
        "Condition B: under a child protection plan on the deletion date (from 1 April 2025)"]
    assert "without the authority's consent" in request.reason


def test_a_special_school_place_the_authority_arranged_is_condition_a():
    child = child_in_special_place_withdrawn()
    assess()
    assert consent_actions(child)
    assert consent_request_get(actor=COMMAND_LINE, child=child).grounds == [
        "Condition A: the authority arranged the child's special school place"]


def test_granting_closes_the_request_keeps_the_notices_and_is_audited():
    child = child_on_plan_withdrawn()
    assess()
    manager = UserFactory.create(role=Role.TEAM_MANAGER)
    decision = decide(child, "granted", actor=manager, reasons="Suitable education is arranged")

    assert decision.decision == "granted" and decision.re_request_from is None
    assert decision.decided_by == manager and decision.parent_notice_method == "letter"
    assert decision.deletion is not None and decision.deletion.event_date == MONDAY
    assert not consent_actions(child) and consent_actions(child, RequiredAction.State.DONE)
    event = AuditEvent.objects.get(action="decide", object_type="consent_decision")
    assert event.actor == manager and event.detail["decision"] == "granted"
    assert event.object_ids == [str(decision.pk)]
    assert "Suitable education" not in str(event.detail)  # the audit holds no content


def test_refusing_bars_a_new_request_for_six_months():
    child = child_on_plan_withdrawn()
    assess()
    decision = decide(child, "refused")
    assert decision.re_request_from == dt.date(2027, 5, 23)


def test_a_decision_is_not_undone_by_the_next_assessment():
    child = child_on_plan_withdrawn()
    assess()
    decide(child, "refused")
    assess()
    assess()
    assert not consent_actions(child)
    assert RequiredAction.objects.filter(child=child, code="consent_required").count() == 1


def test_reasons_are_required():
    child = child_on_plan_withdrawn()
    assess()
    with pytest.raises(DomainError, match="Enter the reasons"):
        decide(child, "refused", reasons="   ")
    assert consent_actions(child) and not ConsentDecision.objects.exists()


def test_only_a_team_manager_decides():
    child = child_on_plan_withdrawn()
    assess()
    with pytest.raises(NotPermitted):
        decide(child, "granted", actor=UserFactory.create(role=Role.EHE_OFFICER))


def test_nothing_to_decide_without_an_open_request():
    child = child_on_plan_withdrawn()
    assess()
    decide(child, "granted")
    with pytest.raises(DomainError, match="no consent request waiting"):
        decide(child, "refused")


def test_a_new_withdrawal_within_six_months_of_a_refusal_opens_no_request_and_shows_the_bar():
    child = child_on_plan_withdrawn()
    assess()
    refusal = decide(child, "refused")
    readmitted(child, MONDAY + dt.timedelta(days=7))
    again = MONDAY + dt.timedelta(days=60)
    ehe_deletion(child, again)
    with clock.as_of(again):
        assess()
        assert not consent_actions(child)
        state = consent_states([child.pk], again)[child.pk]
        assert state.state == "barred" and state.bar == refusal
        manager = UserFactory.create(role=Role.TEAM_MANAGER)
        assert [(c, s.bar) for c, s in consent_bars_current(actor=manager)] == [(child, refusal)]


def test_a_new_withdrawal_after_the_bar_opens_a_new_request():
    child = child_on_plan_withdrawn()
    assess()
    decide(child, "refused")
    readmitted(child, MONDAY + dt.timedelta(days=7))
    again = dt.date(2027, 6, 1)
    ehe_deletion(child, again)
    with clock.as_of(again):
        assess()
        [action] = consent_actions(child)
        assert action.raised_on == again
        assert consent_states([child.pk], again)[child.pk].state == "waiting"
