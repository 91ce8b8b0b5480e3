"""Working together in a real browser (axe-core on every page; see notinschool/web/tests/browser.py):
a plan with members from two agencies, a professionals-only meeting whose actions land in two
people's queues, a drifting plan flagged in the lead's and the manager's queues, and a newly
home-educated child on the right health team's list and nowhere else."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.system import SystemActor
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import Alert
from notinschool.core import clock
from notinschool.linkage.tests.factories import known_to
from notinschool.people.tests.factories import ChildFactory
from notinschool.plans.models import Plan
from notinschool.plans.services import drift_run, plan_create
from notinschool.plans.tests.factories import health_team, nurse, officer, social_worker
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.browser import browser_page, check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from web/tests/browser.py


def _date(page: Any, prefix: str, day: dt.date) -> None:
    page.locator(f"#{prefix}-day").fill(str(day.day))
    page.locator(f"#{prefix}-month").fill(str(day.month))
    page.locator(f"#{prefix}-year").fill(str(day.year))


def _switch(page: Any, user: Any) -> None:
    page.context.clear_cookies()
    sign_in(page, user)


def test_an_officer_records_a_plan_with_members_from_two_agencies(browser_page: Any) -> None:
    page, today = browser_page, clock.today()
    child = ChildFactory.create(forename="Amara", surname="Lowe", postcode="LS6 1AB")
    lead, worker, practitioner = officer(), social_worker(), nurse()
    sign_in(page, lead)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Record a plan").click()
    check_page(page, "plans-1-new")
    page.get_by_role("button", name="Record the plan").click()
    expect(page.get_by_role("link", name="Select the kind of plan")).to_be_visible()
    check_page(page, "plans-2-errors")

    page.get_by_label("Team around the family (early help)").check()
    page.get_by_label("Lead professional", exact=True).select_option(value=str(worker.pk))
    page.get_by_label("Nia Nurse (Leeds North school nursing)").check()
    page.get_by_label("Members from agencies that do not use the register").fill(
        "Sam Okafor, Oakfield Primary School")
    _date(page, "start", today - dt.timedelta(days=7))
    _date(page, "review", today + dt.timedelta(days=60))
    page.get_by_role("button", name="Record the plan").click()
    expect(page.get_by_role("heading", name="Team around the family (early help)")).to_be_visible()
    members = page.get_by_role("table", name="Members")
    for agency in ("North social work team", "Leeds North school nursing", "Oakfield Primary School"):
        expect(members.get_by_text(agency)).to_be_visible()
    check_page(page, "plans-3-plan")

    _switch(page, practitioner)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Team around the family (early help)").click()
    expect(page.get_by_text("Sam Social, North social work team")).to_be_visible()
    check_page(page, "plans-4-plan-as-health")
    assert Plan.objects.get().lead_user == worker


def test_a_meeting_lands_decisions_and_actions_in_two_queues(browser_page: Any) -> None:
    page, today = browser_page, clock.today()
    child = ChildFactory.create(forename="Noah", surname="Price")
    known_to("social_care", child)  # social care's file knows Noah, so its workers see him
    chair, worker = officer(), social_worker()
    action = RequiredAction.objects.create(child=child, code="professionals_meeting", raised_on=today)
    sign_in(page, chair)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Record a professionals-only meeting").click()
    check_page(page, "meeting-1-new")
    _date(page, "held", today)
    page.get_by_label("Sam Social (North social work team)").check()
    page.get_by_label("Other attendees").fill("Dr Asha Patel, Oakwood Surgery")
    page.get_by_label("The question the meeting was asked").fill("Is Noah safe and learning?")
    page.get_by_label("What each agency brought").fill("Health: two missed appointments")
    page.get_by_label("Decisions").fill("A joint visit within ten days")
    page.locator("#action-1-what").fill("Joint visit with the social worker")
    page.locator("#action-1-owner").select_option(value=str(chair.pk))
    _date(page, "action-1-due", today + dt.timedelta(days=10))
    page.locator("#action-2-what").fill("Check the social care history")
    page.locator("#action-2-owner").select_option(value=str(worker.pk))
    _date(page, "action-2-due", today + dt.timedelta(days=3))
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Meeting recorded with 2 actions.")).to_be_visible()
    expect(page.get_by_text("A joint visit within ten days")).to_be_visible()
    check_page(page, "meeting-2-minutes")

    page.goto("/work/")
    expect(page.get_by_text("Meeting action: Joint visit with the social worker").first).to_be_visible()
    check_page(page, "meeting-3-officer-queue")
    _switch(page, worker)
    page.goto("/work/")
    expect(page.get_by_role("link", name="Meeting action: Check the social care history")).to_be_visible()
    assert page.get_by_text("Joint visit with the social worker").count() == 0
    check_page(page, "meeting-4-social-worker-queue")
    action.refresh_from_db()
    assert action.state == RequiredAction.State.DONE


def test_a_drifting_plan_is_flagged_in_the_lead_and_managers_queues(browser_page: Any) -> None:
    page, today = browser_page, clock.today()
    child = ChildFactory.create(forename="Leo", surname="Marsh")
    lead = officer()
    manager = UserFactory.create(role=Role.TEAM_MANAGER, username="manager")
    plan_create(actor=lead, child=child, kind=Plan.Kind.CHILD_IN_NEED, lead=lead, lead_name="",
                lead_agency="", start_date=today - dt.timedelta(days=120),
                review_date=today - dt.timedelta(days=3), member_users=[], others=[])
    drift_run(actor=SystemActor("daily drift check"))
    review = f"Child in need plan: review was due on {(today - dt.timedelta(days=3)):%-d %B %Y}"
    for user, path in ((lead, "/work/"), (manager, "/work/?view=team")):
        _switch(page, user) if user is manager else sign_in(page, user)
        page.goto(path)
        expect(page.get_by_text(review).first, user.role).to_be_visible()
        expect(page.get_by_text("no progress recorded since").first).to_be_visible()
        check_page(page, f"drift-{user.role}")


def test_a_new_ehe_child_is_on_the_right_health_teams_list_only(browser_page: Any) -> None:
    page = browser_page
    north, south = health_team(), health_team("Leeds South school nursing", "LS10")
    ChildFactory.create(forename="Ivy", surname="Hale", postcode="LS6 4GH")
    north_nurse = nurse(team=north)
    south_nurse = nurse(team=south, username="south-nurse")
    sign_in(page, north_nurse)
    page.goto("/health/")
    expect(page.get_by_text("No home-educated child has been shared")).to_be_visible()
    page.get_by_role("button", name="Add newly home-educated children now").click()
    expect(page.get_by_text("1 newly home-educated child added to your list.")).to_be_visible()
    expect(page.get_by_role("link", name="Ivy Hale")).to_be_visible()
    check_page(page, "health-1-north")
    page.get_by_role("link", name="Ivy Hale").click()
    page.get_by_role("link", name="Record health contact").click()
    page.get_by_label("Immunisations").check()
    page.get_by_label("Offer made").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Immunisations: offer made").first).to_be_visible()
    check_page(page, "health-2-child")

    _switch(page, south_nurse)
    page.goto("/health/")
    page.get_by_role("button", name="Add newly home-educated children now").click()
    expect(page.get_by_text("0 newly home-educated children added")).to_be_visible()
    assert page.get_by_text("Ivy Hale").count() == 0
    check_page(page, "health-3-south")


def test_a_social_worker_sees_the_education_side_and_records_what_was_done(browser_page: Any) -> None:
    page, today = browser_page, clock.today()
    child = ChildFactory.create(forename="Mia", surname="Ford", last_seen_date=today - dt.timedelta(days=40),
                                last_seen_alone=False)
    worker = social_worker()
    Alert.objects.create(child=child, recipient=worker, raised_on=today)
    sign_in(page, worker)
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Education: what social care needs to know")).to_be_visible()
    expect(page.get_by_text("not seen alone")).to_be_visible()
    check_page(page, "social-1-child")
    page.get_by_role("link", name="Record what was done").click()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("link", name="Enter what was done about the alert")).to_be_visible()
    check_page(page, "social-2-errors")
    page.get_by_label("What was done").fill("Visited at home with the officer; Mia seen alone")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Visited at home with the officer; Mia seen alone").first).to_be_visible()
    check_page(page, "social-3-done")
