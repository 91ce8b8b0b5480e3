"""The termly return and the assurance report in a real browser: a team manager chooses the
census date, opens the children behind a figure, then reads the assurance report and opens the
children missing from a measure. axe-core checks each page."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.people.models import StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_a_manager_reads_the_return_and_the_assurance_report(browser_page: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    for name, status, born in (("Ada", "ehe", dt.date(2015, 3, 1)), ("Ben", "ehe", dt.date(2013, 6, 2)),
                               ("Cal", "cme", dt.date(2016, 9, 9))):
        child = ChildFactory.create(forename=name, surname="Hill", status=status, date_of_birth=born,
                                    sex="F" if name == "Ada" else "M", ehe_reason="")
        StatusChange.objects.create(child=child, status=status, date=dt.date(2026, 9, 20), reason="test")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.get_by_label("Code").fill(current_code(manager))
    page.get_by_role("button", name="Sign in").click()
    page.goto("/reports/return/")
    page.get_by_role("textbox", name="Census date").fill("2026-10-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Census date 1 October 2026")).to_be_visible()
    check_page(page, "reports-3-return")
    page.get_by_role("link", name="children: children, Female").first.click()
    expect(page.get_by_role("link", name="Ada Hill")).to_be_visible()
    check_page(page, "reports-4-return-children")
    page.goto("/reports/assurance/")
    expect(page.get_by_role("heading", name="Assurance report")).to_be_visible()
    check_page(page, "reports-5-assurance")
    page.get_by_role("link", name="children missing: The child's views recorded in the last 12 months") \
        .click()
    expect(page.get_by_role("link", name="Cal Hill")).to_be_visible()
    check_page(page, "reports-6-assurance-children")
