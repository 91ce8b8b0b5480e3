"""An administrator in a real browser: invites a health practitioner into a health team whose
districts they add first, then resets a colleague's two factors. axe-core checks each page."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_an_administrator_adds_a_team_invites_a_nurse_and_resets_two_factors(browser_page: Any) -> None:
    page = browser_page
    admin = UserFactory.create(username="admin", role=Role.ADMIN, first_name="Ada", last_name="Min")
    colleague = UserFactory.create(username="sw", role=Role.SOCIAL_WORKER, first_name="Sam", last_name="Ward")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(admin))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/administration/")
    check_page(page, "administration-1-overview")

    page.get_by_role("link", name="Agencies and teams").click()
    page.get_by_role("link", name="Add an agency or team").click()
    page.get_by_label("Name").fill("North school nursing")
    page.get_by_label("Kind").select_option(label="Health")
    page.get_by_label("Postcode districts covered").fill("LS6 LEEDS")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="LEEDS is not a postcode district")).to_be_visible()
    check_page(page, "administration-2-agency-error")
    page.get_by_label("Postcode districts covered").fill("ls7, ls6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="LS6 LS7")).to_be_visible()
    check_page(page, "administration-3-agencies")

    page.goto("/administration/people/")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Username").fill("n.patel")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Email address").fill("nina.patel@nhs.example")
    page.get_by_label("Role").select_option(label="Health practitioner")
    page.get_by_label("Agency or team").select_option(label="North school nursing")
    check_page(page, "administration-4-invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", name="Nina Patel")).to_be_visible()
    check_page(page, "administration-5-person")
    nina = User.objects.get(username="n.patel")
    assert nina.agency is not None and nina.agency.districts == ["LS6", "LS7"]
    assert [m.to for m in mail.outbox] == [["nina.patel@nhs.example"]]

    page.goto(f"/administration/people/{colleague.pk}/")
    page.get_by_label("Reason").nth(1).fill("Lost phone")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Reset two factors").click()
    expect(page.get_by_text("Sam Ward's two factors were reset")).to_be_visible()
    expect(page.get_by_text("Not set up yet")).to_be_visible()
    check_page(page, "administration-6-reset")
