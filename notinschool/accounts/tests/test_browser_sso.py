"""Single sign-on in a real browser: Chromium presses "Sign in with ..." on the sign-in page, is
sent to the identity provider on loopback (oidc_provider.py) and back, and lands on the register;
an unknown person gets the refusal page. On each page axe-core finds no accessibility problem and
the browser reports no error: the content security policy lets the sign-in form be redirected to
the provider (`form-action`) and nothing else. The whole flow with every refusal is in
test_sso.py."""

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.accounts.tests.oidc_provider import Person, Provider
from notinschool.audit.models import AuditEvent
from notinschool.web.tests.browser import browser_page, check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_page"]  # the fixture, from browser.py

NAME = "Demo Borough Council"


@pytest.fixture
def idp(live_server: Any, settings: Any) -> Iterator[Provider]:
    provider = Provider(redirect_uris=[f"{live_server.url}/accounts/oidc/authority/login/callback/"]).start()
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [{"provider_id": "authority", "name": NAME, "client_id": provider.client_id,
                  "secret": provider.client_secret, "settings": {"server_url": provider.issuer}}]}}
    settings.NOTINSCHOOL_OIDC_NAME = NAME
    # as config/settings/base.py does for a configured provider
    settings.SECURE_CSP = {**settings.SECURE_CSP,
                           "form-action": [*settings.SECURE_CSP["form-action"], provider.issuer]}
    yield provider
    provider.stop()


def test_sign_in_with_the_identity_provider(browser_page: Any, idp: Provider) -> None:
    page = browser_page
    person = UserFactory.create(username="ada", email="ada@demo-borough.example", role=Role.EHE_OFFICER)
    idp.person = Person(sub="idp-0001", email="Ada@Demo-Borough.example")

    page.goto("/accounts/login/")
    check_page(page, "sso-1-sign-in")
    page.get_by_role("button", name=f"Sign in with {NAME}").click()
    page.wait_for_url("**/register/")
    check_page(page, "sso-2-register")
    assert AuditEvent.objects.filter(action="sign_in", actor=person, detail__method="sso").count() == 1


def test_an_unknown_person_gets_the_refusal_page(browser_page: Any, idp: Provider) -> None:
    page = browser_page
    idp.person = Person(sub="idp-0002", email="mallory@demo-borough.example")

    page.goto("/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {NAME}").click()
    page.wait_for_url("**/accounts/oidc/authority/login/callback/**")
    page.get_by_role("heading", name="You cannot sign in").wait_for()
    # the refusal is a 403, which the browser reports as an error: that one is expected
    page.problems.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")
    check_page(page, "sso-3-refused")
    page.get_by_role("link", name="Go back to the sign-in page").click()
    page.wait_for_url("**/accounts/login/")
    assert AuditEvent.objects.filter(action="sso_refused", detail__reason="unknown").count() == 1


def test_the_administrator_sees_the_link_and_unlinks_it(browser_page: Any, idp: Provider) -> None:
    page = browser_page
    UserFactory.create(username="admin", email="admin@demo-borough.example", role=Role.ADMIN)
    person = UserFactory.create(username="ada", email="ada@demo-borough.example", role=Role.EHE_OFFICER)
    SocialAccount.objects.create(user=person, provider="authority", uid="idp-0003")
    idp.person = Person(sub="idp-0004", email="admin@demo-borough.example")

    page.goto("/accounts/login/")  # the administrator signs in with the provider too
    page.get_by_role("button", name=f"Sign in with {NAME}").click()
    page.wait_for_url("**/administration/")
    page.goto(f"/administration/people/{person.pk}/")
    expect(page.get_by_text(f"Sign in with {NAME}")).to_be_visible()
    check_page(page, "sso-4-administration-linked")
    page.get_by_role("button", name="Unlink").click()
    expect(page.get_by_role("link", name="Give the reason")).to_be_visible()  # the error summary
    check_page(page, "sso-5-administration-unlink-error")
    page.get_by_label("Reason").last.fill("The account was given to a new starter")
    page.get_by_role("button", name="Unlink").click()
    expect(page.get_by_text("Not linked yet")).to_be_visible()
    assert not SocialAccount.objects.filter(user=person).exists()
