"""Signing in and out is audited through the real allauth forms: a success, a wrong password (an
unknown username too, without making a user), a lockout, a wrong two-factor code and signing
out; each names the username tried and the address, never the password."""

import json
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from notinschool.accounts.models import User
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"
WRONG = "wrong-password-typed"


@pytest.fixture(autouse=True)
def clean_cache(settings: object) -> Iterator[None]:
    """allauth keeps rate limits and used TOTP codes in the cache; accept the codes either side."""
    settings.MFA_TOTP_TOLERANCE = 1  # type: ignore[attr-defined]
    cache.clear()
    yield
    cache.clear()


def office_client() -> Client:
    return Client(REMOTE_ADDR="203.0.113.7")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_sign_in_with_both_factors_is_audited_once_with_the_address():
    user = UserFactory.create(username="officer")
    client = office_client()
    client.post(LOGIN, {"login": "officer", "password": PASSWORD})
    assert events("sign_in") == []  # the password alone is not a sign-in
    client.post(CODE, {"code": current_code(user)})
    [event] = events("sign_in")
    assert event.actor == user and event.object_ids == [str(user.pk)]
    assert event.detail == {"username": "officer", "ip_address": "203.0.113.7"}
    assert event.get_action_display() == "Signed in"


def test_a_wrong_password_is_audited_with_the_username_tried_never_the_password():
    user = UserFactory.create(username="officer")
    office_client().post(LOGIN, {"login": "officer", "password": WRONG})
    [event] = events("sign_in_failed")
    assert event.actor is None and event.actor_label == "system: sign-in page (system)"
    assert event.object_ids == [str(user.pk)]
    assert event.detail == {"username": "officer", "ip_address": "203.0.113.7"}
    assert WRONG not in json.dumps([e.detail for e in AuditEvent.objects.all()])


def test_an_unknown_username_is_audited_without_making_a_user():
    office_client().post(LOGIN, {"login": "nobody.here", "password": WRONG})
    [event] = events("sign_in_failed")
    assert event.object_ids == [] and event.detail["username"] == "nobody.here"
    assert not User.objects.filter(username="nobody.here").exists()


def test_a_lockout_is_audited_with_the_count():
    UserFactory.create(username="officer")
    client = office_client()
    for _ in range(5):
        client.post(LOGIN, {"login": "officer", "password": WRONG})
    [event] = events("lockout")
    assert event.detail == {"username": "officer", "ip_address": "203.0.113.7", "failures": 5,
                            "already_locked": False}
    assert len(events("sign_in_failed")) == 5
    client.post(LOGIN, {"login": "officer", "password": PASSWORD})  # refused while locked
    assert [e.detail["already_locked"] for e in events("lockout")] == [False, True]


def test_a_wrong_two_factor_code_is_audited():
    user = UserFactory.create(username="officer")
    client = office_client()
    client.post(LOGIN, {"login": "officer", "password": PASSWORD})
    client.post(CODE, {"code": "000000"})
    [event] = events("two_factor_failed")
    assert event.object_ids == [str(user.pk)]
    assert event.detail == {"username": "officer", "ip_address": "203.0.113.7",
                            "reauthentication": False}
    assert events("sign_in") == []


def test_signing_out_is_audited():
    user = UserFactory.create(username="officer")
    client = office_client()
    client.post(LOGIN, {"login": "officer", "password": PASSWORD})
    client.post(CODE, {"code": current_code(user)})
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    [event] = events("sign_out")
    assert event.actor == user and event.detail["ip_address"] == "203.0.113.7"
