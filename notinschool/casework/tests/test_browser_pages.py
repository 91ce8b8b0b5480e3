"""A team manager refuses consent in a real browser: signs in, finds the request in the work
queue, forgets the reasons (the error summary), then refuses with reasons and the notices.
axe-core checks each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import ConsentDecision
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.core import clock
from notinschool.web.tests.browser import browser_page, check_page, sign_in
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def test_a_manager_refuses_consent(browser_page: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    child = child_on_plan_withdrawn(forename="Ada", surname="Lovelace")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)

    sign_in(page, manager)

    page.get_by_role("link", name="Work").click()
    page.wait_for_url("**/work/")
    check_page(page, "casework-1-team-queue")
    page.get_by_role("link", name="Decide consent requests").click()
    page.wait_for_url("**/consent/")
    check_page(page, "casework-2-consent-list")
    page.get_by_role("link", name="Ada Lovelace").click()
    page.wait_for_url(f"**/consent/{child.pk}/")
    check_page(page, "casework-3-consent-decide")

    page.get_by_label("Consent refused").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert").get_by_text("Enter the reasons for the decision")).to_be_visible()
    check_page(page, "casework-4-consent-errors")

    page.get_by_label("Reasons").fill("Attending school is in Ada's best interests while on the plan.")
    parent = page.get_by_role("group", name="Notice to the parents")
    parent.get_by_label("Day").fill("23")
    parent.get_by_label("Month").fill("11")
    parent.get_by_label("Year").fill("2026")
    parent.get_by_label("Letter").check()
    school = page.get_by_role("group", name="Notice to the school")
    school.get_by_label("Day").fill("23")
    school.get_by_label("Month").fill("11")
    school.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record the decision").click()

    page.wait_for_url("**/consent/")
    expect(page.get_by_text("Consent refused for Ada Lovelace.")).to_be_visible()
    check_page(page, "casework-5-refused")
    decision = ConsentDecision.objects.get()
    assert decision.refused and decision.decided_by == manager

    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Consent to withdraw from school")).to_be_visible()
    reasons = "Attending school is in Ada's best interests while on the plan."
    expect(page.get_by_role("cell", name=reasons)).to_be_visible()
    expect(page.get_by_role("heading", name="Alerts to children's social care")).to_be_visible()
    expect(page.get_by_text("Not acknowledged")).to_be_visible()
    check_page(page, "casework-6-child-page")
