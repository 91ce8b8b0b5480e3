"""The annual report's page in a real browser: a team manager chooses a school year (first
without one, to see the error), then downloads the PDF. axe-core checks each page."""

from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_a_manager_chooses_a_year_and_downloads_the_annual_report(browser_page: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(manager))
    page.get_by_role("button", name="Sign in").click()
    page.goto("/reports/")
    page.get_by_role("link", name="Annual report").click()
    expect(page.get_by_role("heading", name="Annual report")).to_be_visible()
    check_page(page, "reports-annual-1-choose")
    page.goto("/reports/annual/?year=1990")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_page(page, "reports-annual-2-error")
    page.get_by_role("button", name="Choose").click()
    link = page.get_by_role("link", name="Download the annual report")
    expect(link).to_be_visible()
    check_page(page, "reports-annual-3-chosen")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("annual-report-")
