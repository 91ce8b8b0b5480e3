"""Casework tests run on a fixed Monday, so deadlines in working days are known. The pages'
signed-in clients come from the shell's conftest, as do its autouse fixtures (a clean cache, TOTP
tolerance), so the page tests run as they did there."""

from collections.abc import Iterator

import pytest

from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
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
