"""Each role sees exactly the children docs/product.md's table allows, on the register and on the
child's page, and every page that shows children is audited with the children it showed."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditedChild, AuditEvent
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Child, Status
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

NO_CHILDREN = [Role.ANALYST, Role.DPO, Role.ADMIN, Role.SCHOOL_LEAD]


def refs_on_register(client) -> set[str]:
    response = client.get("/register/", {"status": "any"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return {c.child_ref for c in Child.objects.all() if c.child_ref in response.content.decode()}


def opens(client, child) -> bool:
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code in (200, 404)
    return response.status_code == 200


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.TEAM_MANAGER])
def test_education_staff_see_every_child(client_for, role):
    children = [ChildFactory.create(status=s) for s in (Status.EHE, Status.CME, Status.NOT_IN_SCHOOL_OTHER,
                                                 Status.RETURNED_TO_SCHOOL)]
    client = client_for(role)
    assert refs_on_register(client) == {c.child_ref for c in children}
    assert all(opens(client, c) for c in children)


def test_health_sees_home_educated_children_in_their_districts(client_for, health_agency):
    inside = ChildFactory.create(status=Status.EHE, postcode="LS6 1AB")
    also_inside = ChildFactory.create(status=Status.EHE, postcode="LS7 3CD")
    missing_education = ChildFactory.create(status=Status.CME, postcode="LS6 2AB")
    elsewhere = ChildFactory.create(status=Status.EHE, postcode="LS9 1AB")
    look_alike = ChildFactory.create(status=Status.EHE, postcode="LS61 1AB")
    client = client_for(Role.HEALTH_PRACTITIONER, agency=health_agency)
    assert refs_on_register(client) == {inside.child_ref, also_inside.child_ref}
    assert opens(client, inside)
    assert not any(opens(client, c) for c in (missing_education, elsewhere, look_alike))


def test_social_workers_see_children_known_to_social_care(client_for):
    known = ChildFactory.create()
    known_to("social_care", known)
    household_only = ChildFactory.create()
    known_to("social_care", household_only, kind=PersonMatch.Kind.HOUSEHOLD)
    pending = ChildFactory.create()
    known_to("social_care", pending).person.matches.update(state=PersonMatch.State.PENDING)
    health_only = ChildFactory.create()
    known_to("health", health_only)
    client = client_for(Role.SOCIAL_WORKER)
    assert refs_on_register(client) == {known.child_ref}
    assert opens(client, known)
    assert not any(opens(client, c) for c in (household_only, pending, health_only))


@pytest.mark.parametrize("role", NO_CHILDREN)
def test_other_roles_see_no_child(client_for, role):
    child = ChildFactory.create()
    client = client_for(role)
    refused = client.get("/register/")
    assert refused.status_code == 403
    assert_govuk_page(refused.content)
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert not AuditedChild.objects.exists()


def test_the_register_page_audits_the_children_it_shows(client_for):
    shown = ChildFactory.create_batch(3)
    ChildFactory.create(status=Status.LEFT_AREA)  # closed: not on the default list
    client = client_for(Role.EHE_OFFICER)
    client.get("/register/")
    event = AuditEvent.objects.get(action="list")
    assert event.actor == client.user and event.object_type == "child"
    assert set(event.children.values_list("child_id", flat=True)) == {c.pk for c in shown}
    assert event.child_count == 3 and event.detail == {"fields": ["open_only"]}
    assert event.actor_label == f"{client.user.username} (ehe_officer)" and event.object_ids == []


def test_the_childs_page_audits_the_view(client_for):
    child = ChildFactory.create()
    client = client_for(Role.EHE_OFFICER)
    client.get(f"/children/{child.pk}/")
    event = AuditEvent.objects.get(action="view")
    assert event.actor == client.user
    assert list(event.children.values_list("child_id", flat=True)) == [child.pk]
    assert "Viewed a record" in client.get(f"/children/{child.pk}/").content.decode()


def test_a_refused_child_is_not_audited_as_seen(client_for, health_agency):
    child = ChildFactory.create(status=Status.CME)
    client_for(Role.HEALTH_PRACTITIONER, agency=health_agency).get(f"/children/{child.pk}/")
    assert not AuditedChild.objects.filter(child_id=child.pk).exists()


def test_a_social_worker_opens_the_child_social_care_was_alerted_about(client_for):
    """A sister known to social care only through her brother's plan: the front door team's
    alert links to her record, so its social workers may open it; other teams may not."""
    from notinschool.accounts.models import Agency
    from notinschool.accounts.tests.factories import AgencyFactory
    from notinschool.casework.models import Alert

    front_door = AgencyFactory.create(name="Front door", kind=Agency.Kind.SOCIAL_CARE)
    locality = AgencyFactory.create(name="Locality team", kind=Agency.Kind.SOCIAL_CARE)
    sister = ChildFactory.create()
    unrelated = ChildFactory.create()
    Alert.objects.create(child=sister, raised_on="2026-11-23", due_date="2026-11-24",
                         recipient_agency=front_door)
    duty = client_for(Role.SOCIAL_WORKER, agency=front_door)
    assert opens(duty, sister) and not opens(duty, unrelated)
    assert refs_on_register(duty) == {sister.child_ref}
    elsewhere = client_for(Role.SOCIAL_WORKER, agency=locality)
    assert not opens(elsewhere, sister)
