"""The missing education pages: opening a case from the child's page (and from the action), the
case page's checklist, an enquiry and its answer, an escalation, the closure (refused without an
allowed reason or its evidence, shown in the error summary), the child's page and timeline, and
who may open what."""

import datetime as dt
import re
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import WorkItem
from notinschool.cme.models import CmeCase, CmeEnquiry, CmeEscalation
from notinschool.cme.tests.factories import MONDAY, cme_child, open_case
from notinschool.people.models import Status
from notinschool.risk.models import RequiredAction
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert_govuk_page(response.content)
    return response.content.decode()


def posted(client: Any, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, response.get("Location")
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    return html


def day(prefix: str, on: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(on.day), f"{prefix}_month": str(on.month), f"{prefix}_year": str(on.year)}


def section(html: str) -> str:
    """The Missing education section of the child's page, up to the next section's heading."""
    start = html.index('id="cme"')
    end = html.find('<h2 class="govuk-heading-m"', start)
    return html[start:end if end > 0 else None]


def test_an_officer_opens_a_case_from_the_child_page_for_the_action(client_for):
    child = cme_child()
    action = RequiredAction.objects.get(child=child)
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/")
    cme = section(html)
    assert "recorded as missing education and has no open case" in cme
    link = f"/children/{child.pk}/cme/new/?action={action.pk}"
    assert link in cme.replace("&amp;", "&")
    form = page(client, link)
    assert "School application made, awaiting the outcome" in form
    errors = posted(client, link, {"action": str(action.pk)})
    assert "Select the primary reason the child is missing education" in errors
    assert "Enter the date the child was first known to be missing education" in errors
    response = client.post(link, {"action": str(action.pk), "primary_reason": "whereabouts_unknown",
                                  **day("on", MONDAY - dt.timedelta(days=14))})
    case = CmeCase.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/cme/{case.pk}/"
    assert case.required_action == action
    html = page(client, f"/children/{child.pk}/")
    assert "A case is open: first known missing 9 November 2026" in section(html)
    timeline = html[html.index('id="timeline"'):]
    assert "Missing education case opened" in timeline
    # a second case while one is open: the page goes to the open one
    again = client.get(f"/children/{child.pk}/cme/new/")
    assert again.status_code == 302 and again["Location"] == f"/cme/{case.pk}/"


def test_the_case_page_shows_the_checklist_and_records_an_enquiry_and_its_answer(client_for):
    client = client_for(Role.EHE_OFFICER)
    case = open_case(client.user)
    html = page(client, f"/cme/{case.pk}/")
    for label in ("Parents or carers", "Another local authority", "Housing", "Police", "Others",
                  "Lost Pupil Database (school-to-school service)"):
        assert label in html
    assert html.count("Not made") == 11
    assert AuditEvent.objects.filter(action="view", object_type="cme_case").exists()
    url = f"/cme/{case.pk}/enquiries/new/"
    assert 'value="other_authority" checked' in page(client, url + "?kind=other_authority")
    errors = posted(client, url, {"kind": "other_authority", "method": "email", **day("on", MONDAY)})
    assert "Enter the name of the other local authority" in errors
    assert "Enter who was asked" in errors
    response = client.post(url, {"kind": "other_authority", "other_authority": "Northshire County Council",
                                 "asked_whom": "CME officer", "method": "email", **day("on", MONDAY)})
    assert response.status_code == 302
    enquiry = CmeEnquiry.objects.get(case=case)
    html = page(client, f"/cme/{case.pk}/")
    assert "Northshire County Council" in html and "Awaiting an answer" in html
    assert WorkItem.objects.filter(kind="cme_enquiry_chase", closed_at__isnull=True).count() == 1
    answer = f"/cme/enquiries/{enquiry.pk}/answer/"
    assert "Enter what they said" in posted(client, answer, day("on", MONDAY))
    response = client.post(answer, {"answer": "Not known to us; no application.", **day("on", MONDAY)})
    assert response.status_code == 302
    html = page(client, f"/cme/{case.pk}/")
    assert "Answered 23 November 2026: Not known to us; no application." in html
    assert not WorkItem.objects.filter(kind="cme_enquiry_chase", closed_at__isnull=True).exists()


def test_an_escalation_is_recorded_and_shown_on_the_case_child_page_and_timeline(client_for):
    client = client_for(Role.EHE_OFFICER)
    case = open_case(client.user)
    url = f"/cme/{case.pk}/escalate/"
    errors = posted(client, url, {"to": "police", **day("on", MONDAY)})
    assert "Enter the reason for escalating" in errors
    response = client.post(url, {"to": "social_care", "reason": "Younger sibling on a plan; no sighting.",
                                 "reference": "MASH-123", **day("on", MONDAY)})
    assert response.status_code == 302
    assert CmeEscalation.objects.get(case=case).reference == "MASH-123"
    assert "Younger sibling on a plan; no sighting. (reference MASH-123)" in page(client, f"/cme/{case.pk}/")
    html = page(client, f"/children/{case.child_id}/")
    assert "escalated to children&#39;s social care" in section(html)
    timeline = html[html.index('id="timeline"'):]
    assert "Missing education case escalated to children&#39;s social care" in timeline


def test_closing_is_refused_for_a_child_not_found_and_without_evidence(client_for):
    client = client_for(Role.EHE_OFFICER)
    case = open_case(client.user)
    url = f"/cme/{case.pk}/close/"
    html = page(client, url)
    assert "Needs the school&#39;s URN and the date the child was admitted." in html
    errors = posted(client, url, {"closure": "not_found"})
    assert "A child who cannot be found stays on the missing education list" in errors
    errors = posted(client, url, {"closure": "moved_abroad", "country": "Spain", "evidence": "Said so",
                                  **day("on", MONDAY)})
    assert "Describe the evidence that the child moved abroad, in at least 5 words" in errors
    errors = posted(client, url, {"closure": "admitted_to_school", "school_urn": "123456"})
    assert "Enter the date the child was admitted" in errors
    errors = posted(client, url, {"closure": "leave_it"})
    assert "Select a valid choice" in errors
    case.refresh_from_db()
    assert case.is_open


def test_closing_admitted_to_a_school_shows_why_and_the_child_returns_to_school(client_for):
    client = client_for(Role.EHE_OFFICER)
    case = open_case(client.user)
    response = client.post(f"/cme/{case.pk}/close/", {
        "closure": "admitted_to_school", "school_urn": "123456", "school_name": "Hill Primary",
        **day("on", MONDAY)})
    assert response.status_code == 302
    html = page(client, f"/cme/{case.pk}/")
    assert "Admitted to Hill Primary (URN 123456) on 23 November 2026" in html
    assert "Close the case" not in html and "Record an enquiry" not in html
    case.child.refresh_from_db()
    assert case.child.status == Status.RETURNED_TO_SCHOOL
    assert RequiredAction.objects.get(child=case.child, code="cme_enquiries").state == "done"
    child_html = page(client, f"/children/{case.child_id}/")
    assert "admitted to Hill Primary" in section(child_html)
    assert "Missing education case closed" in child_html[child_html.index('id="timeline"'):]
    # nothing more is recorded on a closed case
    again = client.get(f"/cme/{case.pk}/escalate/")
    assert again.status_code == 302 and again["Location"] == f"/cme/{case.pk}/"


def test_who_may_open_the_pages(client_for, make_user):
    officer = make_user(Role.EHE_OFFICER)
    case = open_case(officer)
    health = client_for(Role.HEALTH_PRACTITIONER)
    assert health.get(f"/cme/{case.pk}/").status_code == 403
    manager = client_for(Role.TEAM_MANAGER)
    assert manager.get(f"/cme/{case.pk}/").status_code == 200
    # a record merged into another is not one to open: refused as if it did not exist, audited
    case.child.status = Status.MERGED
    case.child.save(update_fields=["status"])
    response = manager.get(f"/cme/{case.pk}/close/")
    assert response.status_code == 404
    refusal = AuditEvent.objects.filter(action="refuse").latest("at")
    assert refusal.object_ids == [str(case.pk)]
    assert re.search("No such missing education case", str(refusal.detail))


def test_the_chaser_and_the_case_show_in_the_officers_work_queue_until_answered(client_for):
    client = client_for(Role.EHE_OFFICER)
    child = cme_child(officer=client.user)
    case = open_case(client.user, child)
    client.post(f"/cme/{case.pk}/enquiries/new/", {
        "kind": "housing", "asked_whom": "Housing options team", "method": "email", **day("on", MONDAY)})
    html = page(client, "/work/")
    assert "Chase the missing education enquiry of Housing options team (housing)" in html
    assert "Close the missing education case (due within 10 school days of opening)" in html
    assert f'href="/cme/{case.pk}/"' in html
    enquiry = CmeEnquiry.objects.get(case=case)
    client.post(f"/cme/enquiries/{enquiry.pk}/answer/", {"answer": "No tenancy found.", **day("on", MONDAY)})
    html = page(client, "/work/")
    assert "Chase the missing education enquiry" not in html
    assert "Close the missing education case" in html


def test_the_enquiries_action_is_worked_through_the_case_not_marked_done_with_a_note(client_for):
    child = cme_child()
    action = RequiredAction.objects.get(child=child)
    client = client_for(Role.TEAM_MANAGER)
    queue = page(client, "/work/?view=team")
    link = f"/children/{child.pk}/cme/new/?action={action.pk}"
    assert link in queue.replace("&amp;", "&")
    assert f"/work/actions/{action.pk}/" not in queue  # no "Mark as done" for it
    # the generic page, opened or posted to directly, sends the officer to the case instead
    for response in (client.get(f"/work/actions/{action.pk}/done/"),
                     client.post(f"/work/actions/{action.pk}/done/", {"evidence": "note",
                                                                 "note": "Phoned the school about it"})):
        assert response.status_code == 302 and response["Location"] == link
    action.refresh_from_db()
    assert action.state == RequiredAction.State.OPEN
