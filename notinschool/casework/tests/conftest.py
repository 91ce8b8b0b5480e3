"""Casework tests run on a fixed Monday, so deadlines in working days are known."""

from collections.abc import Iterator

import pytest

from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with clock.as_of(MONDAY):
        yield
