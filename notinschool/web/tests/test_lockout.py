"""Lockout counts per account, not per address: in an office behind one address, one person's
typos lock only their own account, someone else's success does not wipe their count, and the
lockout page says truthfully what happened and when the account opens again."""

import datetime as dt
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from notinschool.accounts.models import User
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"
OFFICE = "198.51.100.20"


def attempt(username: str, password: str = "wrong-password-typed") -> tuple[Client, Any]:  # noqa: S107
    client = Client(REMOTE_ADDR=OFFICE)
    return client, client.post(LOGIN, {"login": username, "password": password})


def signs_in(user: User) -> bool:
    client, response = attempt(user.username, PASSWORD)
    if response.status_code != 302 or response["Location"] != CODE:
        return False
    return client.post(CODE, {"code": current_code(user)})["Location"] == "/"


def test_one_persons_typos_lock_only_their_account_not_the_office():
    alice = UserFactory.create(username="alice")
    bob = UserFactory.create(username="bob")
    statuses = [attempt("alice")[1].status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert signs_in(bob)  # same address, other account: still signs in
    assert not signs_in(alice)  # even the right password is refused while locked


def test_another_persons_success_does_not_reset_the_count():
    UserFactory.create(username="alice")
    bob = UserFactory.create(username="bob")
    for _ in range(4):
        attempt("alice")
    assert signs_in(bob)
    assert attempt("alice")[1].status_code == 429  # the fifth failure still locks


def test_ones_own_success_resets_ones_own_count():
    alice = UserFactory.create(username="alice")
    for _ in range(4):
        attempt("alice")
    assert signs_in(alice)
    assert [attempt("alice")[1].status_code for _ in range(4)] == [200] * 4


def _page_text(response: Any) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_lockout_page_says_how_many_failures_and_until_when():
    UserFactory.create(username="alice")
    for _ in range(5):
        _client, response = attempt("alice")
    assert response.status_code == 429
    assert_govuk_page(response.content)
    last = AccessAttempt.objects.get(username="alice").attempt_time
    until = timezone.localtime(last + dt.timedelta(hours=1))
    assert abs(until - (timezone.now() + dt.timedelta(hours=1))) < dt.timedelta(minutes=1)
    when = f"{until:%H:%M}" if until.date() == timezone.localdate() else f"{until:%H:%M} on"
    assert (f"This account is locked after 5 failed sign-in attempts. Try again after {when}"
            in _page_text(response))
    assert "ask your administrator to unlock it." in _page_text(response)
    later = attempt("alice", PASSWORD)[1]  # an attempt while locked does not move the time
    assert later.status_code == 429 and f"Try again after {when}" in _page_text(later)


def test_an_unknown_username_gets_the_same_page_so_it_says_nothing_about_who_exists():
    UserFactory.create(username="alice")
    for _ in range(5):
        _client, known = attempt("alice")
        _client, unknown = attempt("nobody.here")
    assert known.status_code == unknown.status_code == 429
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')
    assert strip.sub("", _page_text(known)) == strip.sub("", _page_text(unknown))


def test_after_the_cool_off_the_account_opens_again():
    alice = UserFactory.create(username="alice")
    for _ in range(5):
        attempt("alice")
    AccessAttempt.objects.filter(username="alice").update(
        attempt_time=timezone.now() - dt.timedelta(hours=1, minutes=1))
    assert signs_in(alice)
