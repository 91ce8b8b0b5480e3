"""Fixtures for the register's page tests: the shell's signed-in clients of each role and its
autouse fixtures (a clean cache, TOTP tolerance), from notinschool/web/tests/conftest.py, so the
page tests run as they did there."""

from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    health_agency,
    make_user,
    totp_tolerance,
)
