"""The casework pages: consent decisions, the work queue and acknowledging alerts."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Alert, ConsentDecision
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn, ehe_deletion
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.web.tests.pagerules import assert_govuk_page
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db
NOTICES = {"parent_day": "23", "parent_month": "11", "parent_year": "2026", "parent_method": "letter",
           "school_day": "23", "school_month": "11", "school_year": "2026"}


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


@pytest.fixture
def waiting_child() -> Any:
    child = child_on_plan_withdrawn(forename="Ada", surname="Lovelace")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    return child


def page(client: Any, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return response.content.decode()


def test_the_consent_list_shows_whats_waiting_and_its_deadline(client_for, waiting_child):
    html = page(client_for(Role.TEAM_MANAGER), "/consent/")
    assert "Ada Lovelace" in html and waiting_child.child_ref in html
    assert "23 November 2026" in html and "Decide today" in html


def test_the_decision_page_says_why_consent_is_needed(client_for, waiting_child):
    html = page(client_for(Role.TEAM_MANAGER), f"/consent/{waiting_child.pk}/")
    assert "Condition B: under a child protection plan on the deletion date" in html
    assert "URN 100001" in html and "Record the decision" in html
    assert f'<a class="govuk-link" href="/children/{waiting_child.pk}/">Ada Lovelace</a>' in html


def test_a_decision_without_reasons_shows_the_error_summary(client_for, waiting_child):
    client = client_for(Role.TEAM_MANAGER)
    response = client.post(f"/consent/{waiting_child.pk}/", {"decision": "refused", "reasons": " ",
                                                            **NOTICES})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#reasons"' in html
    assert "Enter the reasons for the decision" in html
    assert not ConsentDecision.objects.exists()


def test_missing_and_future_notice_dates_are_errors(client_for, waiting_child):
    client = client_for(Role.TEAM_MANAGER)
    data = {**NOTICES, "decision": "granted", "reasons": "Suitable", "parent_day": "",
            "parent_month": "", "parent_year": "", "school_day": "24"}
    response = client.post(f"/consent/{waiting_child.pk}/", data)
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert 'href="#parent-notified-day"' in html and "Enter the date the parents were told" in html
    assert "The date the school was told must be today or in the past" in html


def test_a_manager_refuses_consent(client_for, waiting_child):
    client = client_for(Role.TEAM_MANAGER)
    response = client.post(f"/consent/{waiting_child.pk}/", {
        "decision": "refused", "reasons": "Attending school is in the child's best interests", **NOTICES})
    assert response.status_code == 302 and response["Location"] == "/consent/"
    decision = ConsentDecision.objects.get()
    assert decision.refused and decision.decided_by == client.user
    assert decision.re_request_from == dt.date(2027, 5, 23)
    html = page(client, "/consent/")
    assert "Consent refused for Ada Lovelace." in html and "No consent request is waiting." in html
    assert AuditEvent.objects.filter(action="decide", actor=client.user).count() == 1
    html = page(client, f"/consent/{waiting_child.pk}/")
    assert "No consent request is waiting for this child." in html and "23 May 2027" in html


def test_a_withdrawal_during_the_bar_shows_the_refusal(client_for, waiting_child):
    client = client_for(Role.TEAM_MANAGER)
    client.post(f"/consent/{waiting_child.pk}/", {"decision": "refused", "reasons": "Best interests",
                                                 **NOTICES})
    later = MONDAY + dt.timedelta(days=30)
    ehe_deletion(waiting_child, later)
    with clock.as_of(later):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
        html = page(client, "/consent/")
        assert "Withdrawn again within six months of a refusal" in html and "Ada Lovelace" in html
        html = page(client, f"/consent/{waiting_child.pk}/")
        assert "may not ask again until 23 May 2027" in html and "Record the decision" not in html


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER])
def test_only_managers_open_the_consent_pages(client_for, waiting_child, role):
    client = client_for(role)
    assert client.get("/consent/").status_code == 403
    assert client.post(f"/consent/{waiting_child.pk}/", {"decision": "granted"}).status_code == 403


def test_an_officers_work_queue(client_for):
    client = client_for(Role.EHE_OFFICER)
    overdue = ChildFactory.create(officer=client.user, forename="Grace", surname="Hopper")
    AssessmentFactory.create(child=overdue, next_contact_due=MONDAY - dt.timedelta(days=3))
    other = ChildFactory.create(forename="Someone", surname="Else")
    AssessmentFactory.create(child=other, next_contact_due=MONDAY)
    html = page(client, "/work/")
    assert "Your work" in html and "Grace Hopper" in html and "Someone Else" not in html
    assert "Overdue" in html and "20 November 2026" in html and "Show the whole team" not in html


def test_a_managers_team_queue_and_own_queue(client_for, waiting_child):
    client = client_for(Role.TEAM_MANAGER)
    html = page(client, "/work/")
    assert "Your team&#39;s work" in html and "Ada Lovelace" in html
    assert "Waiting for a consent decision" in html and "Decide consent requests" in html
    html = page(client, "/work/", data={"view": "mine"})
    assert "Ada Lovelace" not in html and "Show the whole team" in html


def test_a_social_worker_acknowledges_an_alert_from_their_queue(client_for, settings):
    settings.NOTINSCHOOL_FRONT_DOOR_AGENCY = "Front door"
    door = AgencyFactory.create(name="Front door", kind=Agency.Kind.SOCIAL_CARE)
    client = client_for(Role.SOCIAL_WORKER, agency=door, email="duty@sc.example")
    child = child_on_plan_withdrawn(forename="Ada", surname="Lovelace")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    html = page(client, "/work/")
    assert "Ada Lovelace" in html and "Acknowledge" in html and "Front door (front door)" in html
    assert "Waiting for a consent decision" not in html
    alert = Alert.objects.get(child=child)

    other = UserFactory.create(role=Role.SOCIAL_WORKER,
                               agency=AgencyFactory.create(name="Else", kind="social_care"))
    client_other = type(client)()
    client_other.force_login(other)
    assert client_other.post(f"/work/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert client.get(f"/work/alerts/{alert.pk}/acknowledge/").status_code == 405

    response = client.post(f"/work/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 302 and response["Location"] == "/work/"
    html = page(client, "/work/")
    assert f"Alert for {child.child_ref} acknowledged." in html and "No alert is waiting." in html
    alert.refresh_from_db()
    assert alert.acknowledged_by == client.user
