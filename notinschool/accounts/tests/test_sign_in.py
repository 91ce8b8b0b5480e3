"""Signing in: password then TOTP through allauth's real forms; TOTP required of every role;
lockout by django-axes after 5 failures."""

import pytest
from django.test import Client

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def test_sign_in_with_password_and_totp_code():
    user = UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    client = Client()
    page = client.get(LOGIN)
    assert_govuk_page(page.content)
    response = sign_in(client, "officer")
    assert response.status_code == 302 and response["Location"] == CODE
    code_page = client.get(CODE)
    assert_govuk_page(code_page.content)
    response = client.post(CODE, {"code": current_code(user)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/register/"


def test_a_wrong_code_is_refused_with_an_error_summary():
    UserFactory.create(username="officer", role=Role.EHE_OFFICER)
    client = Client()
    sign_in(client, "officer")
    response = client.post(CODE, {"code": "000000"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    assert b"govuk-error-summary" in response.content
    assert client.get("/register/").status_code == 302  # still not signed in


def test_a_wrong_password_shows_the_error_summary():
    UserFactory.create(username="officer")
    response = sign_in(Client(), "officer", "not-the-password")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    assert b'href="#id_login"' in response.content


@pytest.mark.parametrize("role", list(Role))
def test_every_role_must_set_up_totp_before_anything_else(role):
    client = Client()
    client.force_login(UserFactory.create(role=role, totp=False))
    for path in ("/register/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_set_up_page_is_a_govuk_page():
    client = Client()
    user = UserFactory.create(totp=False)
    client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    assert b"Set up your authenticator app" in response.content


def test_locked_out_after_five_wrong_passwords():
    UserFactory.create(username="officer")
    client = Client()
    responses = [sign_in(client, "officer", "wrong-password-here") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    sign_in(client, "officer")  # even the right password is refused now
    assert client.get("/register/")["Location"].startswith(LOGIN)


def test_the_locked_out_page_is_a_govuk_page(settings):
    assert settings.AXES_LOCKOUT_TEMPLATE == "account_locked.html", (
        "config/settings/base.py needs AXES_LOCKOUT_TEMPLATE = 'account_locked.html' (the GOV.UK page in "
        "notinschool/web/jinja2/)")
    UserFactory.create(username="officer")
    client = Client()
    for _ in range(5):
        response = sign_in(client, "officer", "wrong-password-here")
    assert response.status_code == 429
    assert_govuk_page(response.content)
    assert b"You cannot sign in for now" in response.content
