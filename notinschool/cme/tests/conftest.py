"""Missing education tests run on a fixed Monday (casework's), so deadlines in working and
school days are known. The pages' signed-in clients come from the shell's conftest."""

from collections.abc import Iterator

import pytest

from notinschool.cme.tests.factories import MONDAY
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
