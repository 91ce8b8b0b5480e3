from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """allauth keeps its rate limits and used TOTP codes in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def totp_tolerance(settings: object) -> None:
    """Accept the previous and next 30-second codes too, so a test that computes a code just
    before a period ends does not fail by bad luck."""
    settings.MFA_TOTP_TOLERANCE = 1  # type: ignore[attr-defined]
