"""A team manager in a real browser: reads the rule table, changes a threshold, re-runs the rules,
and overrides a child's tier; axe-core finds no accessibility problem on each page and the
browser reports no error (notinschool/web/tests/browser.py has the fixture and the checks)."""

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.risk.tests.helpers import ordinary_child
from notinschool.web.tests.browser import browser_page, check_page, sign_in  # noqa: F401 (fixture)
from notinschool.workflow.assessment import risk_assessment_run

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_changes_a_threshold_and_overrides_a_tier(browser_page: Any) -> None:  # noqa: F811
    page = browser_page
    manager = UserFactory.create(username="manager", role=Role.TEAM_MANAGER)
    child = ordinary_child(forename="Ada", surname="Lovelace")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    sign_in(page, manager)

    page.get_by_role("link", name="Risk rules").click()
    page.wait_for_url("**/rules/")
    check_page(page, "risk-1-rules")
    page.get_by_role("link", name="Change months without a professional seeing the child").click()
    page.wait_for_url("**/rules/not_seen_months/edit/")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "risk-2-change-errors")
    page.get_by_label("New value").fill("9")
    page.get_by_label("Why are you changing it?").fill("Partnership decision, November 2026")
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_url("**/rules/changed/")
    check_page(page, "risk-3-changed")
    page.get_by_role("button", name="Re-run assessment now").click()
    page.wait_for_url("**/rules/changed/")
    expect(page.get_by_text("The rules were run over 1 child ")).to_be_visible()

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Override the tier").click()
    page.wait_for_url(f"**/children/{child.pk}/override/")
    check_page(page, "risk-4-override")
    page.get_by_label("Tier 2").check()
    page.get_by_label("Rationale").fill("Neighbour reports the child is never seen outside.")
    page.get_by_role("button", name="Override the tier").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Tier overridden", exact=True)).to_be_visible()
    check_page(page, "risk-5-child-overridden")
