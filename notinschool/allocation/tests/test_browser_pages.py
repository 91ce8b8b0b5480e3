"""A team manager allocates a postcode district in a real browser: the unallocated queue,
a preview of how many will change, the confirmation, and a shorter queue. axe-core checks
each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.allocation.tests.factories import officer
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def test_a_manager_allocates_a_district(browser_page: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    holder = officer(first_name="Priya", last_name="Shah")
    for n in range(3):
        ChildFactory.create(postcode=f"WV10 {n}AB")
    ChildFactory.create(postcode="WV3 1AB")

    sign_in(page, manager)
    page.goto("/allocation/")
    expect(page.get_by_role("heading", name="4 children waiting for an officer")).to_be_visible()
    check_page(page, "allocation-1-queue")

    page.get_by_label("Officer").select_option(label="Priya Shah")
    page.get_by_label("Postcode district").fill("WV10")
    page.get_by_role("button", name="Check how many will change").click()
    expect(page.get_by_text("3 children will be allocated to Priya Shah.")).to_be_visible()
    check_page(page, "allocation-2-preview")

    page.get_by_role("button", name="Confirm the allocation").click()
    page.wait_for_url("**/allocation/")
    expect(page.get_by_text("3 children allocated to Priya Shah.")).to_be_visible()
    expect(page.get_by_role("heading", name="1 child waiting for an officer")).to_be_visible()
    check_page(page, "allocation-3-queue-after")
    assert Child.objects.filter(officer=holder).count() == 3
