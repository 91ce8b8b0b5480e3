"""Alerts to children's social care (docs/risk-model.md `alert_social_care`, 1 working day): raised
by the risk run, once; to the allocated social worker or the front door team; by email with no
child's name; acknowledged by the social worker."""

from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Alert, SocialWorkerAllocation
from notinschool.casework.services import alert_acknowledge, social_worker_allocate
from notinschool.casework.tasks import send_pending_alerts
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.core.errors import NotPermitted
from notinschool.risk.models import RequiredAction
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY.replace(day=24)


@pytest.fixture
def front_door(settings: Any) -> Agency:
    settings.NOTINSCHOOL_FRONT_DOOR_AGENCY = "Front door"
    settings.NOTINSCHOOL_BASE_URL = "https://register.example"
    AgencyFactory.create(name="Another social care team", kind=Agency.Kind.SOCIAL_CARE)
    return AgencyFactory.create(name="Front door", kind=Agency.Kind.SOCIAL_CARE)


def social_worker(agency: Agency, name: str) -> Any:
    return UserFactory.create(username=name, role=Role.SOCIAL_WORKER, agency=agency,
                              email=f"{name}@social-care.example")


def assess() -> None:
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)


def test_the_front_door_team_gets_one_alert_and_one_email(front_door):
    social_worker(front_door, "duty1")
    social_worker(front_door, "duty2")
    child = child_on_plan_withdrawn()
    assess()
    assess()  # running again repeats nothing

    [alert] = Alert.objects.all()
    assert alert.child == child and alert.recipient is None and alert.recipient_agency == front_door
    assert alert.due_date == TUESDAY and alert.emailed_at is not None
    [email] = mail.outbox
    assert email.to == ["duty1@social-care.example", "duty2@social-care.example"]
    assert child.forename not in email.subject and child.surname not in email.subject
    assert child.child_ref not in email.subject
    assert child.forename not in email.body and child.surname not in email.body
    assert f"https://register.example/children/{child.pk}/" in email.body
    assert child.child_ref in email.body and "24 November 2026" in email.body
    # the email is about a child: audited once, with the child, and not with the addresses
    [sent] = AuditEvent.objects.filter(action="send")
    assert sent.object_type == "alert_email" and sent.object_ids == [str(alert.pk)]
    assert list(sent.children.values_list("child_id", flat=True)) == [child.pk]
    assert sent.detail == {"recipients": 2} and "duty1" not in str(sent.detail)


def test_the_allocated_social_worker_gets_the_alert(front_door):
    social_worker(front_door, "duty")
    child = child_on_plan_withdrawn()
    worker = social_worker(AgencyFactory.create(name="Locality team", kind="social_care"), "allocated")
    social_worker_allocate(actor=COMMAND_LINE, child=child, worker=worker)
    assess()
    [alert] = Alert.objects.all()
    assert alert.recipient == worker and alert.recipient_agency is None
    assert [e.to for e in mail.outbox] == [["allocated@social-care.example"]]


def test_with_no_front_door_named_the_first_social_care_team_gets_it(settings):
    settings.NOTINSCHOOL_FRONT_DOOR_AGENCY = ""
    second = AgencyFactory.create(name="Zeta team", kind="social_care")
    first = AgencyFactory.create(name="Alpha team", kind="social_care")
    social_worker(second, "zeta")
    child_on_plan_withdrawn()
    assess()
    assert Alert.objects.get().recipient_agency == first
    assert not mail.outbox  # nobody in that team has an address yet ...
    social_worker(first, "alpha")
    assert send_pending_alerts.enqueue().return_value == 1  # ... so the next run sends it
    assert AuditEvent.objects.get(action="send").actor_label == "system: pending alerts (system)"
    assess()
    assert [e.to for e in mail.outbox] == [["alpha@social-care.example"]]
    assert Alert.objects.count() == 1


def test_a_team_mailbox_takes_the_front_door_email(front_door, settings):
    settings.NOTINSCHOOL_FRONT_DOOR_EMAIL = "mash@social-care.example"
    social_worker(front_door, "duty")
    child_on_plan_withdrawn()
    assess()
    assert [e.to for e in mail.outbox] == [["mash@social-care.example"]]


def test_the_social_worker_acknowledges_once(front_door):
    duty = social_worker(front_door, "duty")
    child_on_plan_withdrawn()
    assess()
    alert = Alert.objects.get()
    alert_acknowledge(actor=duty, alert=alert)
    alert.refresh_from_db()
    assert alert.acknowledged_by == duty and alert.acknowledged_at is not None
    assert alert.required_action is not None and alert.required_action.state == "acknowledged"
    assert AuditEvent.objects.filter(action="update", object_type="alert", actor=duty).count() == 1
    alert_acknowledge(actor=duty, alert=alert)  # twice changes nothing
    assess()
    assert Alert.objects.count() == 1 and len(mail.outbox) == 1


def test_only_the_recipient_can_acknowledge(front_door):
    social_worker(front_door, "duty")
    child_on_plan_withdrawn()
    assess()
    alert = Alert.objects.get()
    elsewhere = social_worker(AgencyFactory.create(name="Other team", kind="social_care"), "other")
    for someone in (elsewhere, UserFactory.create(role=Role.TEAM_MANAGER, agency=front_door)):
        with pytest.raises(NotPermitted):
            alert_acknowledge(actor=someone, alert=alert)
    assert Alert.objects.get().acknowledged_at is None


def test_a_new_alert_only_when_social_care_must_be_told_again(front_door):
    social_worker(front_door, "duty")
    child = child_on_plan_withdrawn()
    assess()
    RequiredAction.objects.filter(child=child, code="alert_social_care").update(state="done")
    assess()  # the rules still ask: a new action, so a new alert
    assert Alert.objects.count() == 2 and len(mail.outbox) == 2


def test_the_command_line_allocates_a_social_worker(front_door):
    child = child_on_plan_withdrawn()
    worker = social_worker(front_door, "allocated")
    call_command("allocate_social_worker", child.child_ref, "allocated")
    assert child.social_worker_allocation.worker == worker
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    with pytest.raises(CommandError, match="active social worker"):
        call_command("allocate_social_worker", child.child_ref, officer.username)


def test_a_role_without_the_capability_cannot_allocate_a_social_worker(front_door):
    child = child_on_plan_withdrawn()
    worker = social_worker(front_door, "allocated")
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    with pytest.raises(NotPermitted):
        social_worker_allocate(actor=officer, child=child, worker=worker)
    assert not SocialWorkerAllocation.objects.exists()
    assert not AuditEvent.objects.filter(object_type="social_worker_allocation").exists()
