"""Work queues: an officer's children, a manager's team, a social worker's alerts; due within 5
working days, overdue, waiting for a consent decision, alerts not acknowledged."""

import datetime as dt
from typing import Any

import pytest

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.selectors import work_counts, work_queue
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db


def child_due(officer: Any, due: dt.date, **kwargs: Any) -> Any:
    child = ChildFactory.create(officer=officer, **kwargs)
    AssessmentFactory.create(child=child, next_contact_due=due)
    return child


@pytest.fixture
def officers() -> tuple[Any, Any]:
    return (UserFactory.create(username="ann", role=Role.EHE_OFFICER),
            UserFactory.create(username="bob", role=Role.EHE_OFFICER))


def test_an_officer_sees_their_own_children_due_and_overdue(officers):
    ann, bob = officers
    overdue = child_due(ann, MONDAY - dt.timedelta(days=1))
    due_friday = child_due(ann, MONDAY + dt.timedelta(days=4))
    child_due(ann, MONDAY + dt.timedelta(days=8))  # the 6th working day: not yet due
    child_due(bob, MONDAY)  # someone else's
    action_child = ChildFactory.create(officer=ann)
    RequiredAction.objects.create(child=action_child, code="see_child_within_10_days", raised_on=MONDAY,
                                  due_date=MONDAY + dt.timedelta(days=2))

    queue = work_queue(actor=ann, team=False)
    # tier 4 first (by date), then the child with no assessment yet
    assert [(i.child, i.what, i.overdue, i.due_soon) for i in queue.items] == [
        (overdue, "Contact the family", True, False), (due_friday, "Contact the family", False, True),
        (action_child, "See the child", False, True)]
    assert [i.tier for i in queue.items] == [4, 4, None]
    assert queue.counts == {"alerts": 0, "overdue": 1, "due": 2, "decisions": 0}
    assert not queue.team  # an officer has no team view even when asking for it
    event = AuditEvent.objects.get(object_type="work_queue")
    assert event.child_count == 3 and event.actor == ann
    assert work_queue(actor=ann, team=True).counts == queue.counts


def test_a_manager_sees_the_team_or_their_own(officers):
    ann, bob = officers
    manager = UserFactory.create(role=Role.TEAM_MANAGER)
    child_due(ann, MONDAY - dt.timedelta(days=3))
    child_due(bob, MONDAY - dt.timedelta(days=2))
    mine = child_due(manager, MONDAY)
    team = work_queue(actor=manager, team=True)
    assert team.team and team.counts["overdue"] == 2 and team.counts["due"] == 1
    own = work_queue(actor=manager, team=False)
    assert [i.child for i in own.items] == [mine] and own.counts["overdue"] == 0


def test_consent_requests_wait_for_a_decision_and_alerts_for_social_care(settings):
    settings.NOTINSCHOOL_FRONT_DOOR_AGENCY = "Front door"
    door = AgencyFactory.create(name="Front door", kind=Agency.Kind.SOCIAL_CARE)
    duty = UserFactory.create(role=Role.SOCIAL_WORKER, agency=door)
    elsewhere = UserFactory.create(role=Role.SOCIAL_WORKER,
                                   agency=AgencyFactory.create(name="Other", kind="social_care"))
    manager = UserFactory.create(role=Role.TEAM_MANAGER)
    child = child_on_plan_withdrawn(officer=manager)
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)

    team = work_queue(actor=manager, team=True)
    assert [i.child for i in team.decisions] == [child]
    # the alert and the consent request have their own lists; seeing the child is due in 10 days
    # (then the register information still missing, which has no deadline)
    assert [(i.child, i.kind, i.overdue, i.due_soon, i.tier) for i in team.items] == [
        (child, "see_child_within_10_days", False, False, 1),
        (child, "request_information", False, False, 1)]
    assert [a.child for a in team.alerts] == [child]

    social = work_queue(actor=duty, team=True)
    assert not social.education and not social.items and not social.decisions
    assert [a.child for a in social.alerts] == [child] and social.counts == {"alerts": 1}
    assert child.pk in social.visible_children  # known to social care: may open the record
    assert work_counts(actor=elsewhere, team=False) == {"alerts": 0}


def test_roles_without_casework_see_no_childrens_work(officers):
    ann, _ = officers
    child_due(ann, MONDAY)
    health = UserFactory.create(role=Role.HEALTH_PRACTITIONER)
    queue = work_queue(actor=health, team=True)
    assert queue.counts == {"alerts": 0} and not queue.items
