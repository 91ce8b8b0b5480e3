"""The one-time code on every letter. A family reads it off the letter and types it, with the
child's date of birth, into the public pages to tell the authority of a change or to give the
child's views, without an account (`public`).

A code is eight letters and digits in two groups of four (ABCD-2345), from an alphabet with no
look-alikes (no 0/O, 1/I/L): about 10^12 codes, so with the public pages' rate limits no one
finds a code by guessing. Only an HMAC of the code (keyed with the project's secret) is kept, so
the database alone does not give the codes away. A code expires after
NOTINSCHOOL_ACCESS_CODE_DAYS (90 by default) and works once."""

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings

from notinschool.core import clock
from notinschool.letters.models import AccessCode, Letter
from notinschool.people.models import Child

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
SAMPLE_CODE = "ABCD-2345"  # printed on previews: no real code is made for a letter not sent
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def access_code_days() -> int:
    return int(getattr(settings, "NOTINSCHOOL_ACCESS_CODE_DAYS", 90))


def access_code_new() -> str:
    """A fresh code as printed: two groups of four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def access_code_normalise(typed: str) -> str:
    """What a person typed, as the code: capitals, without spaces or dashes."""
    return _NOT_CODE.sub("", typed.upper())


def access_code_hash(typed: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, access_code_normalise(typed).encode(), hashlib.sha256).hexdigest()


def access_code_store(*, child: Child, code: str, letter: Letter | None = None,
                      on: dt.date | None = None) -> AccessCode:
    """Keeps the hash of a code printed on a letter to `child`, valid from `on` (today)."""
    start = on or clock.today()
    return AccessCode.objects.create(child=child, letter=letter, code_hash=access_code_hash(code),
                                     expires_on=start + dt.timedelta(days=access_code_days()))


def access_code_find(typed: str) -> AccessCode | None:
    """The code someone typed, if it was ever issued (used or expired too: the caller decides,
    and says the same for each)."""
    if len(access_code_normalise(typed)) != CODE_LENGTH:
        return None
    return AccessCode.objects.select_related("child").filter(code_hash=access_code_hash(typed)).first()


def access_code_usable(code: AccessCode) -> bool:
    return code.used_at is None and code.expires_on >= clock.today()


def access_code_spend(*, code: AccessCode, used_for: str) -> bool:
    """Marks the code used, once: False when someone used it in the meantime."""
    return AccessCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        used_at=clock.now(), used_for=used_for[:30]) == 1
