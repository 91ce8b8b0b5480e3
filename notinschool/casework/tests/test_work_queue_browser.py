"""An officer marks an action done in a real browser: the work queue, "Mark as done", the error
summary when nothing is chosen, the home visit as evidence, back to the queue with the banner.
axe-core checks each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

import datetime as dt
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
from notinschool.risk.models import RequiredAction
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def test_an_officer_marks_an_action_done_with_a_visit(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    child = ChildFactory.create(officer=officer, forename="Grace", surname="Hopper")
    AssessmentFactory.create(child=child, tier=1)
    action = RequiredAction.objects.create(child=child, code="see_child_within_10_days",
                                           raised_on=MONDAY - dt.timedelta(days=3), due_date=MONDAY)
    visit = Contact.objects.create(child=child, contact_date=MONDAY, method="home_visit", child_seen=True,
                                   outcome="engaged")

    sign_in(page, officer)
    page.get_by_role("link", name="Work").click()
    page.wait_for_url("**/work/")
    expect(page.get_by_role("cell", name="Tier 1")).to_be_visible()
    check_page(page, "work-queue-1-mine")
    # the visually hidden words say which item (how the browser spaces them varies)
    page.get_by_role("link", name=re.compile(f"^Mark as done.*See the child for {child.child_ref}$")).click()
    page.wait_for_url(f"**/work/actions/{action.pk}/done/**")
    check_page(page, "work-queue-2-mark-done")

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("alert").get_by_text("Select the contact, decision or note")).to_be_visible()
    check_page(page, "work-queue-3-errors")

    page.get_by_label("Home visit on 23 November 2026: engaged").check()
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url("**/work/**")
    expect(page.get_by_text("\u201cSee the child\u201d for Grace Hopper marked as done.")).to_be_visible()
    check_page(page, "work-queue-4-done")
    action.refresh_from_db()
    assert action.state == "done" and action.done_by == officer and action.evidence_id == visit.pk
