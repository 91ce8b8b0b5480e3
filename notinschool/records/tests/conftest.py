"""Records tests run on a fixed day (Monday 7 December 2026). The pages' signed-in clients come
from the shell's conftest, as do its autouse fixtures."""

from collections.abc import Iterator

import pytest

from notinschool.core import clock
from notinschool.letters.tests.factories import TODAY
from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    health_agency,
    make_user,
    totp_tolerance,
)


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with clock.as_of(TODAY):
        yield
