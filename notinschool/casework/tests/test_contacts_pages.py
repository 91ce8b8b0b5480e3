"""The contacts pages and the Contacts section of the child's page: record a contact, plan a
visit, record it done or missed; who sees what; the child's timeline."""

import datetime as dt
from html import escape
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.casework.contacts import contact_letter_record, visit_plan
from notinschool.casework.models import Alert, Contact
from notinschool.casework.services import (
    alert_acknowledge,
    alerts_raise,
    consent_request_decide,
    social_worker_allocate,
)
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.pagerules import assert_govuk_page
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db
TODAY = {"on_day": "23", "on_month": "11", "on_year": "2026"}
OUTCOME = {**TODAY, "outcome": "engaged", "seen": "alone",
           "child_views": "I want to learn the cello.", "parent_account": "She practises daily.",
           "education_approach": "Autonomous", "who_teaches": "Father", "next_steps": "Annual visit"}


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return response.content.decode()


def imported(child: Any) -> Contact:
    return Contact.objects.create(child=child, contact_date=dt.date(2026, 6, 1), method="phone",
                                  outcome="engaged", recorded_by_name="Old system",
                                  row_hash="a" * 64, notes="Imported call")


def test_the_child_page_lists_every_contact_with_planned_visits_first(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    imported(child)
    contact_letter_record(actor=client.user, child=child, sent_on=MONDAY, summary="Welcome letter")
    visit_plan(actor=client.user, child=child, on=MONDAY + dt.timedelta(days=7),
               place="Town library", officer=client.user, method="other_visit")
    html = page(client, f"/children/{child.pk}/")
    contacts = html[html.index('id="contacts"'):]
    assert "Record a contact" in contacts and "Plan a visit" in contacts
    planned, letter, call = (contacts.index(t) for t in ("Town library", "Welcome letter", "Imported call"))
    assert planned < letter < call
    assert "Awaiting a reply" in contacts and "Old system (imported)" in contacts
    assert "Record as done" in contacts and "Record as missed" in contacts
    timeline = html[html.index('id="timeline"'):]
    assert "Visit elsewhere planned" in timeline and "Letter sent, awaiting a reply" in timeline
    assert "Phone: engaged, child not seen" in timeline


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DPO])
def test_roles_that_read_casework_but_do_not_record_it_see_no_actions(client_for, role):
    child = ChildFactory.create()
    imported(child)
    client = client_for(role)
    response = client.get(f"/children/{child.pk}/")
    if response.status_code == 200 and client.user.can("view_casework"):
        html = response.content.decode()
        assert "Imported call" in html and "Record a contact" not in html
    for url in (f"/children/{child.pk}/contacts/new/", f"/children/{child.pk}/visits/new/"):
        assert client.get(url).status_code == 403


def test_a_social_worker_sees_no_contacts_and_may_not_record_one(client_for):
    child = child_on_plan_withdrawn()
    imported(child)
    client = client_for(Role.SOCIAL_WORKER)
    html = page(client, f"/children/{child.pk}/")
    assert "Imported call" not in html and 'id="contacts"' not in html
    assert client.post(f"/children/{child.pk}/contacts/new/", OUTCOME).status_code == 403
    assert not Contact.objects.filter(row_hash__isnull=True).exists()


def test_recording_a_contact(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/contacts/new/")
    assert "The child&#39;s views, in their own words" in html or "The child's views" in html
    response = client.post(f"/children/{child.pk}/contacts/new/",
                           {**OUTCOME, "method": "home_visit", "place": "Home"})
    assert response.status_code == 302 and response["Location"].endswith("#contacts")
    contact = Contact.objects.get(child=child)
    assert (contact.child_seen, contact.seen_alone, contact.seen_how) == (True, True, "in_person")
    assert contact.child_views == "I want to learn the cello."
    assert contact.parent_account == "She practises daily."
    html = page(client, f"/children/{child.pk}/")
    assert "I want to learn the cello." in html and "Yes, alone, in person" in html
    assert "23 November 2027" in html  # next contact: no assessment yet, 12 months
    assert AuditEvent.objects.filter(object_type="contact", action="create").count() == 1


def test_an_empty_contact_shows_the_error_summary_and_writes_nothing(client_for):
    child = ChildFactory.create()
    response = client_for(Role.EHE_OFFICER).post(f"/children/{child.pk}/contacts/new/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert_govuk_page(html)
    assert "govuk-error-summary" in html
    for message in ("Select how the contact was made", "Enter the date of the contact",
                    "Select how the parent responded", "Select whether the child was seen"):
        assert message in html
    assert 'href="#on-day"' in html and 'href="#method"' in html
    assert not Contact.objects.exists()


def test_a_rule_broken_shows_on_the_page(client_for):
    child = ChildFactory.create()
    response = client_for(Role.EHE_OFFICER).post(
        f"/children/{child.pk}/contacts/new/", {**OUTCOME, "method": "phone"})
    assert response.status_code == 200
    assert "A child can only be seen at a visit or an online meeting" in response.content.decode()
    assert not Contact.objects.exists()


def test_planning_a_visit_then_recording_it_done(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/visits/new/")
    assert "Officer who will visit" in html
    assert f'<option value="{client.user.pk}" selected' in html
    response = client.post(f"/children/{child.pk}/visits/new/", {
        **TODAY, "method": "home_visit", "place": "12 High Street", "officer": str(client.user.pk)})
    assert response.status_code == 302
    visit = Contact.objects.get(child=child)
    assert (visit.state, visit.place, visit.officer) == ("planned", "12 High Street", client.user)
    html = page(client, f"/contacts/{visit.pk}/done/")
    assert "12 High Street" in html and 'value="23"' in html
    assert client.post(f"/contacts/{visit.pk}/done/", OUTCOME).status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.outcome, visit.seen_alone) == ("done", "engaged", True)
    again = page(client, f"/contacts/{visit.pk}/done/")
    assert "already been recorded as done" in again
    told = client.post(f"/contacts/{visit.pk}/missed/", {"reason": "cancelled"})
    assert "already been recorded by someone else" in told.content.decode()


def test_a_missed_visit(client_for):
    child = ChildFactory.create()
    client = client_for(Role.TEAM_MANAGER)
    visit = visit_plan(actor=client.user, child=child, on=MONDAY, place="Home", officer=client.user)
    empty = client.post(f"/contacts/{visit.pk}/missed/", {})
    assert "Select why the visit was missed" in empty.content.decode()
    response = client.post(f"/contacts/{visit.pk}/missed/", {"reason": "not_at_home",
                                                              "notes": "Card left"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.outcome, visit.notes) == ("missed", "no_reply", "Card left")
    html = page(client, f"/children/{child.pk}/")
    assert "Home visit missed: no reply" in html


def test_a_contact_that_is_not_a_visit_has_no_visit_pages(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    letter = contact_letter_record(actor=client.user, child=child, sent_on=MONDAY, summary="x")
    assert client.get(f"/contacts/{letter.pk}/done/").status_code == 404


def test_the_timeline_shows_consent_decisions_and_alerts(client_for, make_user):
    child = child_on_plan_withdrawn()
    worker = make_user(Role.SOCIAL_WORKER, first_name="Sam", last_name="Worker", email="s@example.org")
    social_worker_allocate(actor=COMMAND_LINE, child=child, worker=worker)
    risk_assessment_run(actor=COMMAND_LINE, child_ids=[child.pk])
    alerts_raise(actor=COMMAND_LINE)
    alert_acknowledge(actor=worker, alert=Alert.objects.get(child=child))
    client = client_for(Role.TEAM_MANAGER, first_name="Mia", last_name="Manager")
    consent_request_decide(actor=client.user, child=child, decision="refused",
                           reasons="School is in the child's best interests", parent_notified_on=MONDAY,
                           parent_notice_method="letter", school_notified_on=MONDAY)
    html = page(client, f"/children/{child.pk}/")
    timeline = html[html.index('id="timeline"'):].replace("&#39;", "'")
    for title in ("Alert to children's social care raised", "Alert to children's social care emailed",
                  "Alert to children's social care acknowledged", "Consent refused"):
        assert title in timeline
    assert "Sam Worker" in timeline and "Mia Manager" in timeline


def test_a_visit_for_another_officer(client_for, make_user):
    child = ChildFactory.create()
    client, colleague = client_for(Role.TEAM_MANAGER), make_user(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/visits/new/"
    plan = {**TODAY, "method": "other_visit", "place": "Library"}
    missing = client.post(url, plan)
    assert "Select the officer who will visit" in missing.content.decode()
    assert 'href="#officer"' in missing.content.decode()
    assert client.post(url, {**plan, "officer": str(colleague.pk)}).status_code == 302
    assert Contact.objects.get(child=child).officer == colleague


def test_recording_the_reply_to_a_letter(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    letter = contact_letter_record(actor=client.user, child=child, sent_on=MONDAY,
                                   summary="Request for information")
    assert "Record the reply" in page(client, f"/children/{child.pk}/")
    html = page(client, f"/contacts/{letter.pk}/reply/")
    assert "Did the child write?" in html and "Request for information" in html
    response = client.post(f"/contacts/{letter.pk}/reply/", {
        "outcome": "engaged", "seen": "wrote", "child_views": "I love maths.",
        "parent_account": "Here is our plan."})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.outcome, letter.child_wrote, letter.child_views) == ("engaged", True, "I love maths.")
    assert letter.contact_date == MONDAY
    again = client.post(f"/contacts/{letter.pk}/reply/", {"outcome": "no_reply", "seen": "no"})
    assert "already been recorded" in again.content.decode()
    visit = visit_plan(actor=client.user, child=child, on=MONDAY, place="Home", officer=client.user)
    assert client.get(f"/contacts/{visit.pk}/reply/").status_code == 404


def test_a_visit_recorded_on_the_page_reassesses_the_child_at_once(client_for):
    child = ChildFactory.create(joined_register_date=dt.date(2025, 6, 1))
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    assert RequiredAction.objects.filter(child=child, code="arrange_visit", state="open").exists()
    client = client_for(Role.TEAM_MANAGER)
    visits_due = "/work/?view=team&kind=arrange_visit"
    assert escape(child.full_name) in page(client, visits_due)

    client.post(f"/children/{child.pk}/contacts/new/", {**OUTCOME, "method": "home_visit",
                                                         "place": "Home"}, follow=True)

    visit = RequiredAction.objects.get(child=child, code="arrange_visit")
    assert visit.state == "done" and "the child was seen on 23 November 2026" in visit.closed_reason
    assert child.full_name not in page(client, visits_due)
