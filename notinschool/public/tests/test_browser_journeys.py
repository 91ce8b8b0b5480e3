"""The public pages in a real browser, by keyboard only (Tab to each field, type, arrow keys for
radios, Space for a checkbox, Enter on the button): a parent registers a child, who then shows on
the register, linked and assessed, with the confirmation in the outbox; a parent reports a change
with a letter's code after a wrong one is refused; a child's worrying message reaches the
officer's work queue today; an expired code is refused with the words a wrong one gets. axe-core
checks every page; every public page reflows at 320 px without scrolling sideways."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.core import clock
from notinschool.intake.models import ImportBatch
from notinschool.people.models import Child
from notinschool.public.models import Submission
from notinschool.public.tests.helpers import ADDRESS, CHILD, EDUCATION, PARENTS, TODAY, family_with_code
from notinschool.risk.models import Assessment
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]
WRONG = "The code or the date of birth is not right, or the code has been used or has expired"
PUBLIC_PAGES = ["/families/", "/home-education/", "/home-education/support/", "/health-services/",
                "/tell-us-about-a-child/", "/privacy/", "/accessibility/", "/contact/", "/young-people/",
                "/register-a-child/", "/register-a-child/child/", "/tell-us-about-a-change/",
                "/young-people/your-views/"]
_ACTIVE = """() => { const e = document.activeElement;
  return {tag: e.tagName, name: e.name || '', type: e.type || '', value: e.value || '',
          text: (e.textContent || '').trim(), checked: !!e.checked}; }"""


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(TODAY):
        yield


def keyboard(page: Any, values: dict[str, str], button: str, limit: int = 150) -> None:
    """Fills the form by keyboard only, from the top of the page: Tab to each field named in
    `values` and type; for radios ("name": "value"), arrow keys; for checkboxes
    ("name=value": "x"), Space; then Enter on `button`."""
    page.locator("h1").first.click()  # start reading from the heading, as after arriving
    done: set[str] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        name = active["name"]
        if active["tag"] == "BUTTON" and active["text"] == button:
            page.keyboard.press("Enter")
            return
        if active["type"] == "radio" and name in values and name not in done:
            for _ in range(10):
                if page.evaluate(_ACTIVE)["value"] == values[name]:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            done.add(name)
        elif active["type"] == "checkbox" and f"{name}={active['value']}" in values:
            if not active["checked"]:
                page.keyboard.press("Space")
        elif name in values and name not in done and active["type"] not in ("radio", "checkbox"):
            if active["tag"] == "SELECT":
                page.locator(f"select[name={name}]").press("Home")
                page.keyboard.type(dict(page.eval_on_selector(
                    f"select[name={name}]", "s => [...s.options].map(o => [o.value, o.text])"))[values[name]])
            else:
                page.keyboard.type(values[name])
            done.add(name)
    raise AssertionError(f"the keyboard never reached the button {button!r}; filled {sorted(done)}")


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"


def test_every_public_page_is_accessible_and_reflows_at_320_px(browser_page: Any) -> None:
    page = browser_page
    for address in PUBLIC_PAGES:
        page.goto(address)
        check_page(page, "public" + address.replace("/", "-").rstrip("-"))
    page.set_viewport_size({"width": 320, "height": 640})
    for address in PUBLIC_PAGES:
        page.goto(address)
        no_sideways_scroll(page)


def test_a_parent_registers_a_child_by_keyboard_and_the_child_is_on_the_register(browser_page: Any) -> None:
    page = browser_page
    page.goto("/register-a-child/")
    check_page(page, "register-01-start")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/register-a-child/child/")
    keyboard(page, {}, "Continue")  # nothing typed: the error summary, linked to each field
    page.get_by_role("heading", name="There is a problem").wait_for()
    check_page(page, "register-02-child-errors")
    assert page.title().startswith("Error: ")
    for step, answers, following in (("child", CHILD, "address"), ("address", ADDRESS, "parents"),
                                     ("parents", PARENTS, "education"), ("education", EDUCATION, "check")):
        if step != "child":
            check_page(page, f"register-03-{step}")
        keyboard(page, answers, "Continue")
        page.wait_for_url(f"**/register-a-child/{following}/")
    check_page(page, "register-04-check")
    expect(page.get_by_text("Noor Haddad")).to_be_visible()
    assert page.get_by_text("Maths Online").count()
    keyboard(page, {}, "Send the registration")
    page.wait_for_url("**/register-a-child/sent/")
    check_page(page, "register-05-sent")
    submission = Submission.objects.get(kind="registration")
    expect(page.get_by_text(submission.reference)).to_be_visible()
    child = Child.objects.get(surname="Haddad")
    assert child.status == "ehe" and Assessment.objects.filter(child=child).exists()
    assert ImportBatch.objects.get(pk=str(submission.import_batch_id)).followed_up_at is not None
    [email] = mail.outbox
    assert email.to == ["samira@example.invalid"] and submission.reference in email.body

    manager = UserFactory.create(username="maya", role=Role.TEAM_MANAGER)
    sign_in(page, manager)
    page.goto("/register/?name=Haddad")
    page.get_by_role("link", name="Noor Haddad").click()
    page.wait_for_url(f"**/children/{child.pk}/")
    check_page(page, "register-06-on-the-register")


def test_a_parent_reports_a_change_with_a_letters_code(browser_page: Any) -> None:
    page = browser_page
    child, code = family_with_code()
    page.goto("/tell-us-about-a-change/")
    keyboard(page, {"code": "ABCD-2345", "dob_day": "4", "dob_month": "5", "dob_year": "2015"}, "Continue")
    page.get_by_text(WRONG).first.wait_for()
    check_page(page, "change-01-wrong-code")
    page.goto("/tell-us-about-a-change/")
    keyboard(page, {"code": code, "dob_day": "4", "dob_month": "5", "dob_year": "2015"}, "Continue")
    page.wait_for_url("**/what-has-changed/")
    check_page(page, "change-02-what")
    keyboard(page, {"topics=address": "x", "new_address": "3 New Road, Demo Town, DT1 4AA",
                    "moved_on": "1 December 2026", "your_name": "Grace Okafor"}, "Send")
    page.wait_for_url("**/tell-us-about-a-change/sent/")
    check_page(page, "change-03-sent")
    submission = Submission.objects.get(kind="change", child=child)
    assert submission.details["new_address"] == "3 New Road, Demo Town, DT1 4AA"
    expect(page.get_by_text(submission.reference)).to_be_visible()


def test_a_childs_worrying_message_reaches_the_officers_queue_today(browser_page: Any) -> None:
    page = browser_page
    officer = UserFactory.create(username="olive", role=Role.EHE_OFFICER, email="olive@council.invalid")
    child, code = family_with_code(officer=officer)
    page.goto("/young-people/")
    check_page(page, "views-01-young-people")
    page.get_by_role("link", name="tell us what you think").click()
    page.wait_for_url("**/young-people/your-views/")
    keyboard(page, {"code": code, "dob_day": "4", "dob_month": "5", "dob_year": "2015"}, "Next")
    page.wait_for_url("**/your-views/write/")
    check_page(page, "views-02-write")
    keyboard(page, {"words": "I like science. Something at home is worrying me.", "talk=yes": "x"}, "Send")
    page.wait_for_url("**/your-views/sent/")
    check_page(page, "views-03-sent")
    expect(page.get_by_text("0800 1111").first).to_be_visible()
    expect(page.get_by_text("call 999").first).to_be_visible()
    [email] = mail.outbox
    assert email.to == ["olive@council.invalid"]

    sign_in(page, officer)
    page.goto("/work/")
    item = page.get_by_text(re.compile("the child sent their views and may have something worrying"))
    expect(item.first).to_be_visible()
    check_page(page, "views-04-officer-queue")
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_text("I like science. Something at home is worrying me.", exact=True)).to_be_visible()
    check_page(page, "views-05-child-record")


def test_an_expired_code_is_refused_as_a_wrong_one_is(browser_page: Any) -> None:
    page = browser_page
    _, code = family_with_code(issued=TODAY - dt.timedelta(days=91))
    page.goto("/young-people/your-views/")
    keyboard(page, {"code": code, "dob_day": "4", "dob_month": "5", "dob_year": "2015"}, "Next")
    page.get_by_text(WRONG).first.wait_for()
    check_page(page, "views-expired")
    assert "/write/" not in page.url and not Submission.objects.exists()
