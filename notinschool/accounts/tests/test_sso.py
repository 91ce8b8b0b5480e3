"""Single sign-on through the authority's identity provider (accounts.sso), against a real OpenID
Connect provider on loopback (oidc_provider.py): the register's own pages and allauth's provider
talk to it over HTTP (discovery, token, userinfo, keys); the browser's trips to it and back are
made here with `requests` and Django's test client, with the form token checked.

Roles stay in the application: only an active person an administrator added signs in, matched by
the provider's verified email; everyone else is refused with a page and the refusal audited."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.accounts.tests.oidc_provider import Person, Provider
from notinschool.audit.models import AuditEvent
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CALLBACK = "http://testserver/accounts/oidc/authority/login/callback/"
NAME = "Demo Borough Council"


@pytest.fixture
def idp(settings: object) -> Iterator[Provider]:
    provider = Provider(redirect_uris=[CALLBACK]).start()
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {  # type: ignore[attr-defined]
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [{"provider_id": "authority", "name": NAME, "client_id": provider.client_id,
                  "secret": provider.client_secret, "settings": {"server_url": provider.issuer}}]}}
    settings.NOTINSCHOOL_OIDC_NAME = NAME  # type: ignore[attr-defined]
    yield provider
    provider.stop()


def officer(email: str = "Ada.Lovelace@Demo-Borough.example", **kwargs: object) -> User:
    return UserFactory.create(username="ada", email=email, role=Role.EHE_OFFICER, **kwargs)


def start(client: Client, idp: Provider) -> str:
    """Press "Sign in with ..." on the sign-in page: the address of the provider's sign-in page."""
    page = client.get(LOGIN)
    html = page.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert form, "no sign-in-with-provider form on the sign-in page"
    assert f"Sign in with {NAME}" in html
    response = client.post(form.group(1).replace("&amp;", "&"), {"csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{idp.issuer}/authorize?")
    return str(response["Location"])


def at_provider(authorize: str) -> str:
    """The browser at the provider: it signs the person in and sends them back (the callback)."""
    answer = requests.get(authorize, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = answer.headers["Location"]
    assert back.startswith(CALLBACK)
    return back


def come_back(client: Client, callback: str):  # type: ignore[no-untyped-def]
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


def sso_sign_in(client: Client, idp: Provider):  # type: ignore[no-untyped-def]
    return come_back(client, at_provider(start(client, idp)))


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("at", "pk"))


def assert_refused(response, words: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "You cannot sign in" in html and words in html, html


def assert_signed_out(client: Client) -> None:
    assert client.get("/register/")["Location"].startswith(LOGIN)


def test_without_a_provider_the_sign_in_page_is_the_password_form_alone():
    html = Client().get(LOGIN).content.decode()
    assert "Sign in with" not in html and "/accounts/oidc/" not in html
    assert 'name="login"' in html and 'name="password"' in html


def test_a_known_person_signs_in_with_the_provider_and_lands_on_their_page(idp):
    person = officer()
    idp.person = Person(sub="idp-0001", email="ada.lovelace@demo-borough.EXAMPLE")  # any case
    client = Client(enforce_csrf_checks=True)
    authorize = start(client, idp)
    asked = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert asked["response_type"] == "code" and "openid" in asked["scope"].split()
    assert asked["nonce"] and asked["state"] and asked["code_challenge_method"] == "S256"
    response = come_back(client, at_provider(authorize))
    assert response.status_code == 302 and response["Location"] == "/"  # no code asked of them
    landed = client.get("/", follow=True)
    assert landed.redirect_chain[-1][0] == "/register/" and landed.status_code == 200
    # allauth fetched the provider's configuration, exchanged the code, read userinfo and the keys
    assert {"GET /.well-known/openid-configuration", "POST /token", "GET /userinfo",
            "GET /jwks"} <= set(idp.requests)  # the ID token's signature checked
    link = SocialAccount.objects.get(user=person)
    assert (link.provider, link.uid) == ("authority", "idp-0001")
    assert User.objects.count() == 1  # nobody was made
    [linked] = events("sso_linked")
    assert linked.object_ids == [str(person.pk)] and linked.detail["uid"] == "idp-0001"
    [signed_in] = events("sign_in")
    assert signed_in.actor_id == person.pk
    assert signed_in.detail["method"] == "sso" and signed_in.detail["uid"] == "idp-0001"

    # the next time the link is used: no second link, even if the provider's email changed
    idp.person = Person(sub="idp-0001", email="ada.king@demo-borough.example")
    again = Client()
    assert sso_sign_in(again, idp)["Location"] == "/"
    assert again.get("/register/").status_code == 200
    assert len(events("sso_linked")) == 1 and len(events("sign_in")) == 2


def test_a_sign_in_with_the_provider_is_not_sent_to_set_up_our_authenticator(idp):
    officer(totp=False)
    idp.person = Person(sub="idp-0002", email="ada.lovelace@demo-borough.example")
    client = Client()
    assert sso_sign_in(client, idp)["Location"] == "/"
    assert client.get("/register/").status_code == 200


def test_the_setting_asks_our_code_of_provider_sign_ins_too(idp, settings):
    settings.NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR = True
    person = officer()
    idp.person = Person(sub="idp-0003", email=person.email)
    client = Client()
    response = sso_sign_in(client, idp)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert_signed_out(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(person)})
    assert response["Location"] == "/"
    assert client.get("/register/").status_code == 200
    # and someone without an authenticator is sent to set one up
    officer_two = UserFactory.create(username="bea", email="bea@demo-borough.example", totp=False)
    idp.person = Person(sub="idp-0004", email=officer_two.email)
    client = Client()
    assert sso_sign_in(client, idp)["Location"] == "/"
    assert client.get("/register/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_password_sign_in_still_asks_for_the_code_when_the_provider_is_configured(idp):
    officer()
    client = Client()
    response = client.post(LOGIN, {"login": "ada", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert_signed_out(client)


def test_an_email_nobody_has_is_refused_and_nobody_is_made(idp):
    officer()
    idp.person = Person(sub="idp-0005", email="mallory@demo-borough.example")
    client = Client()
    response = sso_sign_in(client, idp)
    assert_refused(response, "nobody in the register has that email address")
    assert "mallory@demo-borough.example" in response.content.decode()
    assert_signed_out(client)
    assert User.objects.count() == 1 and not SocialAccount.objects.exists()
    [refused] = events("sso_refused")
    assert refused.detail["reason"] == "unknown" and refused.detail["email"] == "mallory@demo-borough.example"
    assert refused.detail["uid"] == "idp-0005" and refused.object_ids == []
    assert not events("sign_in")


def test_an_email_the_provider_has_not_verified_is_refused(idp):
    person = officer()
    idp.person = Person(sub="idp-0006", email=person.email, email_verified=False)
    client = Client()
    assert_refused(sso_sign_in(client, idp), "did not say that email address is verified")
    assert_signed_out(client)
    assert [e.detail["reason"] for e in events("sso_refused")] == ["not_verified"]


def test_an_email_two_people_share_is_refused(idp):
    officer()
    UserFactory.create(username="ada2", email="ADA.LOVELACE@demo-borough.example")
    idp.person = Person(sub="idp-0007", email="ada.lovelace@demo-borough.example")
    assert_refused(sso_sign_in(Client(), idp), "more than one person in the register has that email")
    assert [e.detail["reason"] for e in events("sso_refused")] == ["ambiguous"]


def test_a_leavers_deactivated_account_with_the_same_email_does_not_stop_the_new_starter(idp):
    UserFactory.create(username="leaver", email="officer@demo-borough.example", is_active=False)
    starter = UserFactory.create(username="starter", email="Officer@demo-borough.example")
    idp.person = Person(sub="idp-0012", email="officer@demo-borough.example")
    client = Client()
    assert sso_sign_in(client, idp)["Location"] == "/"
    assert client.get("/register/").status_code == 200
    assert SocialAccount.objects.get().user == starter


def test_a_deactivated_person_is_refused_before_and_after_linking(idp):
    person = officer(is_active=False)
    idp.person = Person(sub="idp-0008", email=person.email)
    client = Client()
    assert_refused(sso_sign_in(client, idp), "deactivated")
    assert_signed_out(client)
    assert not SocialAccount.objects.exists()
    # linked while active, then deactivated by an administrator
    person.is_active = True
    person.save()
    assert sso_sign_in(Client(), idp)["Location"] == "/"
    person.is_active = False
    person.save()
    client = Client()
    assert_refused(sso_sign_in(client, idp), "deactivated")
    assert_signed_out(client)
    refusals = events("sso_refused")
    assert [e.detail["reason"] for e in refusals] == ["deactivated", "deactivated"]
    assert all(e.object_ids == [str(person.pk)] for e in refusals)


def test_a_state_that_is_not_this_sessions_is_refused(idp):
    person = officer()
    idp.person = Person(sub="idp-0009", email=person.email)
    client = Client()
    callback = at_provider(start(client, idp))
    forged = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(forged.query).items()}
    assert_refused(client.get(f"{forged.path}?{urlencode({**query, 'state': 'not-the-state'})}"),
                   "could not be checked")
    assert_signed_out(client)
    # the real answer, brought back in another browser (a session that did not start it)
    other = Client()
    assert_refused(come_back(other, callback), "could not be checked")
    assert_signed_out(other)
    assert [e.detail["reason"] for e in events("sso_refused")] == ["error", "error"]
    assert not SocialAccount.objects.exists() and not events("sign_in")


def test_an_id_token_with_another_nonce_is_refused(idp):
    person = officer()
    idp.person = Person(sub="idp-0010", email=person.email)
    idp.wrong_nonce = True
    client = Client()
    assert_refused(sso_sign_in(client, idp), "could not be checked")
    assert_signed_out(client)
    assert [e.detail["reason"] for e in events("sso_refused")] == ["nonce"]
    assert not SocialAccount.objects.exists()


def test_an_id_token_not_signed_with_the_providers_published_key_is_refused(idp):
    person = officer()
    idp.person = Person(sub="idp-0013", email=person.email)
    idp.wrong_key = True
    client = Client()
    assert_refused(sso_sign_in(client, idp), "could not be checked")
    assert_signed_out(client)
    [refused] = events("sso_refused")
    assert refused.detail["reason"] == "error" and "Invalid id_token" in refused.detail["error"]
    assert "GET /jwks" in idp.requests and not SocialAccount.objects.exists()


def test_a_code_is_used_once(idp):
    person = officer()
    idp.person = Person(sub="idp-0011", email=person.email)
    client = Client()
    authorize = start(client, idp)
    callback = at_provider(authorize)
    assert come_back(client, callback)["Location"] == "/"
    client.post("/accounts/logout/")
    assert_signed_out(client)
    # the same answer again: allauth has used its state, and the provider its code
    assert_refused(come_back(client, callback), "could not be checked")
    assert_signed_out(client)


def test_the_environment_configures_the_provider_only_when_its_address_is_set():
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "a = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']; "
              "print(a[0]['name'] if a else 'none', a[0]['settings']['server_url'] if a else '', "
              "s.SECURE_CSP['form-action'][-1])")
    base = {k: v for k, v in os.environ.items() if not k.startswith("NOTINSCHOOL_OIDC_")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    def run(**env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", script], env={**base, **env}, capture_output=True,
                              text=True, timeout=60, check=False)

    assert run().stdout.split()[0] == "none"
    configured = run(NOTINSCHOOL_OIDC_SERVER_URL="https://login.council.example/tenant/v2.0/",
                     NOTINSCHOOL_OIDC_CLIENT_ID="register", NOTINSCHOOL_OIDC_CLIENT_SECRET="s3cret",
                     NOTINSCHOOL_OIDC_NAME="Demo Council")
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.split() == ["Demo", "Council", "https://login.council.example/tenant/v2.0",
                                         "https://login.council.example"]
    missing = run(NOTINSCHOOL_OIDC_SERVER_URL="https://login.council.example/")
    assert missing.returncode != 0 and "NOTINSCHOOL_OIDC_CLIENT_SECRET" in missing.stderr
