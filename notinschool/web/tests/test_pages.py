"""The shell's start page sends each role to where its work is; a role without children sees
its account."""

import re

import pytest

from notinschool.accounts.roles import Role
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def test_home_sends_the_register_roles_to_the_register(client_for):
    response = client_for(Role.EHE_OFFICER).get("/")
    assert response.status_code == 302 and response["Location"] == "/register/"


@pytest.mark.parametrize(("role", "page"), [(Role.SCHOOL_LEAD, "/imports/"), (Role.ANALYST, "/reports/")])
def test_home_sends_a_school_lead_to_uploads_and_an_analyst_to_the_rules(client_for, role, page):
    assert client_for(role).get("/")["Location"] == page


@pytest.mark.parametrize(("role", "start"), [(Role.DPO, "/governance/audit/"),
                                             (Role.ADMIN, "/administration/")])
def test_home_sends_the_dpo_and_the_administrator_to_their_pages(client_for, role, start):
    client = client_for(role)
    response = client.get("/")
    assert response["Location"] == start
    page = client.get("/account/")
    assert page.status_code == 200
    assert_govuk_page(page.content)
    assert b"does not give you access to children" in page.content


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    (Role.TEAM_MANAGER, {"Allocation", "Letters", "Work", "Records"}, set()),
    (Role.EHE_OFFICER, {"Work"}, {"Allocation", "Letters", "Records"}),
    (Role.ADMIN, {"Letters"}, {"Allocation", "Work", "Records"}),
    (Role.DPO, {"Audit", "Records"}, {"Work", "Register"}),
])
def test_the_navigation_offers_each_role_its_own_pages(client_for, role, shown, hidden):
    html = client_for(role).get("/account/").content.decode()
    menu = set(re.findall(r'govuk-service-navigation__link[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<',
                          html))
    assert shown <= menu and not hidden & menu, menu
