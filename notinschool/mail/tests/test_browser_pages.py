"""An officer emails a family in a real browser: from the child's page, forgets the message
(the error summary), types another address, sends, and finds the email on the timeline.
axe-core checks each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.mail.models import SentEmail
from notinschool.people.tests.factories import ChildFactory, ChildParentFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_an_officer_emails_the_family(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER, first_name="Olu",
                                 last_name="Officer")
    child = ChildFactory.create(forename="Ada", surname="Lovelace")
    ChildParentFactory.create(child=child, parent__name="Pat Lovelace", parent__email="pat@example.com")

    sign_in(page, officer)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Email the family").click()
    page.wait_for_url(f"**/children/{child.pk}/email/")
    check_page(page, "mail-1-family-email")

    page.get_by_label("Pat Lovelace (pat@example.com)").check()
    page.get_by_label("Subject").fill("Our visit")
    page.get_by_role("button", name="Send the email").click()
    expect(page.get_by_role("alert").get_by_text("Enter a message")).to_be_visible()
    check_page(page, "mail-2-errors")

    page.get_by_label("Another email address").check()
    page.get_by_role("textbox", name="Other email address").fill("grandparent@example.com")
    page.get_by_label("Message").fill("We would like to visit Ada at home on Monday.")
    page.get_by_role("button", name="Send the email").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    expect(page.get_by_text("Email sent to grandparent@example.com.")).to_be_visible()
    expect(page.get_by_role("heading", name="Email: Our visit")).to_be_visible()
    check_page(page, "mail-3-child-page")
    assert [e.to for e in mail.outbox] == [["grandparent@example.com"]]
    assert SentEmail.objects.get().sent_by == officer
