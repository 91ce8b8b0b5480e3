"""An officer records "not suitable" from a child's page in a real browser, forgets the reasons
(the error summary), records it with the refused visit as evidence; a manager finds it on the
list awaiting approval, approves it, and the child's page shows the judgement in force and the
timeline who did what. axe-core checks each page (see notinschool/web/tests/browser.py)."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def test_an_officer_records_not_suitable_and_a_manager_approves_it(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER,
                                 first_name="Olive", last_name="Officer")
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER,
                                 first_name="Mina", last_name="Manager")
    child = ChildFactory.create(forename="Ada", surname="Lovelace")
    Contact.objects.create(child=child, contact_date=MONDAY - dt.timedelta(days=7),
                           method="home_visit", state="missed", outcome="declined")
    sign_in(page, officer)

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Record a suitability judgement")).click()
    page.wait_for_url(f"**/children/{child.pk}/suitability/new/")
    check_page(page, "suitability-1-new")
    page.get_by_label("Not suitable").check()
    page.get_by_role("button", name="Record the judgement").click()
    expect(page.get_by_role("alert").get_by_text("Enter the reasons for the judgement")).to_be_visible()
    check_page(page, "suitability-2-errors")
    page.get_by_label("Your reasons").fill("No work or plan seen; the parent refused a visit.")
    page.get_by_label(re.compile("Home visit, missed")).check()
    page.get_by_role("button", name="Record the judgement").click()
    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
    expect(page.get_by_text("it awaits a manager's approval")).to_be_visible()
    check_page(page, "suitability-3-awaiting")

    page.context.clear_cookies()
    sign_in(page, manager)
    page.goto("/suitability/awaiting/")
    check_page(page, "suitability-4-list")
    page.get_by_role("link", name=re.compile("^Ada Lovelace")).click()
    page.wait_for_url("**/decide/")
    check_page(page, "suitability-5-decide")
    page.get_by_role("radio", name="Approve it: the judgement is in force").check()
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
    expect(page.get_by_text("approved: it is in force")).to_be_visible()
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text("Suitability judgement approved: not suitable")).to_be_visible()
    expect(timeline.get_by_text("Mina Manager").first).to_be_visible()
    expect(timeline.get_by_text("Olive Officer").first).to_be_visible()
    check_page(page, "suitability-6-approved")
    judgement = SuitabilityJudgement.objects.get(child=child)
    assert (judgement.state, judgement.approved_by) == ("approved", manager)
