"""The register and the child's page render as GOV.UK pages and show what each role may see."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Status
from notinschool.people.tests.factories import (
    AddressFactory,
    ChildFactory,
    ChildParentFactory,
    HouseholdFactory,
    StatusChangeFactory,
)
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def test_register_lists_children_with_their_tier(client_for):
    child = ChildFactory.create(forename="Ada", surname="Lovelace", postcode="LS6 2AB")
    AssessmentFactory.create(child=child, tier=2)
    ChildFactory.create(status=Status.RETURNED_TO_SCHOOL, forename="Closed")
    response = client_for(Role.EHE_OFFICER).get("/register/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "Ada Lovelace" in html and "LS6 2AB" in html and "Tier 2" in html
    assert "Closed" not in html
    assert "1 child" in html


def test_register_search_by_name_and_date_of_birth(client_for):
    ChildFactory.create(forename="Ada", surname="Lovelace", date_of_birth=dt.date(2014, 3, 27))
    ChildFactory.create(forename="Ada", surname="Byron", date_of_birth=dt.date(2015, 1, 1))
    client = client_for(Role.EHE_OFFICER)
    response = client.get("/register/", {"name": "ada", "dob_day": "27", "dob_month": "3",
                                         "dob_year": "2014"})
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "Lovelace" in html and "Byron" not in html
    event = AuditEvent.objects.filter(action="search").latest("at")
    assert event.detail["fields"] == ["date_of_birth", "name", "open_only"]
    assert event.child_count == 1


def test_register_search_lists_children_by_reference(client_for):
    for ref in ("C0000300", "C0000100", "C0000200"):
        ChildFactory.create(child_ref=ref, surname="Maughan")
    ChildFactory.create(child_ref="C0000150", surname="Other")
    html = client_for(Role.EHE_OFFICER).get("/register/", {"name": "maug"}).content.decode()
    refs = [ref for ref in ("C0000100", "C0000150", "C0000200", "C0000300") if ref in html]
    assert refs == ["C0000100", "C0000200", "C0000300"]
    assert html.index("C0000100") < html.index("C0000200") < html.index("C0000300")


def test_register_shows_an_error_summary_for_an_impossible_date(client_for):
    impossible = {"dob_day": "31", "dob_month": "2", "dob_year": "2014"}
    response = client_for(Role.EHE_OFFICER).get("/register/", impossible)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#dob-day"' in html
    assert "Date of birth must be a real date" in html


def test_register_paginates_fifty_a_page(client_for):
    ChildFactory.create_batch(51)
    client = client_for(Role.EHE_OFFICER)
    first = client.get("/register/").content.decode()
    assert "51 children" in first and 'rel="next"' in first and first.count('href="/children/') == 50
    second = client.get("/register/", {"page": "2"})
    assert_govuk_page(second.content)
    assert second.content.decode().count('href="/children/') == 1


def test_child_page_shows_the_record(client_for):
    household = HouseholdFactory.create()
    child = ChildFactory.create(forename="Ada", surname="Lovelace", household=household)
    sibling = ChildFactory.create(forename="Augusta", surname="Lovelace", household=household)
    AddressFactory.create(child=child, line_1="1 New Street")
    AddressFactory.create(child=child, line_1="9 Old Road", is_current=False,
                          moved_out_date=dt.date(2026, 6, 1))
    ChildParentFactory.create(child=child, parent__name="Anne Parent")
    ChildParentFactory.create(child=child, parent__name="George Away", lives_with_child=False, educates=False)
    StatusChangeFactory.create(child=child)
    AssessmentFactory.create(child=child, tier=1, flags=["child_protection_plan"],
                      required_actions=["alert_social_care"], reasons=["A current child protection plan"])
    known_to("social_care", child, indicator="child_protection_plan", detail="Section 47 in May")
    client = client_for(Role.EHE_OFFICER)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    for text in ("1 New Street", "9 Old Road", "Anne Parent", "George Away",
                 "Does not live with the child", "Augusta Lovelace", "Tier 1", "Child protection plan",
                 "Alert social care", "A current child protection plan", "Children&#39;s social care",
                 "Who has viewed this record"):
        assert text in html, text
    assert "Section 47 in May" not in html  # officers see the flag, not social care's detail
    assert "Not shown to your role" in html
    assert AuditEvent.objects.filter(action="view", children__child_id=child.pk).exists()
    assert AuditEvent.objects.filter(object_type="household", children__child_id=sibling.pk).exists()


def test_manager_sees_social_care_detail(client_for):
    child = ChildFactory.create()
    known_to("social_care", child, indicator="child_in_need", detail="Family support plan")
    html = client_for(Role.TEAM_MANAGER).get(f"/children/{child.pk}/").content.decode()
    assert "Family support plan" in html


def test_withheld_address_is_shown_to_officers_only(client_for, health_agency):
    child = ChildFactory.create(do_not_disclose_address=True, postcode="LS6 4XY")
    AddressFactory.create(child=child, line_1="7 Refuge Lane")
    known_to("social_care", child)
    officer_html = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/").content.decode()
    assert "7 Refuge Lane" in officer_html and "Do not disclose" in officer_html
    others = (client_for(Role.SOCIAL_WORKER), client_for(Role.HEALTH_PRACTITIONER, agency=health_agency))
    for client in others:
        response = client.get(f"/children/{child.pk}/")
        assert response.status_code == 200
        assert_govuk_page(response.content)
        html = response.content.decode()
        assert "7 Refuge Lane" not in html and "LS6 4XY" not in html and "Address withheld" in html
        register = client.get("/register/").content.decode()
        assert "Withheld" in register and "LS6 4XY" not in register


def test_unknown_child_is_not_found(client_for):
    response = client_for(Role.EHE_OFFICER).get("/children/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert_govuk_page(response.content)
