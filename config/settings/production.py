"""Production: every secret from the environment, nothing defaulted."""

from config import env
from config.settings.base import *  # noqa: F403

SECRET_KEY = env.require("DJANGO_SECRET_KEY")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
