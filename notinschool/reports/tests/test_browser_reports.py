"""The partnership's analyst in a real browser: lands on the reports, opens the scorecard with
its charts and tables, and downloads the PDF. axe-core checks each page."""

from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_the_analyst_reads_the_scorecard_and_downloads_it(browser_page: Any) -> None:
    page = browser_page
    analyst = UserFactory.create(username="analyst", role=Role.ANALYST)
    for _ in range(7):
        ChildFactory.create()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(analyst))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/reports/")
    check_page(page, "reports-1-home")
    page.get_by_role("link", name="Scorecard").first.click()
    expect(page.get_by_text("7 children are on the register.")).to_be_visible()
    expect(page.get_by_role("img", name="Bar chart of children by risk tier")).to_be_visible()
    check_page(page, "reports-2-scorecard")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename.startswith("scorecard-")
