"""An officer plans a home visit from a child's page in a real browser, forgets the place (the
error summary), plans it, then records it done with the child seen alone and their views, and
finds it in the Contacts section and on the timeline. axe-core checks each page; the browser
reports no error (see notinschool/web/tests/browser.py)."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

VIEWS = "I like building bird boxes with Grandad."


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def test_an_officer_plans_a_visit_and_records_it_done(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER,
                                 first_name="Olive", last_name="Officer")
    child = ChildFactory.create(forename="Grace", surname="Hopper")
    sign_in(page, officer)

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Plan a visit").click()
    page.wait_for_url(f"**/children/{child.pk}/visits/new/")
    check_page(page, "contacts-1-plan")
    page.get_by_label("Home visit").check()
    day = page.get_by_role("group", name="Date of the visit")
    day.get_by_label("Day").fill("23")
    day.get_by_label("Month").fill("11")
    day.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Plan the visit").click()
    expect(page.get_by_role("alert").get_by_text("Enter where the visit will be")).to_be_visible()
    check_page(page, "contacts-2-plan-errors")
    page.get_by_label("Place", exact=True).fill("14 Compiler Lane")
    page.get_by_role("button", name="Plan the visit").click()

    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
    expect(page.get_by_text("Visit planned for Grace Hopper.")).to_be_visible()
    check_page(page, "contacts-3-planned")
    page.get_by_role("link", name=re.compile("^Record as done")).click()
    page.wait_for_url("**/done/")
    check_page(page, "contacts-4-done")
    page.get_by_label("Engaged").check()
    page.get_by_label("Yes, alone").check()
    page.get_by_label("The child's views, in their own words").fill(VIEWS)
    page.get_by_label("The parent's account").fill("We build things together most afternoons.")
    page.get_by_role("button", name="Record the visit").click()

    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
    expect(page.get_by_text("Visit recorded for Grace Hopper.")).to_be_visible()
    contacts = page.locator(".app-contact").first
    expect(contacts.get_by_text(VIEWS)).to_be_visible()
    expect(contacts.get_by_text("Yes, alone, in person")).to_be_visible()
    expect(contacts.get_by_text("14 Compiler Lane")).to_be_visible()
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text("Home visit: engaged, child seen alone")).to_be_visible()
    expect(timeline.get_by_text("Home visit planned for 23 November 2026")).to_be_visible()
    expect(timeline.get_by_text("Olive Officer").first).to_be_visible()
    check_page(page, "contacts-5-recorded")
    visit = Contact.objects.get(child=child)
    assert (visit.state, visit.seen_alone, visit.child_views) == ("done", True, VIEWS)
