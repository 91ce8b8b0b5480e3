"""Public pages' tests run on Monday 7 December 2026, with the shell's fixtures (users, signed-in
clients, a clean cache: the rate limits live in it)."""

from collections.abc import Iterator

import pytest

from notinschool.core import clock
from notinschool.public.tests.helpers import TODAY
from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with clock.as_of(TODAY):
        yield
