"""The allocation pages: a manager's unallocated queue and bulk allocation (preview, then
confirm), the district rules, and one child's officer; officers are refused."""

from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.allocation.models import AllocationChange, AllocationRule
from notinschool.allocation.tests.factories import AllocationRuleFactory, officer
from notinschool.audit.models import AuditEvent
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def page(client: Any, url: str, **kwargs: Any) -> str:
    response = client.post(url, kwargs) if kwargs else client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert_govuk_page(html)
    return html


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.SOCIAL_WORKER, Role.ADMIN])
def test_only_managers_allocate(client_for: Any, role: Role) -> None:
    client, child = client_for(role), ChildFactory.create()
    rule = AllocationRuleFactory.create()
    for url in ("/allocation/", "/allocation/rules/", f"/children/{child.pk}/officer/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/allocation/rules/{rule.pk}/remove/").status_code == 403
    assert AllocationRule.objects.exists()


def test_the_queue_counts_and_bulk_allocation_previews_then_confirms(client_for: Any) -> None:
    client, holder = client_for(Role.TEAM_MANAGER), officer(first_name="Priya", last_name="Shah")
    wv10 = [ChildFactory.create(postcode=f"WV10 {n}AB", last_school_urn="100001") for n in range(3)]
    ChildFactory.create(postcode="WV3 1AB")
    html = page(client, "/allocation/")
    assert "4 children waiting for an officer" in html and "WV10" in html and "100001" in html
    assert AuditEvent.objects.filter(action="list", detail__list="unallocated").get().child_count == 4

    choice = {"officer": str(holder.pk), "district": "wv10", "school_urn": "", "tier": ""}
    html = page(client, "/allocation/", **choice)
    assert "3 children will be allocated to Priya Shah." in html
    assert not Child.objects.filter(officer=holder).exists()  # nothing changes before confirming

    response = client.post("/allocation/", choice | {"confirm": "yes", "expected": "3"}, follow=True)
    assert "3 children allocated to Priya Shah." in response.content.decode()
    assert set(Child.objects.filter(officer=holder)) == set(wv10)
    assert "1 child waiting for an officer" in page(client, "/allocation/")


def test_bulk_allocation_needs_a_criterion(client_for: Any) -> None:
    client, holder = client_for(Role.TEAM_MANAGER), officer()
    html = page(client, "/allocation/", officer=str(holder.pk), district="", school_urn="12", tier="")
    assert "There is a problem" in html and "URN, 6 or 7 digits</a>" in html
    html = page(client, "/allocation/", officer=str(holder.pk), district="", school_urn="", tier="")
    assert "Enter a postcode district, a school" in html


def test_rules_are_added_changed_and_removed(client_for: Any) -> None:
    client, holder = client_for(Role.TEAM_MANAGER), officer(first_name="Priya", last_name="Shah")
    assert "No rules" in page(client, "/allocation/rules/")
    response = client.post("/allocation/rules/", {"district": "wv10", "officer": str(holder.pk)}, follow=True)
    assert "New children in WV10 will be allocated to Priya Shah." in response.content.decode()
    rule = AllocationRule.objects.get()
    assert (rule.district, rule.officer, rule.created_by) == ("WV10", holder, client.user)
    html = page(client, "/allocation/rules/", district="WV10 4QD", officer=str(holder.pk))
    assert "There is a problem" in html
    response = client.post(f"/allocation/rules/{rule.pk}/remove/", follow=True)
    assert "Rule for WV10 removed" in response.content.decode()
    assert not AllocationRule.objects.exists()


def test_the_childs_page_shows_the_officer_and_a_manager_changes_it(client_for: Any) -> None:
    manager, holder = client_for(Role.TEAM_MANAGER), officer(first_name="Priya", last_name="Shah")
    child = ChildFactory.create()
    html = page(manager, f"/children/{child.pk}/")
    assert "Not allocated to an officer." in html and f"/children/{child.pk}/officer/" in html
    page(manager, f"/children/{child.pk}/officer/")
    response = manager.post(f"/children/{child.pk}/officer/",
                            {"officer": str(holder.pk), "officer_was": ""}, follow=True)
    html = response.content.decode()
    assert f"{child.full_name} is allocated to Priya Shah." in html
    assert "Allocated to Priya Shah" in html  # on the timeline
    assert Child.objects.get(pk=child.pk).officer == holder

    html = page(client_for(Role.EHE_OFFICER), f"/children/{child.pk}/")
    assert "Priya Shah" in html and f"/children/{child.pk}/officer/" not in html


def test_the_second_of_two_managers_is_told(client_for: Any) -> None:
    client, first, second = client_for(Role.TEAM_MANAGER), officer(), officer()
    child = ChildFactory.create(officer=first)
    html = page(client, f"/children/{child.pk}/officer/", officer=str(second.pk), officer_was="")
    assert "Someone else changed this child" in html
    assert Child.objects.get(pk=child.pk).officer == first
    assert not AllocationChange.objects.exists()
