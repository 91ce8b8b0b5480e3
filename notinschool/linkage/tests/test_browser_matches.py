"""Reviewing a match in a real browser: an officer opens the queue, accepts a pending match with
a reason and finds the agency's flag on the child's page. axe-core checks each page; the
browser reports no error (see notinschool/web/tests/browser.py for the set-up)."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory, PersonMatchFactory
from notinschool.people.tests.factories import AddressFactory, ChildFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

EVIDENCE = [
    {"field": "forename", "label": "exact", "weight": 6.79},
    {"field": "surname", "label": "exact", "weight": 9.18},
    {"field": "date_of_birth", "label": "year off by one", "weight": 6.06},
    {"field": "address", "label": "different", "weight": -2.26},
    {"field": "identifiers", "label": "not known", "weight": 0.0},
]


def a_pending_match() -> PersonMatch:
    child = ChildFactory.create(forename="Ada", surname="Lovelace", date_of_birth=dt.date(2014, 3, 27),
                                postcode="LS6 2AB")
    AddressFactory.create(child=child, line_1="12 Mill Lane")
    person = AgencyPersonFactory.create(source="health", forename="Ada", surname="Lovelace",
                                        date_of_birth=dt.date(2013, 3, 27), postcode="LS9 9ZZ")
    AgencyFactFactory.create(person=person, indicator="health_concern", detail="")
    return PersonMatchFactory.create(child=child, person=person, state=PersonMatch.State.PENDING,
                                     probability=0.9977, weight=8.74, evidence=EVIDENCE)


def test_an_officer_accepts_a_match_and_sees_the_flag_on_the_child(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    match = a_pending_match()

    sign_in(page, officer)

    page.get_by_role("link", name="Matches").click()
    page.wait_for_url("**/matches/")
    expect(page.get_by_role("heading", name="1 match waiting")).to_be_visible()
    check_page(page, "m1-matches-queue")

    page.get_by_role("link", name="Review the match between Ada Lovelace").click()
    page.wait_for_url(f"**/matches/{match.pk}/")
    check_page(page, "m2-match")

    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(f"**/matches/{match.pk}/")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "m3-match-error")

    page.get_by_label("Yes, accept the match").check()
    page.get_by_label("Reason").fill("Same GP practice and parent; birth year wrong in the health record")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(f"**/matches/{match.pk}/")
    expect(page.get_by_text("Match accepted.")).to_be_visible()
    check_page(page, "m4-match-accepted")

    page.get_by_role("link", name="Ada Lovelace, reference").click()
    page.wait_for_url(f"**/children/{match.child_id}/")
    flags = page.get_by_role("table", name="What other agencies know")
    expect(flags.get_by_role("cell", name="Health concern")).to_be_visible()
    expect(flags.get_by_role("cell", name="This child")).to_be_visible()
    check_page(page, "m5-child-with-flag")
