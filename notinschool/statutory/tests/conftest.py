"""Statutory path tests run on Monday 7 December 2026 unless a test moves the clock on. The
pages' signed-in clients come from the shell's conftest, as do its autouse fixtures."""

from collections.abc import Iterator

import pytest

from notinschool.core import clock
from notinschool.statutory.tests.factories import MONDAY
from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield
