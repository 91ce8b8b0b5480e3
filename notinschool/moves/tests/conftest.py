"""Moves tests run on a fixed Monday, so the chase in working days is known. The pages'
signed-in clients come from the shell's conftest."""

from collections.abc import Iterator

import pytest

from notinschool.core import clock
from notinschool.moves.tests.factories import MONDAY
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
