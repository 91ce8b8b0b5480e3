"""The pages' signed-in clients come from the shell's conftest, as do its autouse fixtures."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)


@contextmanager
def recorded_at(when: dt.datetime) -> Iterator[None]:
    """Audit events written inside are stamped `when`: the audit trail cannot be changed after
    it is written, so a test of a past day writes its events as that day."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield
