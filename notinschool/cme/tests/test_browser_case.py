"""A missing education case in a real browser: an officer opens it from the child's page for
the child's `cme_enquiries` action, records an enquiry of the parents, tries to close the case
because the child cannot be found (refused in the error summary), then closes it as admitted to
a school with the URN and the date; the child's page shows the closed case and the child back at
school. axe-core checks each page (see notinschool/web/tests/browser.py)."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.cme.models import CmeCase
from notinschool.cme.tests.factories import MONDAY, cme_child
from notinschool.core import clock
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def fill_date(page: Any, on: dt.date, group: str = "") -> None:
    where = page.get_by_role("group", name=group) if group else page
    where.get_by_label("Day").fill(str(on.day))
    where.get_by_label("Month").fill(str(on.month))
    where.get_by_label("Year").fill(str(on.year))


def test_a_case_closes_only_with_an_allowed_reason_and_its_evidence(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER,
                                 first_name="Olive", last_name="Officer")
    child = cme_child(forename="Ada", surname="Lovelace")
    sign_in(page, officer)

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Open a children missing education case")).click()
    page.wait_for_url(re.compile(rf".*/children/{child.pk}/cme/new/.*"))
    check_page(page, "cme-1-open")
    page.get_by_label("Whereabouts unknown").check()
    fill_date(page, MONDAY - dt.timedelta(days=14))
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url("**/cme/*/")
    expect(page.get_by_text("Missing education case opened for Ada Lovelace")).to_be_visible()
    check_page(page, "cme-2-case")

    page.get_by_role("link", name="Record an enquiry of parents or carers").click()
    page.get_by_label("Who was asked").fill("Mother, by the last known number")
    fill_date(page, MONDAY, "When the enquiry was made")
    page.get_by_label("Telephone").check()
    page.get_by_role("button", name="Record the enquiry").click()
    page.wait_for_url("**/cme/*/")
    expect(page.get_by_text("Awaiting an answer")).to_be_visible()

    page.get_by_role("link", name="Close the case").click()
    page.wait_for_url("**/close/")
    check_page(page, "cme-3-close")
    page.get_by_label("The child cannot be found").check()
    page.get_by_role("button", name="Close the case").click()
    summary = page.get_by_role("alert")
    refusal = re.compile("A child who cannot be found stays on the missing education list")
    expect(summary.get_by_text(refusal)).to_be_visible()
    check_page(page, "cme-4-refused")
    page.get_by_label("Admitted to a school").check()
    page.get_by_label("The school's URN").fill("123456")
    page.get_by_label("The school's name (optional)").fill("Hill Primary")
    fill_date(page, MONDAY)
    page.get_by_role("button", name="Close the case").click()
    page.wait_for_url("**/cme/*/")
    closed = "Admitted to Hill Primary (URN 123456) on 23 November 2026"
    expect(page.get_by_text(closed).first).to_be_visible()
    check_page(page, "cme-5-closed")

    page.goto(f"/children/{child.pk}/")
    expect(page.locator("#cme")).to_be_visible()
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_role("heading", name="Missing education case closed")).to_be_visible()
    check_page(page, "cme-6-child")
    case = CmeCase.objects.get(child=child)
    assert (case.state, case.closure, case.school_urn) == ("closed", "admitted_to_school", "123456")
    child.refresh_from_db()
    assert child.status == "returned_to_school"
    assert RequiredAction.objects.get(child=child, code="cme_enquiries").state == "done"
