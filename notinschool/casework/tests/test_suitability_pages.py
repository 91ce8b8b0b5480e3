"""The suitability pages: recording a judgement from the child's page (with its errors), the
Suitability section and the timeline, a manager's approval and the list awaiting it, and who
may open each."""

import datetime as dt
from html import escape
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.casework.suitability import suitability_record
from notinschool.casework.tests.factories import MONDAY
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db
J = SuitabilityJudgement


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return response.content.decode()


def visit(child: Any) -> Contact:
    return Contact.objects.create(child=child, contact_date=MONDAY - dt.timedelta(days=3),
                                  method="home_visit", outcome="declined", state="missed")


def test_an_officer_records_not_suitable_from_the_child_page_with_its_evidence(client_for):
    child = ChildFactory.create()
    missed = visit(child)
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/")
    section = html[html.index('id="suitability"'):]
    assert "No suitability judgement is in force" in section
    assert "Record a suitability judgement" in section
    form = page(client, f"/children/{child.pk}/suitability/new/")
    assert "Home visit, missed (declined)" in form
    response = client.post(f"/children/{child.pk}/suitability/new/", {
        "judgement": "not_suitable", "reasons": "No work seen; the parent refused a visit.",
        "contacts": [str(missed.pk)], "documents": "A one-line email", "child_views": "Not seen."})
    assert response.status_code == 302 and response["Location"].endswith("#suitability")
    j = J.objects.get(child=child)
    assert j.state == J.State.AWAITING and list(j.contacts.all()) == [missed]
    html = page(client, f"/children/{child.pk}/")
    assert "awaits a manager" in html[html.index('id="suitability"'):]
    timeline = html[html.index('id="timeline"'):]
    assert "Suitability judgement recorded: not suitable" in timeline
    assert escape(client.user.get_full_name()) in timeline


def test_the_form_shows_its_errors_in_the_summary(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    response = client.post(f"/children/{child.pk}/suitability/new/",
                           {"judgement": "unable_to_determine", "reasons": ""})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the reasons for the judgement" in html
    assert "Select why suitability could not be determined" in html
    assert not J.objects.exists()


def test_a_manager_approves_it_from_the_list_and_the_notice_is_raised(client_for):
    child = ChildFactory.create()
    officer = client_for(Role.EHE_OFFICER)
    j = suitability_record(actor=officer.user, child=child, judgement="not_suitable",
                           reasons="No education seen.")
    manager = client_for(Role.TEAM_MANAGER)
    assert "1 judgement waits for a manager" in page(manager, "/work/")
    assert "judgement" not in page(officer, "/work/")
    listed = page(manager, "/suitability/awaiting/")
    assert escape(child.full_name) in listed and f"/suitability/{j.pk}/decide/" in listed
    assert "Approve or return" in page(manager, f"/children/{child.pk}/")
    page(manager, f"/suitability/{j.pk}/decide/")
    response = manager.post(f"/suitability/{j.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    j.refresh_from_db()
    assert j.state == J.State.APPROVED and j.approved_by == manager.user
    assert RequiredAction.objects.filter(child=child, code="consider_preliminary_notice",
                                         state="open").exists()
    html = page(manager, f"/children/{child.pk}/")
    assert "The judgement in force" in html
    assert "Suitability judgement approved: not suitable" in html[html.index('id="timeline"'):]
    assert child.full_name not in page(manager, "/suitability/awaiting/")
    assert "waits for a manager" not in page(manager, "/work/")
    assert "already been decided" in page(manager, f"/suitability/{j.pk}/decide/")


def test_returning_needs_comments_and_the_officer_sees_them(client_for):
    child = ChildFactory.create()
    officer = client_for(Role.EHE_OFFICER)
    j = suitability_record(actor=officer.user, child=child, judgement="unable_to_determine",
                           unable_why="no_information", reasons="Nothing received.")
    manager = client_for(Role.TEAM_MANAGER)
    response = manager.post(f"/suitability/{j.pk}/decide/", {"decision": "return"})
    assert "Enter your comments for the officer" in response.content.decode()
    manager.post(f"/suitability/{j.pk}/decide/", {"decision": "return", "comments": "Write again first."})
    html = page(officer, f"/children/{child.pk}/")
    assert "Suitability judgement returned: unable to determine" in html
    section = html[html.index('id="suitability"'):html.index('id="timeline"')]
    assert "was returned by" in section and "Write again first." in section


def test_a_manager_is_told_to_ask_another_to_approve_their_own(client_for):
    child = ChildFactory.create()
    manager = client_for(Role.TEAM_MANAGER)
    j = suitability_record(actor=manager.user, child=child, judgement="not_suitable", reasons="None seen.")
    assert "another manager must approve it" in page(manager, f"/suitability/{j.pk}/decide/")


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.SOCIAL_WORKER, Role.ANALYST])
def test_only_managers_open_the_approval_pages(client_for, role):
    child = ChildFactory.create()
    j = suitability_record(actor=client_for(Role.EHE_OFFICER).user, child=child,
                           judgement="not_suitable", reasons="None seen.")
    client = client_for(role)
    assert client.get("/suitability/awaiting/").status_code == 403
    assert client.get(f"/suitability/{j.pk}/decide/").status_code == 403


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER])
def test_roles_without_casework_neither_record_nor_see_the_section(client_for, role):
    child = ChildFactory.create()
    client = client_for(role)
    assert client.get(f"/children/{child.pk}/suitability/new/").status_code == 403
    assert 'id="suitability"' not in client.get(f"/children/{child.pk}/").content.decode()
