"""An officer changes a parent's address in a real browser: from the "Change" link on the child's
page, through the form (a wrong postcode first, the error summary), then finds the change with
the value before in the record's history. axe-core checks each page (web/tests/browser.py)."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.people.tests.factories import AddressFactory, ChildFactory, ChildParentFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_changes_a_parents_address_and_sees_the_history(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", first_name="Olu", last_name="Officer",
                                 role=Role.EHE_OFFICER)
    child = ChildFactory.create(forename="Ada", surname="Lovelace", postcode="LS6 2AB")
    AddressFactory.create(child=child, line_1="12 Mill Lane")
    ChildParentFactory.create(child=child, parent__name="George Byron", lives_with_child=False,
                              parent__address_line_1="1 Old Road", parent__postcode="LS6 1AB")
    sign_in(page, officer)

    page.goto(f"/children/{child.pk}/")
    check_page(page, "editing-1-child")
    page.get_by_role("link", name="Change George Byron").click()
    page.wait_for_url(f"**/children/{child.pk}/change/parents/**")
    check_page(page, "editing-2-parent-form")

    page.get_by_label("Address (optional)").fill("9 Far Lane")
    page.get_by_label("Postcode (optional)").fill("LS8 11")
    page.get_by_role("button", name="Save").click()
    error = page.get_by_role("alert").get_by_text("Enter a real postcode, like LS6 1AA")
    error.wait_for()
    expect(error).to_be_visible()
    check_page(page, "editing-3-parent-errors")

    page.get_by_label("Postcode (optional)").fill("LS8 1AA")
    page.get_by_label("Why the change (optional)").fill("Moved after the separation")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/children/{child.pk}/#parents")
    expect(page.get_by_text("George Byron's details are saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="9 Far Lane, LS8 1AA")).to_be_visible()
    check_page(page, "editing-4-child-saved")

    page.get_by_role("link", name="History of changes to this record").click()
    page.wait_for_url(f"**/children/{child.pk}/history/")
    table = page.get_by_role("table")
    moved = table.get_by_role("row", name="Parent George Byron: address 1 Old Road 9 Far Lane")
    expect(moved).to_be_visible()
    expect(page.get_by_text("Moved after the separation")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Olu Officer"))).to_be_visible()
    check_page(page, "editing-5-history")
