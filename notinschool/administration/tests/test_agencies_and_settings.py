"""Agencies and teams with the districts they cover, and the settings page that never shows a
secret."""

import pytest

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_health_team_is_added_with_its_districts_put_in_order(client_for):
    admin = client_for(Role.ADMIN)
    response = admin.post("/administration/agencies/new/", {
        "name": "North school nursing", "kind": "health", "school_urn": "", "districts": "ls7, ls6 wv10"})
    assert response.status_code == 302
    team = Agency.objects.get(name="North school nursing")
    assert team.postcode_districts == "LS6 LS7 WV10" and team.districts == ["LS6", "LS7", "WV10"]
    listed = admin.get("/administration/agencies/").content.decode()
    assert "North school nursing" in listed and "LS6 LS7 WV10" in listed


def test_a_district_that_is_not_one_is_refused_in_the_error_summary(client_for):
    admin = client_for(Role.ADMIN)
    page = admin.post("/administration/agencies/new/", {
        "name": "South nursing", "kind": "health", "school_urn": "", "districts": "LS6 LEEDS"})
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "LEEDS is not a postcode district" in text
    assert not Agency.objects.filter(name="South nursing").exists()


def test_the_roles_page_says_what_each_role_may_do_and_who_holds_it(client_for):
    admin = client_for(Role.ADMIN)
    page = admin.get("/administration/roles/").content.decode()
    assert "Social worker" in page
    assert "Open a child outside their scope, giving a reason (break-glass)" in page
    assert "Administrator" in page and "1 person holds it." in page


def test_settings_show_what_is_in_force_and_no_secret(client_for, settings):
    settings.NOTINSCHOOL_AREA_DISTRICTS = ["LS6", "LS7"]
    settings.NOTINSCHOOL_NOTIFY_API_KEY = "secret-key-123"
    page = client_for(Role.ADMIN).get("/administration/settings/").content.decode()
    assert "NOTINSCHOOL_AREA_DISTRICTS" in page and "LS6, LS7" in page
    assert "secret-key-123" not in page and "NOTINSCHOOL_NOTIFY_API_KEY" not in page
