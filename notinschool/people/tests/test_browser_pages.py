"""The register in a real browser: sign in with a password and a TOTP code, search the
register, open a child; on each page axe-core finds no accessibility problem and the browser
reports no error (see notinschool/web/tests/browser.py for the set-up). Screenshots go to
/tmp/nis-shots/."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.linkage.tests.factories import known_to
from notinschool.people.tests.factories import (
    AddressFactory,
    ChildFactory,
    ChildParentFactory,
    StatusChangeFactory,
)
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.web.tests.browser import browser_page, check_page

__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_child_to_find() -> Any:
    child = ChildFactory.create(forename="Ada", surname="Lovelace", date_of_birth=dt.date(2014, 3, 27),
                         postcode="LS6 2AB")
    AddressFactory.create(child=child, line_1="12 Mill Lane")
    AddressFactory.create(child=child, line_1="3 Canal Side", is_current=False,
                          moved_in_date=dt.date(2020, 1, 1),
                   moved_out_date=dt.date(2026, 4, 30))
    ChildParentFactory.create(child=child, parent__name="Anne Lovelace")
    ChildParentFactory.create(child=child, parent__name="George Byron", lives_with_child=False,
                              educates=False)
    StatusChangeFactory.create(child=child)
    AssessmentFactory.create(child=child, tier=2, review_interval_months=6, flags=["child_in_need"],
                      required_actions=["alert_social_care"], reasons=["A current child in need plan"])
    known_to("social_care", child, indicator="child_in_need", detail="Family support plan")
    ChildFactory.create_batch(60)
    return child


def test_sign_in_search_and_open_a_child(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    child = a_child_to_find()

    page.goto("/accounts/login/")
    check_page(page, "1-sign-in")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_page(page, "2-authenticator-code")
    page.get_by_label("Code").fill(current_code(officer))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/register/")
    check_page(page, "3-register")
    page.get_by_label("Name").fill("lovelace")
    page.get_by_label("Postcode").fill("LS6")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/register/?*")
    expect(page.get_by_role("heading", name="1 child")).to_be_visible()
    check_page(page, "4-register-search")

    page.get_by_role("link", name=child.child_ref).click()
    page.wait_for_url(f"**/children/{child.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Lovelace"
    check_page(page, "5-child")
