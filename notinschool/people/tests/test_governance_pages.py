"""Pages with children's data are not kept by browsers (`Cache-Control: no-store`); every refused
attempt to open a page or a child is audited; and the 'who has viewed this record' panel names
other professionals only to team managers (and the DPO), others see "Another professional"."""

import uuid

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.api.tests.test_api import keyed_client
from notinschool.audit.models import AuditEvent
from notinschool.audit.selectors import audit_viewers_for_child
from notinschool.audit.services import audit_record
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def assert_no_store(response: object) -> None:
    assert response["Cache-Control"] == "no-store", response.get("Cache-Control")  # type: ignore[index,attr-defined]
    assert response["Pragma"] == "no-cache"  # type: ignore[index]


def test_pages_with_childrens_data_are_not_stored(client_for):
    client = client_for(Role.EHE_OFFICER)
    child = ChildFactory.create()
    for path in (f"/children/{child.pk}/", "/register/", "/work/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)


def test_an_api_answer_is_not_stored():
    council = AgencyFactory.create(name="Demo Borough education", kind="education")
    response = keyed_client(council).get("/api/v1/imports")
    assert response.status_code == 200
    assert_no_store(response)


def test_a_page_the_role_cannot_open_is_refused_and_audited(client_for):
    client = client_for(Role.ANALYST)
    assert client.get("/register/").status_code == 403
    [event] = AuditEvent.objects.filter(action="refuse")
    assert event.actor == client.user and event.get_action_display() == "Refused access"
    assert event.detail == {"path": "/register/", "method": "GET", "refused": "needs view_register"}


def test_a_child_outside_the_scope_is_refused_and_audited(client_for):
    client = client_for(Role.HEALTH_PRACTITIONER)
    child = ChildFactory.create()
    assert client.get(f"/children/{child.pk}/").status_code == 404
    [event] = AuditEvent.objects.filter(action="refuse")
    assert event.actor == client.user and event.child_count == 0  # nothing of theirs was seen
    assert event.object_ids == [str(child.pk)]
    assert event.detail["refused"] == "child outside scope"
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_viewers_panel_names_other_professionals_only_to_managers(client_for):
    child = ChildFactory.create()
    first = client_for(Role.EHE_OFFICER, username="first.officer")
    first.get(f"/children/{child.pk}/")
    second = client_for(Role.EHE_OFFICER, username="second.officer")
    page = second.get(f"/children/{child.pk}/").content.decode()
    assert "second.officer (ehe_officer)" in page  # their own name
    assert "first.officer" not in page and "Another professional" in page
    manager = client_for(Role.TEAM_MANAGER, username="the.manager")
    page = manager.get(f"/children/{child.pk}/").content.decode()
    assert "first.officer (ehe_officer)" in page and "second.officer (ehe_officer)" in page


@pytest.mark.parametrize(("role", "names_shown"), [
    (Role.EHE_OFFICER, False), (Role.SOCIAL_WORKER, False), (Role.HEALTH_PRACTITIONER, False),
    (Role.TEAM_MANAGER, True), (Role.DPO, True),
])
def test_who_is_named_in_the_panel_by_role(make_user, role, names_shown):
    child = ChildFactory.create()
    other = make_user(Role.EHE_OFFICER, username="other.officer")
    reader = make_user(role, username="the.reader")
    for actor in (other, reader):
        audit_record(actor=actor, action="view", object_type="child", child_ids=[child.pk])
    who = [str(row["who"]) for row in audit_viewers_for_child(actor=reader, child_id=child.pk)]
    other_name = "other.officer (ehe_officer)" if names_shown else "Another professional"
    assert sorted(who) == sorted([other_name, f"the.reader ({role})"])


@pytest.mark.parametrize(("role", "path"), [
    (Role.TEAM_MANAGER, "/work/actions/{id}/done/"),
    (Role.EHE_OFFICER, "/contacts/{id}/done/"),
    (Role.EHE_OFFICER, "/contacts/{id}/reply/"),
    (Role.EHE_OFFICER, "/letters/{id}/pdf/"),
    (Role.EHE_OFFICER, "/matches/{id}/"),
    (Role.EHE_OFFICER, "/matches/duplicates/{id}/"),
    (Role.EHE_OFFICER, "/imports/{id}/"),
    (Role.EHE_OFFICER, "/imports/queued/{id}/"),
])
def test_a_record_that_is_not_theirs_is_refused_and_audited(client_for, role, path):
    record = uuid.uuid4()
    url = path.format(id=record)
    assert client_for(role).get(url).status_code == 404
    [event] = AuditEvent.objects.filter(action="refuse")
    assert event.object_ids == [str(record)] and event.detail["path"] == url
