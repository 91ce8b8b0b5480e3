"""The match review pages: the queue of pending matches, one match with its evidence, and the
decisions a reviewer makes there; the child's page lists the links and shows their flags."""

import datetime as dt
import re

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory, PersonMatchFactory
from notinschool.people.tests.factories import AddressFactory, ChildFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

EVIDENCE = [
    {"field": "forename", "label": "exact", "weight": 6.79},
    {"field": "surname", "label": "exact", "weight": 9.18},
    {"field": "date_of_birth", "label": "year off by one", "weight": 6.06},
    {"field": "address", "label": "different", "weight": -2.26},
    {"field": "sex", "label": "not known", "weight": 0.0},
]


def pending(*, source="social_care", probability=0.95, kind=PersonMatch.Kind.SAME_PERSON,
            forename="Ada", surname="Lovelace", state=PersonMatch.State.PENDING,
            indicator="child_protection_plan", detail="Section 47 led to a plan") -> PersonMatch:
    child = ChildFactory.create(forename=forename, surname=surname, date_of_birth=dt.date(2014, 3, 27),
                                postcode="LS6 2AB")
    AddressFactory.create(child=child, line_1="12 Mill Lane")
    person = AgencyPersonFactory.create(source=source, forename=forename, surname=surname,
                                        date_of_birth=dt.date(2013, 3, 27), postcode="LS9 9ZZ",
                                        address_line_1="4 Dock Road")
    AgencyFactFactory.create(person=person, indicator=indicator, detail=detail)
    return PersonMatchFactory.create(child=child, person=person, kind=kind, state=state,
                                     probability=probability, weight=8.5, evidence=EVIDENCE,
                                     basis="same_surname" if kind == PersonMatch.Kind.HOUSEHOLD else "")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_queue_lists_pending_matches_only_highest_score_first(client_for):
    low = pending(forename="Lower", probability=0.85)
    high = pending(forename="Higher", probability=0.99)
    pending(forename="Automatic", state=PersonMatch.State.AUTOMATIC)
    pending(forename="Rejected", state=PersonMatch.State.REJECTED)
    response = client_for(Role.EHE_OFFICER).get("/matches/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "2 matches waiting" in html
    assert html.index("Higher Lovelace") < html.index("Lower Lovelace")
    assert "Automatic" not in html and "Rejected Lovelace" not in html
    assert "99.0%" in html and "85.0%" in html and "LS6 2AB" in html and "LS9 9ZZ" in html
    assert f"/matches/{high.pk}/" in html and f"/matches/{low.pk}/" in html
    event = AuditEvent.objects.filter(action="list", object_type="person_match").latest("at")
    assert event.child_count == 2


def test_the_queue_filters_by_agency_and_kind(client_for):
    pending(forename="Social", source="social_care")
    pending(forename="Health", source="health")
    pending(forename="Home", source="health", kind=PersonMatch.Kind.HOUSEHOLD)
    client = client_for(Role.EHE_OFFICER)
    by_source = text(client.get("/matches/", {"source": "health"}))
    assert "Health Lovelace" in by_source and "Home Lovelace" in by_source
    assert "Social Lovelace" not in by_source
    by_both = client.get("/matches/", {"source": "health", "kind": "household"})
    assert_govuk_page(by_both.content)
    html = text(by_both)
    assert "1 match waiting" in html and "Home Lovelace" in html and "Household link" in html


def test_an_unknown_filter_shows_the_error_summary(client_for):
    pending()
    response = client_for(Role.EHE_OFFICER).get("/matches/", {"source": "nowhere"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "govuk-error-summary" in html and "Select an agency from the list" in html


def test_the_queue_pages_fifty_at_a_time(client_for):
    for n in range(51):
        pending(forename=f"N{n:02d}", probability=0.9 - n / 1000)
    client = client_for(Role.EHE_OFFICER)
    first = text(client.get("/matches/"))
    assert "51 matches waiting" in first and "N00 Lovelace" in first and "N50 Lovelace" not in first
    second = client.get("/matches/", {"page": "2"})
    assert_govuk_page(second.content)
    assert "N50 Lovelace" in text(second)


def test_the_match_page_shows_both_records_the_evidence_in_words_and_the_flags(client_for):
    match = pending()
    response = client_for(Role.EHE_OFFICER).get(f"/matches/{match.pk}/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "Ada Lovelace and a Children&#39;s social care record" in html
    assert "12 Mill Lane, LS6 2AB" in html and "4 Dock Road, LS9 9ZZ" in html
    assert "27 March 2014" in html and "27 March 2013" in html
    # field by field, in words: a year-out date of birth still counts strongly for
    assert "Year off by one" in html and "Strong evidence for" in html
    assert "About 67 times more likely to be the same person" in html
    assert "Moderate evidence against" in html and "About 4.8 times less likely" in html
    assert "Did not count" in html
    assert "Child protection plan" in html
    # an officer has no social care detail
    assert "Section 47 led to a plan" not in html and "Not shown to your role" in html
    assert "Your decision" in html and "No one has decided on this match yet" in html
    event = AuditEvent.objects.filter(action="view", object_type="person_match").latest("at")
    assert event.object_ids == [str(match.pk)] and event.child_count == 1


def test_a_manager_sees_the_social_care_detail(client_for):
    match = pending()
    html = text(client_for(Role.TEAM_MANAGER).get(f"/matches/{match.pk}/"))
    assert "Section 47 led to a plan" in html


def test_rejecting_without_a_reason_shows_the_error_summary(client_for):
    match = pending()
    client = client_for(Role.EHE_OFFICER)
    response = client.post(f"/matches/{match.pk}/", {"action": "decide", "decision": "reject", "reason": " "})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "govuk-error-summary" in html and 'href="#reason"' in html
    assert "Enter the reason for your decision" in html
    match.refresh_from_db()
    assert match.state == PersonMatch.State.PENDING

    nothing = client.post(f"/matches/{match.pk}/", {"action": "decide", "reason": "Checked"})
    assert "Select whether this is a match" in text(nothing) and 'href="#decision"' in text(nothing)


def test_rejecting_with_a_reason_records_it_and_shows_the_history(client_for):
    match = pending()
    client = client_for(Role.EHE_OFFICER, first_name="Olive", last_name="Officer")
    response = client.post(f"/matches/{match.pk}/", {"action": "decide", "decision": "reject",
                                                     "reason": "Older sister, different school"})
    assert response.status_code == 302 and response["Location"] == f"/matches/{match.pk}/"
    page = client.get(response["Location"])
    assert_govuk_page(page.content)
    html = text(page)
    assert "Match rejected" in html and "Older sister, different school" in html
    assert "Olive Officer" in html and "Your decision" not in html and "Undo match" not in html
    match.refresh_from_db()
    assert match.state == PersonMatch.State.REJECTED
    assert "1 match waiting" not in text(client.get("/matches/"))


def test_accepting_shows_the_flag_on_the_childs_page_and_undo_takes_it_away(client_for):
    match = pending(source="health", indicator="health_concern", detail="")
    client = client_for(Role.EHE_OFFICER)
    child_page = f"/children/{match.child_id}/"
    assert "Health concern" not in text(client.get(child_page))

    client.post(f"/matches/{match.pk}/", {"action": "decide", "decision": "accept", "reason": "Same GP"})
    html = text(client.get(child_page))
    assert "Health concern" in html and "Health" in html

    page = text(client.get(f"/matches/{match.pk}/"))
    assert "Undo match" in page and "Same GP" in page
    missing = client.post(f"/matches/{match.pk}/", {"action": "undo", "reason": ""})
    assert 'href="#undo-reason"' in text(missing)
    assert_govuk_page(missing.content)
    client.post(f"/matches/{match.pk}/", {"action": "undo", "reason": "GP says a different child"})
    record = text(client.get(child_page)).split("Timeline")[0]  # the timeline keeps the story
    assert "Health concern" not in record
    match.refresh_from_db()
    assert match.state == PersonMatch.State.REJECTED


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ANALYST])
def test_roles_without_review_matches_are_refused(client_for, role):
    match = pending(state=PersonMatch.State.AUTOMATIC)  # known to social care: a social worker sees the child
    client = client_for(role)
    assert client.get("/matches/").status_code == 403
    assert client.get(f"/matches/{match.pk}/").status_code == 403
    assert client.post(f"/matches/{match.pk}/", {"action": "undo", "reason": "x"}).status_code == 403
    match.refresh_from_db()
    assert match.state == PersonMatch.State.AUTOMATIC


def test_a_match_that_does_not_exist_is_not_found(client_for):
    response = client_for(Role.EHE_OFFICER).get("/matches/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_the_childs_page_lists_linked_records_by_role(client_for):
    match = pending(state=PersonMatch.State.AUTOMATIC, probability=0.9999)
    child = match.child
    waiting = PersonMatchFactory.create(child=child, person=AgencyPersonFactory.create(source="police"),
                                        state=PersonMatch.State.PENDING, probability=0.9)
    officer = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/")
    assert_govuk_page(officer.content)
    html = text(officer)
    assert "Linked agency records" in html
    assert "Applied automatically" in html and "Waiting for review" in html and "Police" in html
    assert f"/matches/{match.pk}/" in html and f"/matches/{waiting.pk}/" in html

    social = text(client_for(Role.SOCIAL_WORKER).get(f"/children/{child.pk}/"))
    assert "Linked agency records" in social and "Applied automatically" in social
    assert "Waiting for review" not in social and "/matches/" not in social


def test_the_header_offers_matches_to_reviewers_only(client_for):
    assert 'href="/matches/"' in text(client_for(Role.EHE_OFFICER).get("/register/"))
    assert 'href="/matches/"' not in text(client_for(Role.SOCIAL_WORKER).get("/register/"))


def test_a_household_match_page_says_why_without_a_score(client_for):
    match = pending(kind=PersonMatch.Kind.HOUSEHOLD, source="police", indicator="police_concern")
    response = client_for(Role.EHE_OFFICER).get(f"/matches/{match.pk}/")
    assert_govuk_page(response.content)
    html = text(response)
    assert "Household member match" in html
    assert "they live at the same address and have the same last name" in html
    assert "A household link is not scored" in html and "Strong evidence" not in html
    assert "Is this a member of the child&#39;s household?" in html
    assert "Police concern" in html


def test_an_automatic_match_page_offers_undo_and_says_it_was_automatic(client_for):
    match = pending(state=PersonMatch.State.AUTOMATIC, probability=0.99999)
    html = text(client_for(Role.EHE_OFFICER).get(f"/matches/{match.pk}/"))
    assert "Applied automatically on" in html and "Undo match" in html
    assert "over 99.9% likely to be the same person" in html and "Your decision" not in html
