"""The child's page shows the consent decisions, the alerts to children's social care and the
tier override in force, each to the roles that may see them (docs/product.md, 'Who uses it')."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.casework.models import Alert
from notinschool.casework.services import alert_acknowledge
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.tests.helpers import ordinary_child
from notinschool.web.tests.conftest import health_agency
from notinschool.web.tests.pagerules import assert_govuk_page
from notinschool.workflow.assessment import risk_assessment_run

__all__ = ["health_agency"]  # the fixture, from the shell's conftest

pytestmark = pytest.mark.django_db
NOTICES = {"parent_day": "23", "parent_month": "11", "parent_year": "2026", "parent_method": "letter",
           "school_day": "23", "school_month": "11", "school_year": "2026"}
REASONS = "Attending school is in the child's best interests while the plan is in place"


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


@pytest.fixture
def front_door(settings: Any) -> Agency:
    settings.NOTINSCHOOL_FRONT_DOOR_AGENCY = "Front door"
    return AgencyFactory.create(name="Front door", kind=Agency.Kind.SOCIAL_CARE)


@pytest.fixture
def withdrawn(front_door: Agency) -> Any:
    """A child on a child protection plan, in LS6, withdrawn for home education: the rules ask
    for consent and alert social care (the front door team)."""
    child = child_on_plan_withdrawn(forename="Ada", surname="Lovelace", postcode="LS6 1AB")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    return child


def child_page(client: Any, child: Any) -> str:
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_manager_sees_the_waiting_request_and_is_offered_the_decision(client_for, withdrawn):
    html = child_page(client_for(Role.TEAM_MANAGER), withdrawn)
    assert "Consent to withdraw from school" in html
    assert "A consent request is waiting for a decision: decide by 23 November 2026" in html
    assert f"/consent/{withdrawn.pk}/" in html

    officer_html = child_page(client_for(Role.EHE_OFFICER), withdrawn)
    assert "A consent request is waiting for a decision" in officer_html
    assert f"/consent/{withdrawn.pk}/" not in officer_html


def test_a_manager_sees_the_refused_consent_with_its_reason_and_the_bar(client_for, withdrawn,
                                                                        health_agency):
    manager = client_for(Role.TEAM_MANAGER, first_name="Maya", last_name="Patel")
    response = manager.post(f"/consent/{withdrawn.pk}/",
                            {"decision": "refused", "reasons": REASONS, **NOTICES})
    assert response.status_code == 302
    html = child_page(manager, withdrawn)
    assert "Consent refused" in html and REASONS.replace("'", "&#39;") in html
    assert "Maya Patel" in html and "23 May 2027" in html
    assert "A consent request is waiting" not in html

    health_html = child_page(client_for(Role.HEALTH_PRACTITIONER, agency=health_agency), withdrawn)
    assert "Consent to withdraw from school" not in health_html
    assert "Consent refused" not in health_html and "best interests" not in health_html

    social_html = child_page(client_for(Role.SOCIAL_WORKER), withdrawn)
    assert "Consent refused" in social_html and "23 May 2027" in social_html


def test_the_alert_to_social_care_shows_whom_it_went_to_and_its_acknowledgement(
        client_for, withdrawn, front_door, health_agency):
    officer = client_for(Role.EHE_OFFICER)
    html = child_page(officer, withdrawn)
    assert "Alerts to children&#39;s social care" in html
    assert "Front door (front door)" in html and "Not acknowledged" in html

    worker = client_for(Role.SOCIAL_WORKER, agency=front_door, first_name="Sam", last_name="Okafor")
    alert_acknowledge(actor=worker.user, alert=Alert.objects.get(child=withdrawn))
    html = child_page(officer, withdrawn)
    assert "Not acknowledged" not in html and "Acknowledged" in html and "by Sam Okafor" in html
    assert "Acknowledged" in child_page(worker, withdrawn)

    health_html = child_page(client_for(Role.HEALTH_PRACTITIONER, agency=health_agency), withdrawn)
    assert "Alerts to children" not in health_html and "Front door" not in health_html


def test_a_child_without_consent_or_alerts_has_neither_section(client_for):
    html = child_page(client_for(Role.TEAM_MANAGER), ChildFactory.create())
    assert "Consent to withdraw from school" not in html and "Alerts to children" not in html


def test_the_override_in_force_shows_its_rationale_to_education_and_its_expiry_to_health(
        client_for, health_agency):
    child = ordinary_child(postcode="LS6 2AB")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    manager = client_for(Role.TEAM_MANAGER)
    rationale = "The health visitor has not seen the child since the family moved."
    response = manager.post(f"/children/{child.pk}/override/", {"tier": "2", "rationale": rationale})
    assert response.status_code == 302
    html = child_page(client_for(Role.EHE_OFFICER), child)
    assert "Tier overridden" in html and rationale in html
    assert "1 March 2027, the next review" in html

    health_html = child_page(client_for(Role.HEALTH_PRACTITIONER, agency=health_agency), child)
    assert "Tier overridden" in health_html and "A manager set tier 2 until" in health_html
    assert "health visitor has not seen" not in health_html


def test_a_school_lead_cannot_open_a_childs_page(client_for, withdrawn):
    assert client_for(Role.SCHOOL_LEAD).get(f"/children/{withdrawn.pk}/").status_code == 403
