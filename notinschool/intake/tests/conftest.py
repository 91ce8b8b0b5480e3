"""Fixtures for the intake pages' tests: the shell's signed-in clients of each role
(notinschool/web/tests/conftest.py), reused rather than copied."""

from notinschool.web.tests.conftest import client_for, make_user

__all__ = ["client_for", "make_user"]
