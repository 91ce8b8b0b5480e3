"""The demo and a developer's machine: embedded SQLite unless DATABASE_URL says otherwise."""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = env.flag("DJANGO_DEBUG", False)
SECRET_KEY = env.get("DJANGO_SECRET_KEY") or "local-demo-only-not-a-secret"
