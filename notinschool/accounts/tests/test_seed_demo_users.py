"""`notinschool seed_demo_users`: one user per role, TOTP enrolled, and a table to sign in with."""

from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.test import Client

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Role
from notinschool.accounts.totp import has_totp

pytestmark = pytest.mark.django_db

USERNAMES = ["officer", "manager", "socialworker", "health", "schoollead", "analyst", "dpo", "admin"]


def seed(*args: str) -> list[list[str]]:
    out = StringIO()
    call_command("seed_demo_users", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["role", "username"]
    return [line.split("  ") for line in lines[2:2 + len(USERNAMES)]]


def cells(row: list[str]) -> list[str]:
    return [c.strip() for c in row if c.strip()]


def test_one_user_per_role_enrolled_in_totp_with_a_current_code():
    rows = [cells(r) for r in seed("--password", "demo-password-2026", "--health-districts", "WV1 WV2")]
    assert [r[1] for r in rows] == USERNAMES
    assert {u.role for u in User.objects.all()} == {r.value for r in Role}
    assert {a.kind for a in Agency.objects.all()} == {k.value for k in Agency.Kind}
    assert Agency.objects.get(kind=Agency.Kind.HEALTH).districts == ["WV1", "WV2"]
    for _role, username, password, secret, code in rows:
        assert password == "demo-password-2026"
        assert has_totp(User.objects.get(username=username))
        assert len(code) == 6 and validate_totp_code(secret, code)


def test_running_it_again_keeps_the_users_and_their_secrets():
    first = {cells(r)[1]: cells(r)[3] for r in seed()}
    second = {cells(r)[1]: cells(r)[3] for r in seed()}
    assert first == second
    assert User.objects.count() == len(USERNAMES)
    assert Agency.objects.count() == len(Agency.Kind)


def test_the_printed_details_sign_in():
    row = next(cells(r) for r in seed("--password", "demo-password-2026") if cells(r)[1] == "officer")
    client = Client()
    client.post("/accounts/login/", {"login": "officer", "password": row[2]})
    response = client.post("/accounts/2fa/authenticate/", {"code": row[4]})
    assert response.status_code == 302
    assert client.get("/register/").status_code == 200


def test_a_weak_password_is_refused():
    with pytest.raises(CommandError, match="too short"):
        seed("--password", "short")
    assert not User.objects.exists()
