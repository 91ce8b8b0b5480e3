"""The pages' signed-in clients come from the shell's conftest, as do its autouse fixtures (a
clean cache, TOTP tolerance)."""

from notinschool.web.tests.conftest import (  # noqa: F401 (fixtures)
    clear_cache,
    client_for,
    make_user,
    totp_tolerance,
)
