"""The administrator's people pages: an invitation that lets the person choose a password, a
role changed, an account deactivated (and the rules that keep an administrator), two factors
reset only with the administrator's own password; nobody else may open them."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_invited_person_chooses_a_password_from_the_email_and_can_then_sign_in(client_for):
    admin = client_for(Role.ADMIN)
    team = AgencyFactory.create(name="EHE team", kind="education")
    response = admin.post("/administration/people/invite/", {
        "username": "a.khan", "first_name": "Amina", "last_name": "Khan",
        "email": "amina.khan@council.example", "role": Role.EHE_OFFICER, "agency": str(team.pk)})
    user = User.objects.get(username="a.khan")
    assert response.status_code == 302 and response["Location"] == f"/administration/people/{user.pk}/"
    assert user.role == Role.EHE_OFFICER and user.agency == team and not user.has_usable_password()
    [email] = mail.outbox
    assert email.to == ["amina.khan@council.example"] and "a.khan" in email.body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", str(email.body))
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    fresh = Client()
    form = fresh.get(path, follow=True)
    assert form.status_code == 200
    set_password = fresh.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                              {"password1": "a-long-new-pass-phrase", "password2": "a-long-new-pass-phrase"})
    assert set_password.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-pass-phrase")
    assert AuditEvent.objects.filter(object_type="user", action="create", object_ids=[str(user.pk)]).exists()


def test_an_invitation_with_a_username_taken_shows_the_error_summary(client_for):
    admin = client_for(Role.ADMIN)
    UserFactory.create(username="b.jones")
    page = admin.post("/administration/people/invite/", {
        "username": "B.Jones", "first_name": "Ben", "last_name": "Jones",
        "email": "ben@council.example", "role": Role.EHE_OFFICER, "agency": ""})
    text = page.content.decode()
    assert "There is a problem" in text and "There is already an account with the username B.Jones" in text
    assert not mail.outbox


def test_a_role_changed_and_an_account_deactivated_with_a_reason(client_for):
    admin = client_for(Role.ADMIN)
    person = UserFactory.create(username="c.lee", role=Role.EHE_OFFICER, first_name="Cal", last_name="Lee",
                                email="cal@council.example")
    their_session = Client()
    their_session.force_login(person)
    assert their_session.get("/account/").status_code == 200
    saved = admin.post(f"/administration/people/{person.pk}/", {
        "first_name": "Cal", "last_name": "Lee", "email": "cal@council.example",
        "role": Role.TEAM_MANAGER, "agency": str(person.agency_id or "")})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.TEAM_MANAGER
    no_reason = admin.post(f"/administration/people/{person.pk}/active/", {"active": "no", "reason": ""})
    assert no_reason.status_code == 200 and "Give the reason" in no_reason.content.decode()
    admin.post(f"/administration/people/{person.pk}/active/",
               {"active": "no", "reason": "Left on 30 November"})
    person.refresh_from_db()
    assert not person.is_active
    event = AuditEvent.objects.filter(object_type="user", action="update").latest("at")
    assert event.reason == "Left on 30 November" and event.detail == {"active": False}
    assert their_session.get("/account/").status_code == 302  # signed out: sent to sign in


def test_the_last_administrator_cannot_be_deactivated_nor_deactivate_themself(client_for):
    admin = client_for(Role.ADMIN)
    me = admin.user
    page = admin.post(f"/administration/people/{me.pk}/active/", {"active": "no", "reason": "testing"})
    assert page.status_code == 200 and "You cannot deactivate your own account" in page.content.decode()
    other = UserFactory.create(role=Role.ADMIN)
    me.is_active = False
    me.save()
    other_client = Client()
    other_client.force_login(other)
    refused = other_client.post(f"/administration/people/{other.pk}/", {
        "first_name": "X", "last_name": "Y", "email": "x@council.example", "role": Role.EHE_OFFICER,
        "agency": ""})
    assert "You cannot change your own role" in refused.content.decode()


def test_two_factors_are_reset_only_with_the_administrators_own_password(client_for):
    admin = client_for(Role.ADMIN)
    person = UserFactory.create(role=Role.SOCIAL_WORKER)
    assert Authenticator.objects.filter(user=person).exists()
    wrong = admin.post(f"/administration/people/{person.pk}/two-factor/",
                       {"password": "not-mine", "reason": "Lost phone"})
    assert wrong.status_code == 200 and "Your password is not right" in wrong.content.decode()
    assert Authenticator.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="refuse", object_type="user").exists()
    admin.post(f"/administration/people/{person.pk}/two-factor/",
               {"password": PASSWORD, "reason": "Lost phone"})
    assert not Authenticator.objects.filter(user=person).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_an_administrator_opens_the_pages(client_for, role):
    client = client_for(role)
    person = UserFactory.create()
    for path in ("/administration/", "/administration/people/", f"/administration/people/{person.pk}/",
                 "/administration/agencies/", "/administration/roles/", "/administration/settings/"):
        assert client.get(path).status_code == 403, (role, path)


def test_the_people_list_filters_by_role_and_shows_two_factors(client_for):
    admin = client_for(Role.ADMIN)
    UserFactory.create(first_name="Dee", last_name="Nurse", role=Role.HEALTH_PRACTITIONER)
    UserFactory.create(first_name="Eve", last_name="Officer", role=Role.EHE_OFFICER)
    page = admin.get("/administration/people/", {"role": Role.HEALTH_PRACTITIONER}).content.decode()
    assert "Dee Nurse" in page and "Eve Officer" not in page and "Two factors set up" in page
