"""The first sign-in in a real browser: a new starter sets up the authenticator app; on each page
axe-core finds no accessibility problem and the browser reports no error (a content security
policy violation is one). The set-up every app's browser tests share (`browser_page`, `sign_in`,
`check_page`) is in browser.py. Signing in, searching the register and opening a child:
notinschool/people/tests/test_browser_pages.py.
"""

from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory
from notinschool.accounts.totp import totp_code_now
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from browser.py


def test_first_sign_in_sets_up_the_authenticator_app(browser_page: Any) -> None:
    page = browser_page
    UserFactory.create(username="newstarter", role=Role.HEALTH_PRACTITIONER, totp=False)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("newstarter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    check_page(page, "6-set-up-authenticator")
    secret = page.get_by_label("Or type this key into the app").input_value()
    page.get_by_label("Authenticator code").fill(totp_code_now(secret))
    page.get_by_role("button", name="Set up").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    check_page(page, "7-recovery-codes")
    page.goto("/")
    page.wait_for_url("**/register/")


def test_five_wrong_passwords_show_the_lockout_page(browser_page: Any) -> None:
    page = browser_page
    UserFactory.create(username="typist", role=Role.EHE_OFFICER)
    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("typist")
        page.get_by_label("Password").fill("not-my-password")
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="You cannot sign in for now").wait_for()
    # the page comes with status 429 (Too Many Requests) on purpose, which Chromium logs
    page.problems[:] = [p for p in page.problems if "status of 429" not in p]
    check_page(page, "8-locked-out")
    assert "This account is locked after 5 failed sign-in attempts. Try again after" in (
        page.locator("main").inner_text())
