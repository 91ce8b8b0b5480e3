"""Reviewing a possible duplicate in a real browser: an officer finds the pair from the match
queue, is told what is missing, merges the two records keeping the right spelling and lands on
the child's one record. axe-core checks each page; the browser reports no error (see
notinschool/web/tests/browser.py for the set-up)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.linkage.models import DuplicatePair
from notinschool.people.models import Child, Status
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]


def test_an_officer_merges_two_records_of_one_child(browser_page: Any, as_of: Any,
                                                    write_csv: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion(
        forename="Harrison", surname="Evans", parent1_name="Claire Evans")))
    run_import("parent-registrations", write_csv("r.csv", REGISTRATION_HEADER, [
        "Haryr", "Evans", "2015-03-05", "1 Mill Road", "LS6 1AB", "Claire Evans", "bullying",
        "2026-10-20"]))
    pair = DuplicatePair.objects.select_related("child_a", "child_b").get()
    keep, other = pair.child_a, pair.child_b

    sign_in(page, officer)

    page.get_by_role("link", name="Matches").click()
    page.wait_for_url("**/matches/")
    page.get_by_role("link", name="Possible duplicate register records").click()
    page.wait_for_url("**/matches/duplicates/")
    expect(page.get_by_role("heading", name="1 pair waiting")).to_be_visible()
    check_page(page, "d1-duplicates-queue")

    page.get_by_role("link", name=f"Review the records {keep.child_ref} and {other.child_ref}").click()
    page.wait_for_url(f"**/matches/duplicates/{pair.pk}/")
    check_page(page, "d2-duplicate")

    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(f"**/matches/duplicates/{pair.pk}/")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "d3-duplicate-error")

    page.get_by_label(f"Keep {keep.child_ref}: Harrison Evans").check()
    page.get_by_label("Reason").fill("Same boy: his mother confirmed the spelling by phone")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(f"**/children/{keep.pk}/")
    expect(
        page.get_by_text(f"Records merged. {other.child_ref} is now part of {keep.child_ref}")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Harrison Evans", exact=True)).to_be_visible()
    check_page(page, "d4-merged-child")

    page.goto(f"/children/{other.pk}/")
    page.wait_for_url(f"**/children/{keep.pk}/")
    expect(page.get_by_text("The record you asked for was merged into this one")).to_be_visible()
    other.refresh_from_db()
    assert other.status == Status.MERGED and other.merged_into_id == keep.pk
    assert Child.objects.exclude(status=Status.MERGED).count() == 1
