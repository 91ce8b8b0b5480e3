"""Production: every secret from the environment, nothing defaulted."""

from config import env
from config.settings.base import *  # noqa: F403

SECRET_KEY = env.require("DJANGO_SECRET_KEY")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
if NOTINSCHOOL_EMAIL_BACKEND == "notify":  # noqa: F405
    NOTINSCHOOL_NOTIFY_API_KEY = env.require("NOTINSCHOOL_NOTIFY_API_KEY")
    NOTINSCHOOL_NOTIFY_TEMPLATE_ID = env.require("NOTINSCHOOL_NOTIFY_TEMPLATE_ID")
