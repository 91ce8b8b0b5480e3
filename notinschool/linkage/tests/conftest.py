"""Fixtures for the linkage tests: the pages' signed-in clients come from the shell's conftest
(notinschool/web/tests/conftest.py), as do its autouse fixtures (a clean cache, TOTP tolerance),
so the page tests run as they did there."""

from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)
