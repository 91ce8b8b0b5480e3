"""TOTP helpers around allauth's own: whether a user is enrolled, and the code an authenticator
app shows now (for the demo's seeded users and for tests that sign in through the real form)."""

import datetime as dt
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.utils import timezone


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_just_set_up(user: Any) -> bool:
    """No TOTP yet, or set up within allauth's re-authentication window."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    window = dt.timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
    return totp is None or totp.created_at > timezone.now() - window


def totp_code_now(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    current = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, current))
