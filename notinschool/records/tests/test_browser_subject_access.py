"""Subject access in a real browser, as a team manager: the request form (its error summary,
then the child's reference, who asks and why), the review page with the held items, a decision
refused without a reason and then made for each held item, and the release with the family's
files. axe-core checks every page (notinschool/web/tests/browser.py)."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.letters.tests.factories import TODAY, default_templates
from notinschool.records.models import SubjectAccessRequest
from notinschool.records.tests.factories import SOCIAL_CARE_DETAIL, whole_family
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    default_templates()  # a transactional test's flush removes the migration's templates
    with clock.as_of(TODAY):
        yield


def test_a_manager_gathers_reviews_and_releases_a_bundle(browser_page: Any) -> None:
    page = browser_page
    whole_family()
    manager = UserFactory.create(username="maya", role=Role.TEAM_MANAGER, first_name="Maya",
                                 last_name="Patel")
    sign_in(page, manager)
    page.goto("/records/subject-access/")
    check_page(page, "records-01-requests")
    page.get_by_role("button", name="Start a request").click()
    page.get_by_role("button", name="Gather the bundle").click()
    # The error page comes back at the same address: wait for it rather than race the reload.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    check_page(page, "records-02-request-errors")

    page.get_by_label("The child's register reference").fill("R000123")
    page.get_by_label("The child (or someone acting for the child)").check()
    page.get_by_label("Purpose of the export").fill("Ava's request of 1 December 2026")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Gather the bundle").click()
    page.wait_for_url("**/records/subject-access/*/")
    expect(page.get_by_text("5 held items still need a decision")).to_be_visible()
    expect(page.get_by_text(SOCIAL_CARE_DETAIL)).to_be_visible()
    check_page(page, "records-03-review")

    page.get_by_role("link", name="Decide on Parent: Grace Okafor").click()
    page.get_by_label("Released").check()
    page.get_by_role("button", name="Save the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("Enter the reason for the decision")).to_be_visible()
    check_page(page, "records-04-decision-error")
    page.get_by_label("Reason").fill("Grace asked with Ava and agreed")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**/records/subject-access/*/#held")
    while page.get_by_role("link", name="Decide on").count():
        page.get_by_role("link", name="Decide on").first.click()
        page.get_by_label("Withheld").check()
        page.get_by_label("Reason").fill("Another person's information (Schedule 2, paragraph 16)")
        page.get_by_role("button", name="Save the decision").click()
        page.wait_for_url("**/records/subject-access/*/#held")
    check_page(page, "records-05-all-decided")
    page.get_by_role("button", name="Release the bundle").click()
    expect(page.get_by_role("link", name="Download the bundle for the family (PDF)")).to_be_visible()
    check_page(page, "records-06-released")
    request = SubjectAccessRequest.objects.get()
    assert request.state == "released" and (request.json or {}).get("items_withheld") == 4
