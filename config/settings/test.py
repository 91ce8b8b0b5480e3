"""The test suite: the same database choice as the demo (DATABASE_URL), fast hashing."""

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # flush after a transactional test empties only the tables holding rows
    DATABASES["default"]["ENGINE"] = "notinschool.core.testdb"  # noqa: F405
