"""The statutory path's rules: the steps in order (a record cannot skip one), the parent's
deadline counted from service, 'not satisfied' and the order not before the parent's time is
up, a manager's approval before a notice or order is issued, lateness, and work items."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import WorkItem
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.risk.models import RequiredAction
from notinschool.statutory.models import StatutoryCase, StatutoryStep
from notinschool.statutory.services import K, permitted_next, step_decide, step_take
from notinschool.statutory.tests.factories import (
    MONDAY,
    family,
    letter_text,
    to_preliminary_notice,
)

pytestmark = pytest.mark.django_db
S = StatutoryStep


@pytest.fixture
def people(make_user):
    return (make_user(Role.EHE_OFFICER, first_name="Olive", last_name="Okafor"),
            make_user(Role.TEAM_MANAGER, first_name="Maya", last_name="Patel"))


def test_the_informal_enquiry_opens_a_case_with_its_letter_and_a_work_item(people):
    officer, _ = people
    child = family()
    step = step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY)
    assert step.state == S.State.TAKEN and step.taken_on == MONDAY
    assert step.deadline == dt.date(2026, 12, 22)
    assert "Please reply by 22 December 2026." in letter_text(step)
    assert step.letter is not None and step.letter.child == child
    item = WorkItem.objects.get(child=child, closed_at__isnull=True)
    assert item.due_date == dt.date(2027, 1, 1) and "consider the preliminary notice" in item.title
    assert permitted_next(step.case) == [K.PRELIMINARY_NOTICE]
    assert AuditEvent.objects.filter(object_type="statutory_step", action="create").count() == 1


@pytest.mark.parametrize("kind", [K.PRELIMINARY_NOTICE, K.DECISION, K.NOTICE_OF_INTENTION, K.ORDER,
                                  K.REVOCATION])
def test_a_record_cannot_skip_the_informal_enquiry(people, kind):
    officer, _ = people
    with pytest.raises(DomainError, match=r"cannot be taken yet: a record cannot skip a step\. "
                                          "The next step is: informal enquiry letter"):
        step_take(actor=officer, child=family(), kind=kind, service="hand", outcome="satisfied",
                  schools="Canal Primary", reasons="Because", revoked_by="authority")
    assert not StatutoryCase.objects.exists()


def test_an_order_cannot_follow_the_preliminary_notice(people):
    officer, manager = people
    child = family()
    to_preliminary_notice(child, officer, manager)
    with pytest.raises(DomainError, match="The next step is: decision after the preliminary notice"):
        step_take(actor=officer, child=child, kind=K.ORDER, schools="Canal Primary")


def test_the_preliminary_notice_waits_for_another_managers_approval(people, make_user):
    officer, manager = people
    child = family()
    step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY)
    proposed = step_take(actor=officer, child=child, kind=K.PRELIMINARY_NOTICE, service="hand")
    assert proposed.state == S.State.PROPOSED and proposed.letter is None and proposed.taken_on is None
    with pytest.raises(DomainError, match="awaits a manager's approval"):
        step_take(actor=officer, child=child, kind=K.PRELIMINARY_NOTICE, service="hand")
    with pytest.raises(NotPermitted):
        step_decide(actor=officer, step=proposed, approve=True)
    own = step_take(actor=manager, child=family(forename="Ben"), kind=K.INFORMAL_ENQUIRY)
    mine = step_take(actor=manager, child=own.case.child, kind=K.PRELIMINARY_NOTICE, service="hand")
    with pytest.raises(DomainError, match="Another manager must approve a step you proposed"):
        step_decide(actor=manager, step=mine, approve=True)
    with pytest.raises(DomainError, match="Enter your comments"):
        step_decide(actor=manager, step=proposed, approve=False)
    returned = step_decide(actor=manager, step=proposed, approve=False, comments="Wait for the visit")
    assert returned.state == S.State.RETURNED and returned.letter is None
    again = step_take(actor=officer, child=child, kind=K.PRELIMINARY_NOTICE, service="hand")
    issued = step_decide(actor=make_user(Role.TEAM_MANAGER), step=again, approve=True)
    assert issued.state == S.State.TAKEN and issued.number == 3


def test_the_notice_by_hand_gives_15_days_from_today(people):
    officer, manager = people
    notice = to_preliminary_notice(family(), officer, manager)
    assert (notice.served_on, notice.deadline) == (MONDAY, dt.date(2026, 12, 22))
    text = letter_text(notice)
    assert "section 437(1)" in text and "served on 7 December 2026" in text
    assert "You have until 22 December 2026 to satisfy the council" in text


def test_by_post_it_is_served_the_second_working_day_after_and_the_setting_lengthens_it(people, settings):
    officer, manager = people
    notice = to_preliminary_notice(family(), officer, manager, service="post")
    assert (notice.served_on, notice.deadline) == (dt.date(2026, 12, 9), dt.date(2026, 12, 24))
    settings.NOTINSCHOOL_S437_NOTICE_DAYS = 21
    longer = to_preliminary_notice(family(forename="Ben"), officer, manager)
    assert longer.deadline == dt.date(2026, 12, 28)
    settings.NOTINSCHOOL_S437_NOTICE_DAYS = 10  # the law says not less than 15
    assert to_preliminary_notice(family(forename="Cal"), officer, manager).deadline == dt.date(2026, 12, 22)


def test_not_satisfied_waits_for_the_deadline_and_satisfied_closes_the_case(people):
    officer, manager = people
    child = family()
    to_preliminary_notice(child, officer, manager)
    with pytest.raises(DomainError, match="until 22 December 2026 to satisfy the authority: "
                                          "'not satisfied' can be recorded from 23 December 2026"):
        step_take(actor=officer, child=child, kind=K.DECISION, outcome="not_satisfied", reasons="No reply")
    decision = step_take(actor=officer, child=child, kind=K.DECISION, outcome="satisfied",
                         reasons="A full written report and samples of work arrived.")
    case = StatutoryCase.objects.get(child=child)
    assert case.closed_on == MONDAY and case.closed_reason == "satisfied"
    assert "no further action" in letter_text(decision)
    assert not WorkItem.objects.filter(child=child, closed_at__isnull=True).exists()
    assert permitted_next(case) == []
    # a new episode starts again with an informal enquiry
    assert step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY).case != case


def test_a_decision_after_its_due_date_says_how_late_it_is(people):
    officer, manager = people
    child = family()
    to_preliminary_notice(child, officer, manager)
    item = WorkItem.objects.get(child=child, closed_at__isnull=True)
    assert item.due_date == dt.date(2027, 1, 1) and "record the decision" in item.title
    with clock.as_of(dt.date(2027, 1, 5)):
        decision = step_take(actor=officer, child=child, kind=K.DECISION, outcome="not_satisfied",
                             reasons="No information came.")
    assert decision.due_by == dt.date(2027, 1, 1) and decision.late_days == 4 and decision.is_late
    item.refresh_from_db()
    assert item.closed_at is not None
    assert decision.letter is None  # the notice of intention is the next letter


def test_the_whole_path_to_an_order_and_its_revocation(people, make_user):
    officer, manager = people
    child = family()
    to_preliminary_notice(child, officer, manager)
    with clock.as_of(dt.date(2026, 12, 23)):
        decision = step_take(actor=officer, child=child, kind=K.DECISION, outcome="not_satisfied",
                             reasons="No information came.")
        assert decision.late_days == 0
        proposed = step_take(actor=officer, child=child, kind=K.NOTICE_OF_INTENTION, service="hand",
                             schools="Canal Primary School", reasons="No information came.")
        intention = step_decide(actor=manager, step=proposed, approve=True)
    assert intention.deadline == dt.date(2027, 1, 7)
    text = letter_text(intention)
    assert "Canal Primary School" in text and "by 7 January 2027" in text
    with clock.as_of(dt.date(2027, 1, 6)), pytest.raises(DomainError, match="until 7 January 2027 to choose"):
        step_take(actor=officer, child=child, kind=K.ORDER, schools="Canal Primary School")
    with clock.as_of(dt.date(2027, 1, 8)):
        proposed = step_take(actor=officer, child=child, kind=K.ORDER, schools="Canal Primary School")
        order = step_decide(actor=manager, step=proposed, approve=True)
    assert order.taken_on == dt.date(2027, 1, 8) and "Canal Primary School" in letter_text(order)
    assert not WorkItem.objects.filter(child=child, closed_at__isnull=True).exists()
    with clock.as_of(dt.date(2027, 3, 1)):
        proposed = step_take(actor=officer, child=child, kind=K.REVOCATION, revoked_by="parent",
                             application_on=dt.date(2027, 2, 1), outcome="refused",
                             reasons="No education otherwise is arranged yet.")
        refused = step_decide(actor=manager, step=proposed, approve=True)
    assert refused.late_days == 18 and "not to revoke" in letter_text(refused)
    assert StatutoryCase.objects.get(child=child).is_open
    with clock.as_of(dt.date(2027, 4, 1)):
        proposed = step_take(actor=officer, child=child, kind=K.REVOCATION, revoked_by="authority",
                             reasons="Ava is on the roll of Canal Primary School.")
        revoked = step_decide(actor=manager, step=proposed, approve=True)
    assert revoked.outcome == "revoked" and "is revoked" in letter_text(revoked)
    case = StatutoryCase.objects.get(child=child)
    assert (case.closed_on, case.closed_reason) == (dt.date(2027, 4, 1), "revoked")


def test_the_notice_does_the_risk_models_consider_preliminary_notice_action(people):
    officer, manager = people
    child = family()
    action = RequiredAction.objects.create(child=child, code="consider_preliminary_notice", raised_on=MONDAY)
    notice = to_preliminary_notice(child, officer, manager)
    action.refresh_from_db()
    assert action.state == "done" and action.done_by == manager
    assert (action.evidence_kind, action.evidence_id) == ("statutory_step", notice.pk)
    assert action.evidence_summary == ("Preliminary notice served 7 December 2026; "
                                       "the parent's deadline 22 December 2026")


def test_the_home_visit_request_only_once_commenced(people, settings):
    officer, _ = people
    child = family()
    step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY)
    with pytest.raises(DomainError, match="not in force here yet"):
        step_take(actor=officer, child=child, kind=K.HOME_VISIT_REQUEST, service="hand")
    settings.NOTINSCHOOL_HOME_VISIT_REQUEST_COMMENCED = True
    visit = step_take(actor=officer, child=child, kind=K.HOME_VISIT_REQUEST, service="hand")
    assert visit.deadline == dt.date(2026, 12, 22) and "visit" in letter_text(visit)
    assert permitted_next(visit.case) == [K.PRELIMINARY_NOTICE]


def test_roles_without_casework_cannot_take_a_step(make_user):
    with pytest.raises(NotPermitted):
        step_take(actor=make_user(Role.ANALYST), child=family(), kind=K.INFORMAL_ENQUIRY)
