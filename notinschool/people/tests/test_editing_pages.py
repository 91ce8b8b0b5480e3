"""The pages that change a child's record: "Change" links on the child's page, the focused forms
with their error summary, the history, the timeline, and two people editing one record."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.test import Client

from notinschool.accounts.roles import Role
from notinschool.core import clock
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Address, Child, FieldChange, Provider
from notinschool.people.tests.factories import AddressFactory, ChildFactory, ChildParentFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with clock.as_of(dt.date(2026, 12, 7)):
        yield


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert_govuk_page(response.content)
    return response.content.decode()


def hidden(page_html: str) -> dict[str, str]:
    """What the form says its user saw: the hidden version and values."""
    return {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page_html).group(1))  # type: ignore[union-attr]
            for name in ("seen_version", "seen_values")}


def test_officers_see_change_links_and_others_do_not(client_for):
    child = ChildFactory.create()
    AddressFactory.create(child=child)
    ChildParentFactory.create(child=child)
    known_to("social_care", child)
    officer_page = page(client_for(Role.EHE_OFFICER), f"/children/{child.pk}/")
    for path in ("details/?part=ethnicity", "addresses/new/", "parents/new/", "providers/new/"):
        assert html.escape(f"/children/{child.pk}/change/{path}") in officer_page
    social_worker = client_for(Role.SOCIAL_WORKER)
    assert "/change/" not in page(social_worker, f"/children/{child.pk}/")
    assert social_worker.get(f"/children/{child.pk}/change/details/").status_code == 403


def test_changing_one_detail_and_seeing_it_in_the_history_and_timeline(client_for):
    child = ChildFactory.create(ethnicity="WBRI")
    client = client_for(Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    url = f"/children/{child.pk}/change/details/?part=ethnicity"
    form = page(client, url)
    assert "Change the child&#39;s ethnicity" in form and 'name="sen_provision"' not in form
    response = client.post(url, {**hidden(form), "ethnicity": "WIRI", "reason": "Parent told us"})
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).ethnicity == "WIRI"
    history = page(client, f"/children/{child.pk}/history/")
    assert "Olu Officer" in history and "Parent told us" in history
    assert "WBRI" in history and "WIRI" in history
    child_page = page(client, f"/children/{child.pk}/")
    assert "Record changed: Ethnicity" in child_page and "White - Irish (WIRI)" in child_page


def test_a_wrong_answer_shows_the_error_summary_and_keeps_what_was_typed(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/change/details/?part=hours"
    response = client.post(url, {**hidden(page(client, url)), "hours_parent_per_week": "200",
                                 "hours_other_per_week": "abc"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    text = response.content.decode()
    assert "There is a problem" in text and "Enter hours as a number" in text and "between 0 and 168" in text
    assert 'value="200"' in text
    assert Child.objects.get(pk=child.pk).version == 1


def test_two_people_editing_one_record_the_second_is_told_and_nothing_is_lost(client_for):
    child = ChildFactory.create(hours_parent_per_week=Decimal(10), hours_other_per_week=Decimal(2))
    first = client_for(Role.TEAM_MANAGER, first_name="Mo", last_name="Manager")
    second = client_for(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/change/details/?part=hours"
    first_form, second_form = page(first, url), page(second, url)
    assert first.post(url, {**hidden(first_form), "hours_parent_per_week": "15",
                            "hours_other_per_week": "2"}).status_code == 302

    response = second.post(url, {**hidden(second_form), "hours_parent_per_week": "10",
                                 "hours_other_per_week": "6"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    text = html.unescape(response.content.decode())
    assert "Someone else changed this record while you were editing" in text
    assert "Mo Manager changed hours a week with parents from '10' to '15'" in text
    assert 'value="6"' in text  # what the second person typed is still in the form
    child.refresh_from_db()
    assert (child.hours_parent_per_week, child.hours_other_per_week) == (Decimal(15), Decimal(2))

    # saving again, having seen the change, saves over it: theirs is in the history
    again = second.post(url, {**hidden(response.content.decode()), "hours_parent_per_week": "15",
                              "hours_other_per_week": "6"})
    assert again.status_code == 302
    child.refresh_from_db()
    assert (child.hours_parent_per_week, child.hours_other_per_week, child.version) == (
        Decimal(15), Decimal(6), 3)


def test_a_move_through_the_pages_keeps_the_old_address(client_for):
    child = ChildFactory.create()
    old = AddressFactory.create(child=child, line_1="1 Old Road", moved_in_date=dt.date(2020, 5, 1))
    client = client_for(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/change/addresses/new/"
    form = page(client, url)
    response = client.post(url, {**hidden(form), "line_1": "2 New Street", "postcode": "LS7 2AB",
                                 "moved_in_day": "1", "moved_in_month": "13", "moved_in_year": "2026"})
    assert "must be a real date" in response.content.decode()
    response = client.post(url, {**hidden(form), "line_1": "2 New Street", "postcode": "LS7 2AB",
                                 "moved_in_day": "1", "moved_in_month": "11", "moved_in_year": "2026"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.moved_out_date == dt.date(2026, 11, 1) and not old.is_current
    assert Address.objects.get(child=child, is_current=True).line_1 == "2 New Street"
    edit = page(client, f"/children/{child.pk}/change/addresses/{old.pk}/")
    assert "Date the child moved out" in edit


def test_changing_a_parent_and_adding_a_provider_above_the_threshold(client_for, settings):
    settings.NOTINSCHOOL_PROVIDER_HOURS_THRESHOLD = 12
    link = ChildParentFactory.create(educates=None, parent__name="Pat Parent")
    child = link.child
    client = client_for(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/change/parents/{link.pk}/"
    form = page(client, url)
    assert client.post(url, {**hidden(form), "name": "Pat Parent", "address_line_1": "9 Far Lane",
                             "postcode": "LS8 1AA", "lives_with_child": "no",
                             "educates": "yes"}).status_code == 302
    url = f"/children/{child.pk}/change/providers/new/"
    assert client.post(url, {**hidden(page(client, url)), "name": "Leeds Tutors",
                             "hours_per_week": "14.5"}).status_code == 302
    child_page = page(client, f"/children/{child.pk}/")
    assert "9 Far Lane" in child_page and "Above 12 hours" in child_page
    provider = Provider.objects.get(child=child)
    remove = f"/children/{child.pk}/change/providers/{provider.pk}/remove/"
    assert client.post(remove, hidden(page(client, remove))).status_code == 302
    assert not Provider.objects.exists()
    assert FieldChange.objects.filter(child=child, field="provider", value_before="Leeds Tutors").exists()


def test_the_history_withholds_addresses_from_those_who_may_not_see_them(client_for):
    child = ChildFactory.create(do_not_disclose_address=True, postcode="LS6 1AB")
    address = AddressFactory.create(child=child, line_1="1 Safe House")
    officer = client_for(Role.EHE_OFFICER)
    url = f"/children/{child.pk}/change/addresses/{address.pk}/"
    assert officer.post(url, {**hidden(page(officer, url)), "line_1": "1 Safe House Lane",
                              "postcode": "LS6 1AB", "town": "Demo Town", "moved_in_day": "1",
                              "moved_in_month": "1", "moved_in_year": "2022"}).status_code == 302
    assert "1 Safe House Lane" in page(officer, f"/children/{child.pk}/history/")
    known_to("social_care", child)
    history = page(client_for(Role.SOCIAL_WORKER), f"/children/{child.pk}/history/")
    assert "Safe House" not in history and "Withheld" in history
