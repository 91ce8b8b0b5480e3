"""The upload page in a real browser (axe-clean, no console or CSP errors), and the API's Swagger
UI working under the strict content security policy. See notinschool/web/tests/browser.py
for the set-up."""

from typing import Any

import pytest
from django.test import Client

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child
from notinschool.web.tests.browser import browser_page, check_page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csv_payload(name: str, *rows: list[str]) -> dict[str, Any]:
    content = "\n".join(",".join(r) for r in [DELETION_HEADER, *rows]) + "\n"
    return {"name": name, "mimeType": "text/csv", "buffer": content.encode()}


def sign_in(page: Any, live_server: Any, role: Role) -> None:
    client = Client()
    client.force_login(UserFactory.create(role=role))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_send_a_bad_file_then_a_good_one(browser_page: Any, live_server: Any) -> None:  # noqa: F811
    page = browser_page
    sign_in(page, live_server, Role.EHE_OFFICER)
    page.goto("/imports/")
    check_page(page, "intake-1-send-a-file")

    page.get_by_label("What the file holds").select_option("roll-deletions")
    page.get_by_label("Upload a file").set_input_files(csv_payload("bad.csv", deletion(dob="2015-02-30")))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "bad.csv:2:date_of_birth: '2015-02-30' is not a real date" in summary.inner_text()
    check_page(page, "intake-2-file-problems")
    assert Child.objects.count() == 0

    page.get_by_label("Upload a file").set_input_files(csv_payload("good.csv", deletion()))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_url("**/imports/*/?sent=1")
    assert page.get_by_role("heading", level=1).inner_text() == "File imported"
    check_page(page, "intake-3-file-imported")
    assert Child.objects.count() == 1

    page.get_by_role("link", name="Send another file or see all files").click()
    page.wait_for_url("**/imports/")
    check_page(page, "intake-3a-files-received")
    page.get_by_role("link", name="good.csv").click()
    page.wait_for_url(f"**/imports/{ImportBatch.objects.get().pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Import of good.csv"


def test_the_api_docs_render_under_the_content_security_policy(browser_page: Any) -> None:  # noqa: F811
    page = browser_page
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert "/api/v1/imports/{kind}" in page.inner_text("body")
    assert not page.problems, f"the browser reported {page.problems}"


def test_record_a_referral_by_hand(browser_page: Any, live_server: Any) -> None:  # noqa: F811
    page = browser_page
    sign_in(page, live_server, Role.EHE_OFFICER)
    page.goto("/notifications/new/")
    check_page(page, "intake-4-notification-kinds")
    page.get_by_role("link", name="Record a referral").click()
    page.wait_for_url("**/notifications/new/referral/")
    check_page(page, "intake-5-referral-form")

    page.get_by_label("Surname").fill("Patel")
    page.get_by_label("Forename").fill("Maya")
    page.get_by_label("Postcode").fill("LS7 2CD")
    date_received = page.get_by_role("group", name="Date received")
    date_received.get_by_label("Day").fill("31")
    date_received.get_by_label("Month").fill("2")
    date_received.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record the notification").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Date received must be a real date" in summary.inner_text()
    check_page(page, "intake-6-referral-errors")
    summary.get_by_role("link", name="Date received must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "date_received-day"

    date_received.get_by_label("Day").fill("20")
    date_received.get_by_label("Month").fill("11")
    page.get_by_role("button", name="Record the notification").click()
    page.wait_for_url("**/children/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Maya Patel"
    assert Child.objects.get().status == "cme"
    assert "concern" not in Notification.objects.get().data, "an empty field stays empty"
