"""The demo and a developer's machine: embedded SQLite unless DATABASE_URL says otherwise.

Its made-up secret serves only a site that answers on this machine alone (the hosts allowed
are loopback names): a server that answers to any other name must set DJANGO_SECRET_KEY, or
better run the production settings (docs/operations.md), or it refuses to start."""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = env.flag("DJANGO_DEBUG", False)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
SECRET_KEY = env.get("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if set(ALLOWED_HOSTS) - LOOPBACK_HOSTS:  # noqa: F405
        raise env.MissingSetting(
            "DJANGO_SECRET_KEY must be set when DJANGO_ALLOWED_HOSTS names more than this machine "
            "(or use DJANGO_SETTINGS_MODULE=config.settings.production)")
    SECRET_KEY = "local-demo-only-not-a-secret"  # noqa: S105
