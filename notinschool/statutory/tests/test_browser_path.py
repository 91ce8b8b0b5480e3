"""The statutory path in a real browser, as the officer and the manager who take it, each in
their own browser: the officer sends the informal enquiry and proposes the preliminary notice;
the manager approves it from the list awaiting approval, and its letter (PDF, read back) gives
the parent until 22 December 2026, 15 days after it was served by hand on 7 December. After the
decision and the notice of intention, the officer proposes the school attendance order in
January and the manager issues it; in February the authority revokes it and the case closes.
axe-core checks every page on the way (notinschool/web/tests/browser.py)."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pypdfium2  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.letters.tests.factories import default_templates
from notinschool.statutory.models import StatutoryCase, StatutoryStep
from notinschool.statutory.services import K, step_decide, step_take
from notinschool.statutory.tests.factories import MONDAY, family, statutory_templates
from notinschool.web.tests.browser import AXE, AXE_URL_PATH, browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    default_templates()  # a transactional test's flush removes the migrations' templates
    statutory_templates()
    with clock.as_of(MONDAY):
        yield


def second_page(page: Any) -> Any:
    """Another browser (its own cookies) on the same live server, for the second person."""
    origin = "/".join(page.url.split("/")[:3])
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, base_url=origin)
    context.route(f"**{AXE_URL_PATH}",
                  lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    other = context.new_page()
    other.problems = []
    other.on("console", lambda m: m.type == "error" and other.problems.append(m.text))
    other.on("pageerror", lambda e: other.problems.append(str(e)))
    return other


def pdf_text(page: Any, step: str) -> str:
    """The text of the letter of the step named `step`, from its row on the case page."""
    row = page.locator("tr", has_text=step).last
    href = row.get_by_role("link", name=re.compile("^Letter")).get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.body())
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def approve_first_awaiting(manager: Any, child_name: str, shot: str) -> None:
    manager.goto("/statutory/awaiting/")
    check_page(manager, f"{shot}-awaiting")
    manager.get_by_role("link", name=re.compile(f"^{child_name}")).click()
    manager.get_by_role("heading", name="Approve a statutory step").wait_for()
    check_page(manager, f"{shot}-decide")
    manager.get_by_label("Approve it: the step is taken now and its letter printed").check()
    manager.get_by_role("button", name="Save the decision").click()
    manager.wait_for_url("**/statutory/*/")
    check_page(manager, f"{shot}-case")


def test_a_notice_with_15_days_then_an_order_issued_and_revoked(browser_page: Any) -> None:
    officer_user = UserFactory.create(username="olive", role=Role.EHE_OFFICER, first_name="Olive",
                                      last_name="Okafor")
    manager_user = UserFactory.create(username="maya", role=Role.TEAM_MANAGER, first_name="Maya",
                                      last_name="Patel")
    child = family(forename="Ada", surname="Byron", parent="Anne Byron", officer=officer_user)
    officer = browser_page
    sign_in(officer, officer_user)

    # The informal enquiry, from Ada's page.
    officer.goto(f"/children/{child.pk}/")
    officer.get_by_role("link", name=re.compile("^Start with an informal enquiry letter")).click()
    officer.get_by_role("heading", name="Informal enquiry letter").wait_for()
    check_page(officer, "statutory-01-enquiry")
    officer.get_by_role("button", name="Record the step").click()
    officer.wait_for_url("**/statutory/*/")
    check_page(officer, "statutory-02-case")

    # A step cannot be skipped: straight to an order is refused in the error summary.
    officer.goto(f"/children/{child.pk}/statutory/school_attendance_order/")
    officer.get_by_label("The school the authority names").fill("Canal Primary School")
    officer.get_by_role("button", name="Propose it for approval").click()
    summary = officer.locator(".govuk-error-summary")
    expect(summary.get_by_text(re.compile("a record cannot skip a step"))).to_be_visible()
    check_page(officer, "statutory-03-skip-refused")

    # The preliminary notice, proposed.
    case = StatutoryCase.objects.get(child=child)
    officer.goto(f"/statutory/{case.pk}/")
    officer.get_by_role("link", name=re.compile(r"^Next step: preliminary notice")).click()
    officer.get_by_label("By hand (served the same day)").check()
    check_page(officer, "statutory-04-notice")
    officer.get_by_role("button", name="Propose it for approval").click()
    officer.wait_for_url("**/statutory/*/")
    expect(officer.get_by_text(re.compile("awaits a manager's approval")).first).to_be_visible()

    # Maya approves it: the letter gives Anne 15 days from service.
    manager = second_page(officer)
    sign_in(manager, manager_user)
    approve_first_awaiting(manager, "Ada Byron", "statutory-05")
    text = pdf_text(manager, "Preliminary notice (section 437(1))")
    assert "Dear Anne Byron" in text and "section 437(1)" in text
    assert "served on 7 December 2026" in text and "You have until 22 December 2026" in text
    notice = StatutoryStep.objects.get(case=case, kind=K.PRELIMINARY_NOTICE)
    assert notice.deadline == MONDAY + dt.timedelta(days=15)

    # The decision and the notice of intention (their pages are tested elsewhere).
    with clock.as_of(dt.date(2026, 12, 23)):
        step_take(actor=officer_user, child=child, kind=K.DECISION, outcome="not_satisfied",
                  reasons="No information came.")
        proposed = step_take(actor=officer_user, child=child, kind=K.NOTICE_OF_INTENTION, service="hand",
                             schools="Canal Primary School")
        step_decide(actor=manager_user, step=proposed, approve=True)

    # In January, after the choice window: the order.
    with clock.as_of(dt.date(2027, 1, 8)):
        officer.goto(f"/statutory/{case.pk}/")
        officer.get_by_role("link", name=re.compile(r"^Next step: school attendance order")).click()
        officer.get_by_label("The school the authority names").fill("Canal Primary School")
        check_page(officer, "statutory-06-order")
        officer.get_by_role("button", name="Propose it for approval").click()
        officer.wait_for_url("**/statutory/*/")
        approve_first_awaiting(manager, "Ada Byron", "statutory-07")
        text = pdf_text(manager, "School attendance order (section 437(3))")
        assert "Canal Primary School" in text and "School attendance order" in text

    # In February the authority revokes it, and the case closes.
    with clock.as_of(dt.date(2027, 2, 1)):
        officer.goto(f"/statutory/{case.pk}/")
        officer.get_by_role("link", name=re.compile(r"^Next step: revocation")).click()
        officer.get_by_label("The authority").check()
        officer.get_by_label("Reasons").fill("Ada is on the roll of Canal Primary School.")
        check_page(officer, "statutory-08-revocation")
        officer.get_by_role("button", name="Propose it for approval").click()
        officer.wait_for_url("**/statutory/*/")
        approve_first_awaiting(manager, "Ada Byron", "statutory-09")
        closed = re.compile("Closed on 1 February 2027: the order was revoked")
        expect(manager.get_by_text(closed)).to_be_visible()
        text = pdf_text(manager, "Revocation of the order (section 442)")
        assert "is revoked" in text

    # Ada's page: the path closed, its steps and letters on the timeline.
    officer.goto(f"/children/{child.pk}/")
    check_page(officer, "statutory-10-child")
    timeline = officer.locator(".app-timeline")
    for said in ("Statutory path: Preliminary notice (section 437(1)) approved and issued",
                 "Statutory path: School attendance order (section 437(3)) approved and issued",
                 "Letter: Notice about Ada's education: please reply by 22 December 2026",
                 "Letter: School attendance order for Ada Byron"):
        expect(timeline.get_by_text(said).first, said).to_be_visible()
