"""Break-glass and the data protection officer's audit search in a real browser: a social worker
refused a child opens the record by giving a reason and sees the banner; the DPO lands on the
audit search, finds the access with its reason, and judges it in the break-glass queue. axe-core
checks each page; the browser reports no error (see notinschool/web/tests/browser.py)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.audit.models import BreakGlassGrant
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py

REASON = "Strategy meeting this afternoon about a sibling; I need the school history"


def sign_in_to(page: Any, user: Any, landing: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{landing}")


def test_break_glass_then_the_dpo_finds_and_judges_it(browser_page: Any) -> None:
    page = browser_page
    child = ChildFactory.create(forename="Maisie", surname="Thornbury")
    worker = UserFactory.create(username="sam", first_name="Sam", last_name="Okoye", role=Role.SOCIAL_WORKER)
    dpo = UserFactory.create(username="dpo", role=Role.DPO)

    sign_in(page, worker)
    response = page.goto(f"/children/{child.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.problems.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    check_page(page, "break-glass-1-refused")
    page.get_by_role("link", name="Open with break-glass").click()
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("link", name="Say why you need this record now")).to_be_visible()
    check_page(page, "break-glass-2-reason-missing")
    page.get_by_label("Why do you need this record now?").fill(REASON)
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    banner = page.get_by_role("region", name="Break-glass access")
    expect(banner).to_contain_text(REASON)
    expect(page.get_by_role("heading", name="Maisie Thornbury").first).to_be_visible()
    check_page(page, "break-glass-3-child-with-banner")

    sign_in_to(page, dpo, "/governance/audit/")
    expect(page.get_by_role("link", name="1 break-glass use to review")).to_be_visible()
    check_page(page, "dpo-1-audit-search")
    page.get_by_label("Child").fill(child.child_ref)
    page.get_by_label("Action").select_option(label="Break-glass access")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 event")).to_be_visible()
    expect(page.get_by_role("cell", name=REASON)).to_be_visible()
    check_page(page, "dpo-2-search-results")

    page.get_by_role("link", name="Break-glass", exact=True).click()
    page.get_by_role("link", name=f"Review sam's access to {child.child_ref}").click()
    check_page(page, "dpo-3-review")
    page.get_by_label("Justified", exact=True).check()
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url("**/governance/break-glass/")
    expect(page.get_by_text("No break-glass access waits for review.")).to_be_visible()
    check_page(page, "dpo-4-queue-reviewed")
    assert BreakGlassGrant.objects.get().outcome == "justified"
