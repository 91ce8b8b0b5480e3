"""Rate limits for the public pages, without a captcha: a count per address and per code in
Django's cache (shared between the server's processes in production), over a window.

The limits (setting NOTINSCHOOL_PUBLIC_LIMITS overrides any of them):
- `code_per_address`: tries of a letter's code from one address, per hour (10);
- `code_per_code`: tries of one code, from anywhere, per day (5): a code is not guessed by
  spreading the tries over many addresses, nor a date of birth by trying many dates;
- `submit_per_address`: registrations sent from one address, per hour (10).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

HOUR, DAY = 3600, 86400
DEFAULTS: dict[str, tuple[int, int]] = {
    "code_per_address": (10, HOUR),
    "code_per_code": (5, DAY),
    "submit_per_address": (10, HOUR),
}


def limit_for(name: str) -> tuple[int, int]:
    """(how many, in how many seconds) for the limit `name`."""
    override = getattr(settings, "NOTINSCHOOL_PUBLIC_LIMITS", {}) or {}
    return tuple(override.get(name, DEFAULTS[name]))  # type: ignore[return-value]


def _key(name: str, subject: str) -> str:
    return f"public-limit:{name}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def limit_count(name: str, subject: str) -> bool:
    """Counts one more try of `subject` (an address, a code) under limit `name`; True when that
    try is over the limit."""
    most, seconds = limit_for(name)
    key = _key(name, subject)
    if cache.add(key, 1, seconds):
        return most < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds)
        count = 1
    return count > most


def limit_reached(name: str, subject: str) -> bool:
    """Whether `subject` has used up limit `name` already (without counting a try)."""
    most, _ = limit_for(name)
    return int(cache.get(_key(name, subject), 0)) >= most


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the server saw it (behind the council's proxy, set
    the proxy to pass the real one as REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")
