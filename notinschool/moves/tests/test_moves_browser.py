"""A move between two authorities in a real browser. At the first authority an officer records
the move out from the child's page (the error summary first), downloads the JSON file, records it
as sent by secure email (the chase is in her work queue), then records the acknowledgement: the
record closes as left the area. Then the database is emptied of children, as the second
authority's is, and its officer sends the same file through the upload page: the child appears,
registered, with the first authority's history on the page. axe-core checks each page."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.intake.models import ImportBatch
from notinschool.moves.models import MoveIn
from notinschool.moves.tests.factories import MONDAY, moving_child
from notinschool.people.models import Child
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield


def test_a_move_out_closes_after_acknowledgement_and_the_file_moves_the_child_in(
        browser_page: Any, tmp_path: Path, settings: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER,
                                 first_name="Olive", last_name="Officer")
    child = moving_child(officer=officer)
    sign_in(page, officer)

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("^Record a move to another authority")).click()
    page.wait_for_url(f"**/children/{child.pk}/handover/new/")
    check_page(page, "moves-1-new")
    page.get_by_role("button", name="Produce the handover").click()
    expect(page.get_by_role("alert").get_by_text(
        "Enter the name of the authority the child moved to")).to_be_visible()
    check_page(page, "moves-2-errors")
    page.get_by_label("The authority the child moved to").fill("Northshire County Council")
    page.get_by_label("Its local authority code (if known)").fill("931")
    page.get_by_label("Address line 1").fill("3 Harbour Street")
    page.get_by_label("Postcode").fill("NP1 2AB")
    page.get_by_role("button", name="Produce the handover").click()
    page.wait_for_url("**/handovers/*/")
    expect(page.get_by_text("Produced, not sent yet").first).to_be_visible()
    check_page(page, "moves-3-handover")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file for their system (JSON)").click()
    handover_file = tmp_path / "handover.json"
    download.value.save_as(handover_file)

    page.get_by_role("link", name="Record how the handover was sent").click()
    page.wait_for_url("**/sent/")
    check_page(page, "moves-4-sent")
    page.get_by_label("Secure email").check()
    page.get_by_role("button", name="Record it as sent").click()
    page.wait_for_url("**/handovers/*/")
    expect(page.get_by_text("Sent, awaiting acknowledgement").first).to_be_visible()
    page.goto("/work/")
    assert page.get_by_role("cell", name="Chase Northshire County Council: receipt of the "
                            "handover not acknowledged", exact=True).is_visible()
    check_page(page, "moves-5-queue")

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Handover to Northshire County Council").click()
    page.get_by_role("link", name="Record the acknowledgement of receipt").click()
    page.wait_for_url("**/acknowledged/")
    check_page(page, "moves-6-acknowledged")
    page.get_by_label("Who acknowledged receipt").fill("Sam Patel, CME team")
    page.get_by_role("button", name="Record the acknowledgement and close the record").click()
    page.wait_for_url(re.compile(rf".*/children/{child.pk}/.*"))
    expect(page.get_by_text("closed as left the area")).to_be_visible()
    assert page.locator(".app-timeline").get_by_text(
        "Northshire County Council acknowledged receipt of the handover").is_visible()
    check_page(page, "moves-7-closed")
    child.refresh_from_db()
    assert child.status == "left_area"

    # The second authority: its register has never held the child.
    Child.objects.all().delete()
    ImportBatch.objects.all().delete()
    settings.NOTINSCHOOL_AUTHORITY_NAME = "Northshire County Council"
    receiver = UserFactory.create(username="northshire", role=Role.EHE_OFFICER,
                                  first_name="Nia", last_name="North")
    page.context.clear_cookies()
    sign_in(page, receiver)
    page.goto("/imports/")
    page.get_by_label("What the file holds").select_option("handover")
    page.get_by_label("Upload a file").set_input_files(str(handover_file))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_url("**/imports/*/**")
    check_page(page, "moves-8-imported")
    moved = MoveIn.objects.get().child
    assert (moved.forename, moved.status) == ("Ada", "ehe")
    page.goto(f"/children/{moved.pk}/")
    expect(
        page.get_by_role("heading", name="From the previous authority: Demo Borough Council")
    ).to_be_visible()
    expect(page.get_by_text("Status history at Demo Borough Council")).to_be_visible()
    assert page.locator(".app-timeline").get_by_text(
        "Moved in from Demo Borough Council: their handover imported").is_visible()
    check_page(page, "moves-9-moved-in")
