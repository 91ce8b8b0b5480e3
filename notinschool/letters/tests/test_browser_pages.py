"""In a real browser: an officer sends the first letter from a child's page (forgetting to choose
one first: the error summary), checks it, sends it and finds the download; a manager edits a
template with a wrong placeholder (the error summary), previews and saves it. axe-core checks
each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.letters.models import Letter, LetterKind
from notinschool.letters.tests.factories import TODAY, default_templates, family, template
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    default_templates()  # a transactional test's flush removes the migration's templates
    with clock.as_of(TODAY):
        yield


def test_an_officer_sends_the_first_letter_from_the_childs_page(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER, first_name="Sam",
                                 last_name="Patel")
    child = family()
    sign_in(page, officer)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Send a letter")).click()
    page.wait_for_url(f"**/children/{child.pk}/letters/new/")
    check_page(page, "letters-1-choose")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("alert").get_by_text("Select the letter to send")).to_be_visible()
    check_page(page, "letters-2-choose-errors")
    page.get_by_label("First letter to a family").check()
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_role("heading", name="Check the letter")).to_be_visible()
    check_page(page, "letters-3-check")
    page.get_by_role("button", name="Send the letter").click()
    page.wait_for_url("**/sent/")
    check_page(page, "letters-4-sent")
    expect(page.get_by_role("link", name=re.compile("^Download the letter"))).to_be_visible()
    assert Letter.objects.get().child == child


def test_a_manager_fixes_a_placeholder_previews_and_saves_a_template(browser_page: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    general = template(LetterKind.GENERAL)
    sign_in(page, manager)
    page.goto("/letters/templates/")
    check_page(page, "letters-5-templates")
    page.get_by_role("link", name="General letter").click()
    page.wait_for_url(f"**/letters/templates/{general.pk}/")
    check_page(page, "letters-6-edit")
    page.get_by_label("Text of the letter").fill("Dear {parnt_name}, about {child_first_name}.")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("alert").get_by_text(re.compile("Unknown placeholder: {parnt_name}"))
    ).to_be_visible()
    check_page(page, "letters-7-edit-errors")
    page.get_by_label("Text of the letter").fill("Dear {parent_name}, about {child_first_name}.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Dear Alex Example, about Sam.")).to_be_visible()
    check_page(page, "letters-8-preview")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/letters/templates/")
    general.refresh_from_db()
    assert general.version == 2
