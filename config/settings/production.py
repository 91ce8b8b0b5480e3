"""Production: everything from the environment (docs/operations.md, "Environment variables"),
and no default for a secret, a host or the database. A missing one stops the process at start
with `MissingSetting` naming the variable, rather than running on a guess.

The deploy scripts select these settings (`DJANGO_SETTINGS_MODULE=config.settings.production`
in `/etc/notinschool/env`); `config/wsgi.py` defaults to them too, so a WSGI server started
without the variable still refuses to run without a secret."""

from config import env
from config.settings.base import *  # noqa: F403

SECRET_KEY = env.require("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise env.MissingSetting("DJANGO_SECRET_KEY must be at least 50 characters "
                             "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in env.require("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
if not env.get("DATABASE_URL").startswith(("postgres://", "postgresql://")):
    raise env.MissingSetting("DATABASE_URL must be set to a PostgreSQL database (postgres://...)")

# Behind the council's TLS proxy: it says the request came in over HTTPS in this header (empty:
# no proxy, the WSGI server terminates TLS itself). Trust it only when the proxy sets it on
# every request and strips it from the client's.
_proxy_header = env.get("DJANGO_PROXY_SSL_HEADER", "X-Forwarded-Proto").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# The origins a form may be posted from: by default https:// and each allowed host.
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env.get(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    ",".join(f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*")).split(",") if o.strip()]
# The address django-axes records for a sign-in (and locks nothing by: lockout is per account):
# behind the proxy, the client's own address from X-Forwarded-For, as the proxy adds it.
AXES_IPWARE_PROXY_COUNT = env.integer("NOTINSCHOOL_PROXY_COUNT", 1 if _proxy_header else 0)
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# allauth's brake on sign-ins (30 a minute from one address) by the same client address: without
# it every officer behind the proxy shares the proxy's address, and the 31st officer to sign in
# within a minute (at 9 o'clock, say) is refused (bench/load.py, #19 item 7).
ALLAUTH_TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT

# Addresses allauth builds (the single sign-on answer address it gives the identity provider) are
# https, whatever the proxy passes on.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # a load balancer's probes come over plain HTTP
SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading a council's domain into browsers is the council's own decision, not this app's.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405

# Batch work (imports, linking, assessment, the worker's tasks) gives way to the pages: nice 10
# (bench/load.py: pages while a 100,000-row import runs on the same two cores).
NOTINSCHOOL_BATCH_NICE = env.integer("NOTINSCHOOL_BATCH_NICE", 10)

# The processes share one cache: the database's own table unless Redis is named.
NOTINSCHOOL_CACHE = env.get("NOTINSCHOOL_CACHE", "db")
if NOTINSCHOOL_CACHE == "locmem":
    raise env.MissingSetting("NOTINSCHOOL_CACHE=locmem is one process's memory: use db or redis://")
if NOTINSCHOOL_CACHE == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "notinschool_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": NOTINSCHOOL_CACHE}}

# Static files served by the web process itself (WhiteNoise), compressed, from STATIC_ROOT,
# which `notinschool collectstatic` fills at release.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STATIC_ROOT = Path(env.require("NOTINSCHOOL_STATIC_ROOT"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email leaves: GOV.UK Notify or SMTP; the outbox folder is the demo's and the tests'.
if NOTINSCHOOL_EMAIL_BACKEND == "outbox" and not env.flag("NOTINSCHOOL_ALLOW_OUTBOX", False):  # noqa: F405
    raise env.MissingSetting("NOTINSCHOOL_EMAIL_BACKEND must be notify or smtp in production "
                             "(the outbox folder sends nothing)")
if NOTINSCHOOL_EMAIL_BACKEND == "notify":  # noqa: F405
    NOTINSCHOOL_NOTIFY_API_KEY = env.require("NOTINSCHOOL_NOTIFY_API_KEY")
    NOTINSCHOOL_NOTIFY_TEMPLATE_ID = env.require("NOTINSCHOOL_NOTIFY_TEMPLATE_ID")
if NOTINSCHOOL_EMAIL_BACKEND == "smtp":  # noqa: F405
    env.require("EMAIL_HOST")
NOTINSCHOOL_BASE_URL = env.require("NOTINSCHOOL_BASE_URL").rstrip("/")

LOGGING = logging_config(level=env.get("LOG_LEVEL", "INFO"), fmt=env.get("LOG_FORMAT", "json"),  # noqa: F405
                         error_webhook=env.get("NOTINSCHOOL_ERROR_WEBHOOK", ""))
