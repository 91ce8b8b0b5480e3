"""The work queue page (filters, pages, "Mark as done") and the page that marks an action done
(the child's contacts as choices, a note, the error summary, back to the queue with a banner)."""

import datetime as dt
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def page(client: Any, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return response.content.decode()


def action_for(officer: Any, tier: int = 2, **kwargs: Any) -> RequiredAction:
    child = ChildFactory.create(officer=officer, forename="Grace", surname="Hopper", **kwargs)
    AssessmentFactory.create(child=child, tier=tier)
    return RequiredAction.objects.create(child=child, code="see_child_within_10_days",
                                         raised_on=MONDAY - dt.timedelta(days=3),
                                         due_date=MONDAY - dt.timedelta(days=1))


def test_the_team_queue_shows_tier_officer_and_filters(client_for):
    client = client_for(Role.TEAM_MANAGER)
    ann = UserFactory.create(username="ann", first_name="Ann", last_name="Jones", role=Role.EHE_OFFICER)
    action = action_for(ann)
    html = page(client, "/work/")
    assert "Grace Hopper" in html and "Tier 2" in html and "See the child" in html and "Ann Jones" in html
    assert "Overdue" in html and "22 November 2026" in html
    assert f'href="/work/actions/{action.pk}/done/?back=' in html
    assert "Nobody (unallocated)" in html and 'name="tier"' in html and 'name="kind"' in html
    html = page(client, "/work/", data={"officer": "unallocated"})
    assert "Grace Hopper" not in html and "Nothing to do that matches the filter." in html
    assert '?view=team&amp;when=overdue#work' in html
    html = page(client, "/work/", data={"when": "due"})
    assert "Grace Hopper" not in html  # overdue, not due
    html = page(client, "/work/", data={"tier": "9"})
    assert "There is a problem" in html and "Grace Hopper" in html  # a bad filter: shown, not applied


def test_more_than_two_pages_have_page_links(client_for):
    client = client_for(Role.EHE_OFFICER)
    children = ChildFactory.create_batch(120, officer=client.user)
    RequiredAction.objects.bulk_create([RequiredAction(child=c, code="arrange_visit", raised_on=MONDAY)
                                        for c in children])
    html = page(client, "/work/")
    assert "120 items" in html and "Showing 1 to 50." in html and "?page=3" in html
    html = page(client, "/work/", data={"page": "3"})
    assert "Showing 101 to 120." in html and "?page=2" in html


def test_marking_done_with_a_contact_then_back_to_the_queue(client_for):
    client = client_for(Role.EHE_OFFICER)
    action = action_for(client.user)
    visit = Contact.objects.create(child=action.child, contact_date=MONDAY, method="home_visit",
                                   child_seen=True, outcome="engaged")
    Contact.objects.create(child=action.child, contact_date=MONDAY - dt.timedelta(days=30), method="phone",
                           outcome="no_reply")  # before the action: not offered
    url = f"/work/actions/{action.pk}/done/"
    html = page(client, url, data={"back": "tier=2"})
    assert "Mark an action as done" in html and "Home visit on 23 November 2026: engaged" in html
    assert "Phone on" not in html and "A note of what was done" in html

    html = client.post(url, {"back": "tier=2"}).content.decode()
    assert "There is a problem" in html and "Select the contact, decision or note" in html
    html = client.post(url, {"evidence": "note", "note": ""}).content.decode()
    assert "Enter a note saying what was done" in html

    response = client.post(url, {"evidence": f"contact:{visit.pk}", "back": "tier=2"})
    assert response.status_code == 302 and response["Location"] == "/work/?tier=2"
    html = page(client, "/work/?tier=2")
    assert "\u201cSee the child\u201d for Grace Hopper marked as done." in html
    action.refresh_from_db()
    assert action.state == "done" and action.evidence_id == visit.pk

    html = page(client, url)
    assert "already marked done by" in html and "Mark as done</button>" not in html


def test_someone_elses_child_or_no_casework_cannot_mark_it_done(client_for):
    action = action_for(UserFactory.create(role=Role.EHE_OFFICER))
    assert client_for(Role.SOCIAL_WORKER).get(f"/work/actions/{action.pk}/done/").status_code == 403
    response = client_for(Role.TEAM_MANAGER).post(f"/work/actions/{action.pk}/done/",
                                                  {"evidence": "note", "note": "two"})
    assert response.status_code == 200 and "Enter a note of at least 3 words" in response.content.decode()
