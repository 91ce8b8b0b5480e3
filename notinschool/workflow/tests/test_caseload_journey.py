"""A child's way through the caseload, in a real browser, as the people who do it: a school's
deletion file arrives; the manager allocates the child to an officer; the officer sends the
first letter (its PDF opens and has the page for the child), marks the request for the
register's missing information done with that letter, plans a home visit and, on the day,
records it with the child seen alone and their own words; the next contact date is set, and all
of it is on the child's timeline with who did it. axe-core checks every page on the way (see
notinschool/web/tests/browser.py)."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2
import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.letters.tests.factories import default_templates
from notinschool.people.models import Child
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

MONDAY = dt.date(2026, 12, 7)
VISIT_DAY = dt.date(2026, 12, 9)
VIEWS = "I like drawing maps of the canal and I want to learn French."


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    default_templates()  # a transactional test's flush removes the migration's templates
    with clock.as_of(MONDAY):
        yield


def deletion_file(tmp_path: Any) -> str:
    path = tmp_path / "deletions.csv"
    row = deletion(forename="Ada", surname="Byron", dob="2016-05-05", on="2026-11-16",
                   parent1_name="Anne Byron")
    path.write_text("\n".join(",".join(r) for r in (DELETION_HEADER, row)) + "\n")
    return str(path)


def test_a_child_from_a_deletion_file_to_a_visit_on_the_timeline(browser_page: Any, tmp_path: Any) -> None:
    page = browser_page
    manager = UserFactory.create(username="maya", role=Role.TEAM_MANAGER, first_name="Maya",
                                 last_name="Patel")
    officer = UserFactory.create(username="olive", role=Role.EHE_OFFICER, first_name="Olive",
                                 last_name="Okafor")

    # The school's file arrives through the upload page.
    sign_in(page, manager)
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("What the file holds").select_option("roll-deletions")
    page.set_input_files("#file", deletion_file(tmp_path))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_url("**/imports/*/?sent=1")
    check_page(page, "journey-01-imported")
    child = Child.objects.get(surname="Byron")
    assert child.status == "ehe" and child.officer is None

    # The manager allocates Ada to Olive from her page.
    page.goto("/register/?name=Byron")
    page.get_by_role("link", name="Ada Byron").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    check_page(page, "journey-02-child-unallocated")
    page.get_by_role("link", name="Allocate the officer").click()
    page.wait_for_url(f"**/children/{child.pk}/officer/")
    check_page(page, "journey-03-allocate")
    page.get_by_label("Olive Okafor").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    expect(page.locator("#officer-heading + p").get_by_text("Olive Okafor")).to_be_visible()
    page.context.clear_cookies()

    # Olive finds the child in her own queue: the parents have not given what the register needs.
    sign_in(page, officer)
    page.get_by_role("link", name="Work").click()
    page.wait_for_url("**/work/")
    ask = page.get_by_role("link", name=re.compile(
        f"^Mark as done.*Ask the parent for the missing information for {child.child_ref}$"))
    expect(ask).to_be_visible()
    check_page(page, "journey-04-officer-queue")

    # The first letter: checked, sent, and its PDF has the page for the child.
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Send a letter")).click()
    page.get_by_label("First letter to a family").check()
    page.get_by_role("button", name="Preview the letter").click()
    page.get_by_role("heading", name="Check the letter").wait_for()
    check_page(page, "journey-05-letter-check")
    page.get_by_role("button", name="Send the letter").click()
    page.wait_for_url("**/sent/")
    check_page(page, "journey-06-letter-sent")
    download = page.get_by_role("link", name=re.compile("^Download the letter"))
    pdf = page.context.request.get(download.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert "Ada" in text and "Anne Byron" in text
    assert re.search(r"your (own )?views", text, re.IGNORECASE), "a page for the child"
    assert "immunisation" in text.lower() and "dental" in text.lower(), "the health offer"

    # The letter asked for the missing information: Olive marks the task done with it.
    page.get_by_role("link", name="Work").click()
    ask.click()
    page.get_by_role("heading", name="Mark an action as done").wait_for()
    check_page(page, "journey-07-mark-done")
    page.get_by_label("Letter on 7 December 2026: sent, awaiting a reply").check()
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url("**/work/**")
    expect(page.get_by_text(re.compile("marked as done"))).to_be_visible()
    expect(ask).not_to_be_visible()
    done = RequiredAction.objects.get(child=child, code="request_information")
    assert done.state == "done" and done.done_by == officer and done.evidence_kind == "contact"

    # A home visit, planned for Wednesday.
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Plan a visit").click()
    page.wait_for_url(f"**/children/{child.pk}/visits/new/")
    page.get_by_label("Home visit").check()
    day = page.get_by_role("group", name="Date of the visit")
    day.get_by_label("Day").fill("9")
    day.get_by_label("Month").fill("12")
    day.get_by_label("Year").fill("2026")
    page.get_by_label("Place", exact=True).fill("1 Mill Road")
    check_page(page, "journey-08-plan-visit")
    page.get_by_role("button", name="Plan the visit").click()
    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))

    # On Wednesday Olive records the visit: Ada seen alone, in her own words.
    with clock.as_of(VISIT_DAY):
        page.reload()
        page.get_by_role("link", name=re.compile("^Record as done")).click()
        page.wait_for_url("**/done/")
        check_page(page, "journey-09-record-visit")
        page.get_by_label("Engaged").check()
        page.get_by_label("Yes, alone").check()
        page.get_by_label("The child's views, in their own words").fill(VIEWS)
        page.get_by_label("The parent's account").fill("We follow a project-based approach.")
        page.get_by_role("button", name="Record the visit").click()
        page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
        check_page(page, "journey-10-child-after-visit")

        visit = Contact.objects.get(child=child, method="home_visit")
        assert (visit.state, visit.seen_alone, visit.child_views) == ("done", True, VIEWS)
        assert visit.next_contact_date is not None and visit.next_contact_date > VISIT_DAY
        contacts = page.locator(".app-contact").first
        expect(contacts.get_by_text(VIEWS)).to_be_visible()
        assert page.get_by_text(f"{visit.next_contact_date.day} {visit.next_contact_date:%B %Y}")\
            .first.is_visible(), "the next contact date is on the page"

        timeline = page.locator(".app-timeline")
        next_contact = f"{visit.next_contact_date.day} {visit.next_contact_date:%B %Y}"
        for said in ("Deleted from the roll of school 123456: elective home education",
                     "Allocated to Olive Okafor", "Maya Patel", "First letter to a family",
                     "Download the letter (PDF)", "Home visit planned for 9 December 2026",
                     "Home visit: engaged, child seen alone",
                     f"In the child's own words: \u201c{VIEWS}\u201d", f"Next contact by {next_contact}",
                     "Required action done: Ask the parent for the missing information"):
            expect(timeline.get_by_text(said).first, said).to_be_visible()


def pdf_text(body: bytes) -> str:
    document = pypdfium2.PdfDocument(body)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
