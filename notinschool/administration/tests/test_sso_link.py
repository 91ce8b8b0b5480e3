"""The administrator sees whether a person is linked to the authority's identity provider and can
unlink them (the provider's account given to someone else), with a reason, audited; the next
single sign-on links again by email (accounts.sso; the sign-ins themselves: accounts/tests/test_sso.py)."""

import pytest
from allauth.socialaccount.models import SocialAccount

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

NAME = "Demo Borough Council"


@pytest.fixture
def sso_on(settings: object) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [  # type: ignore[attr-defined]
        {"provider_id": "authority", "name": NAME, "client_id": "register", "secret": "s",
         "settings": {"server_url": "http://127.0.0.1:9"}}]}}
    settings.NOTINSCHOOL_OIDC_NAME = NAME  # type: ignore[attr-defined]


def test_without_single_sign_on_the_person_page_does_not_mention_it(client_for):
    admin = client_for(Role.ADMIN)
    person = UserFactory.create(username="ada", email="ada@demo-borough.example")
    html = admin.get(f"/administration/people/{person.pk}/").content.decode()
    assert "Sign in with" not in html and "Unlink" not in html


def test_the_administrator_sees_the_link_and_unlinks_it_with_a_reason(client_for, sso_on):
    admin = client_for(Role.ADMIN)
    person = UserFactory.create(username="ada", email="ada@demo-borough.example", totp=False)
    page = admin.get(f"/administration/people/{person.pk}/")
    html = page.content.decode()
    assert f"Sign in with {NAME}" in html and "Not linked yet" in html and "Unlink" not in html

    SocialAccount.objects.create(user=person, provider="authority", uid="idp-0001")
    page = admin.get(f"/administration/people/{person.pk}/")
    assert_govuk_page(page.content)
    html = page.content.decode()
    assert "Linked on" in html and f"not asked for when they sign in with {NAME}" in html

    refused = admin.post(f"/administration/people/{person.pk}/single-sign-on/", {"reason": ""})
    assert refused.status_code == 200
    assert_govuk_page(refused.content)
    assert 'href="#unlink-reason"' in refused.content.decode()
    assert SocialAccount.objects.filter(user=person).exists()

    done = admin.post(f"/administration/people/{person.pk}/single-sign-on/",
                      {"reason": "The account was given to a new starter"})
    assert done.status_code == 302 and done["Location"] == f"/administration/people/{person.pk}/"
    assert not SocialAccount.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="update", object_type="user", detail__sso_unlinked=["idp-0001"])
    assert event.object_ids == [str(person.pk)] and event.reason == "The account was given to a new starter"
    assert "Not linked yet" in admin.get(f"/administration/people/{person.pk}/").content.decode()


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.TEAM_MANAGER, Role.DPO])
def test_only_an_administrator_may_unlink(client_for, sso_on, role):
    person = UserFactory.create(username="ada", email="ada@demo-borough.example")
    SocialAccount.objects.create(user=person, provider="authority", uid="idp-0001")
    response = client_for(role).post(f"/administration/people/{person.pk}/single-sign-on/",
                                     {"reason": "Trying"})
    assert response.status_code == 403
    assert SocialAccount.objects.filter(user=person).exists()
