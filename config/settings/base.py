"""Settings shared by every environment. Environment-specific files import from here."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from config import env
from notinschool.web.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "notinschool"

SECRET_KEY = env.get("DJANGO_SECRET_KEY", "")
DEBUG = env.flag("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in env.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "crontask",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "notinschool.core",
    "notinschool.accounts",
    "notinschool.audit",
    "notinschool.people",
    "notinschool.intake",
    "notinschool.linkage",
    "notinschool.risk",
    "notinschool.mail",
    "notinschool.casework",
    "notinschool.allocation",
    "notinschool.letters",
    "notinschool.cme",
    "notinschool.statutory",
    "notinschool.plans",
    "notinschool.moves",
    "notinschool.reports",
    "notinschool.public",
    "notinschool.governance",
    "notinschool.records",
    "notinschool.administration",
    "notinschool.workflow",
    "notinschool.web",
    "notinschool.api",
    "ninja",
]

MIDDLEWARE = [
    "notinschool.web.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "notinschool.web.middleware.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "notinschool.accounts.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "web" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "notinschool.web.jinja.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{Path.cwd() / 'notinschool.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in: allauth with TOTP two-factor; no self sign-up (accounts are made by an administrator).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "notinschool.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# django-axes locks an account after failed passwords (below); allauth only brakes a flood from
# one address (30 a minute), so a locked account always gets the lockout page.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "notinschool"

# Single sign-on with the authority's identity provider (docs/operations.md, "Single sign-on"):
# allauth's OpenID Connect provider, offered on the sign-in page only when the provider's address
# is set. Nobody signs up through it: it signs in a person an administrator has added, matched by
# the verified email the provider gives (notinschool.accounts.sso). The provider's own second
# factor stands for ours unless NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR; password sign-ins always
# ask for our code.
NOTINSCHOOL_OIDC_SERVER_URL = env.get("NOTINSCHOOL_OIDC_SERVER_URL", "").strip().rstrip("/")
NOTINSCHOOL_OIDC_CLIENT_ID = env.get("NOTINSCHOOL_OIDC_CLIENT_ID", "")
NOTINSCHOOL_OIDC_CLIENT_SECRET = env.get("NOTINSCHOOL_OIDC_CLIENT_SECRET", "")
NOTINSCHOOL_OIDC_NAME = env.get("NOTINSCHOOL_OIDC_NAME", "") or env.get("NOTINSCHOOL_AUTHORITY_NAME",
                                                                       "Demo Borough Council")
NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR = env.flag("NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR", False)
NOTINSCHOOL_OIDC_TRUST_EMAIL = env.flag("NOTINSCHOOL_OIDC_TRUST_EMAIL", False)
SOCIALACCOUNT_ADAPTER = "notinschool.accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter matches the email itself, verified only
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (with the form token): no sign-in by a link
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, Any]] = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if NOTINSCHOOL_OIDC_SERVER_URL:
    if not (NOTINSCHOOL_OIDC_CLIENT_ID and NOTINSCHOOL_OIDC_CLIENT_SECRET):
        raise env.MissingSetting("NOTINSCHOOL_OIDC_SERVER_URL is set: NOTINSCHOOL_OIDC_CLIENT_ID and "
                                 "NOTINSCHOOL_OIDC_CLIENT_SECRET must be set too")
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [{
        "provider_id": "authority", "name": NOTINSCHOOL_OIDC_NAME,
        "client_id": NOTINSCHOOL_OIDC_CLIENT_ID, "secret": NOTINSCHOOL_OIDC_CLIENT_SECRET,
        "settings": {"server_url": NOTINSCHOOL_OIDC_SERVER_URL},
    }]

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# Per account, not per address: an office behind one address is not locked out by one
# person's typos, and one person's success resets only their own count (docs/operations.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the unlock time shown stays true
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_LOCKOUT_CALLABLE = "notinschool.web.lockout.lockout_response"
# axes warns that a lock without the address can be dodged by changing browser; a count per
# username ignores the browser and the address alike, so that does not apply here.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict content security policy: our own origin only, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

if NOTINSCHOOL_OIDC_SERVER_URL:  # the sign-in button's form is redirected to the provider's pages
    _oidc = urlsplit(NOTINSCHOOL_OIDC_SERVER_URL)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_oidc.scheme}://{_oidc.netloc}"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email (docs/operations.md, "Email"): "outbox" writes each email as a file into
# NOTINSCHOOL_OUTBOX (the demo); "notify" sends through GOV.UK Notify; "smtp" through EMAIL_HOST.
NOTINSCHOOL_EMAIL_BACKEND = env.get("NOTINSCHOOL_EMAIL_BACKEND", "outbox")
NOTINSCHOOL_NOTIFY_API_KEY = env.get("NOTINSCHOOL_NOTIFY_API_KEY", "")
NOTINSCHOOL_NOTIFY_TEMPLATE_ID = env.get("NOTINSCHOOL_NOTIFY_TEMPLATE_ID", "")
NOTINSCHOOL_NOTIFY_BASE_URL = env.get("NOTINSCHOOL_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
EMAIL_BACKENDS = {
    "outbox": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "OPTIONS": {"file_path": env.get("NOTINSCHOOL_OUTBOX", str(Path.cwd() / "outbox"))}},
    "notify": {"BACKEND": "notinschool.mail.notify.NotifyEmailBackend"},
    "smtp": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
             "OPTIONS": {"host": env.get("EMAIL_HOST", "localhost"), "port": env.integer("EMAIL_PORT", 25),
                         "username": env.get("EMAIL_HOST_USER", ""),
                         "password": env.get("EMAIL_HOST_PASSWORD", ""),
                         "use_tls": env.flag("EMAIL_USE_TLS", False)}},
}
if NOTINSCHOOL_EMAIL_BACKEND not in EMAIL_BACKENDS:
    raise env.MissingSetting(f"NOTINSCHOOL_EMAIL_BACKEND must be one of {', '.join(EMAIL_BACKENDS)}")
MAILERS = {"default": EMAIL_BACKENDS[NOTINSCHOOL_EMAIL_BACKEND]}
DEFAULT_FROM_EMAIL = env.get("NOTINSCHOOL_FROM_EMAIL", "register@notinschool.invalid")

# The authority: postcode districts of its area (empty: every postcode is inside).
NOTINSCHOOL_AREA_DISTRICTS = [
    d.strip().upper() for d in env.get("NOTINSCHOOL_AREA_DISTRICTS", "").split(",") if d.strip()
]
NOTINSCHOOL_AUTHORITY_NAME = env.get("NOTINSCHOOL_AUTHORITY_NAME", "Demo Borough Council")
# Letters: the team that signs them and how families and children reach it (docs/operations.md).
NOTINSCHOOL_TEAM_NAME = env.get("NOTINSCHOOL_TEAM_NAME", "Elective Home Education Team")
# The team's postal address, its lines parted by "|".
NOTINSCHOOL_TEAM_ADDRESS = env.get("NOTINSCHOOL_TEAM_ADDRESS", "Town Hall|1 High Street|Demo Town|DT1 1AA")
NOTINSCHOOL_TEAM_PHONE = env.get("NOTINSCHOOL_TEAM_PHONE", "0300 123 4567")
NOTINSCHOOL_TEAM_EMAIL = env.get("NOTINSCHOOL_TEAM_EMAIL", "homeeducation@demo-borough.invalid")
# Worker processes for laying out bulk letters (0: one for each core).
NOTINSCHOOL_LETTER_WORKERS = env.integer("NOTINSCHOOL_LETTER_WORKERS", 0)
# Batch commands (imports, linking, assessment, the task worker) lower their own CPU priority by
# this much (nice), so the people at the pages come first on a shared server: 0 leaves it.
NOTINSCHOOL_BATCH_NICE = env.integer("NOTINSCHOOL_BATCH_NICE", 0)
# Duties of the Children's Wellbeing and Schools Act 2026 not yet commenced: on by default.
NOTINSCHOOL_CWSA_DUTIES = env.flag("NOTINSCHOOL_CWSA_DUTIES", True)
NOTINSCHOOL_LINKAGE_DIR = Path(env.get("NOTINSCHOOL_LINKAGE_DIR", str(Path.cwd() / "var" / "linkage")))
# The matching model is trained on the authority's own records (`notinschool link --train`, and
# the monthly cross-reference when NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY is on) only with at least
# this many register children and agency people: fewer, and the model in use is kept.
NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS = env.integer("NOTINSCHOOL_LINKAGE_TRAINING_MIN_RECORDS", 10_000)
NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY = env.flag("NOTINSCHOOL_LINKAGE_TRAIN_MONTHLY", True)
# Links in emails point here (emails carry a link and no child's name).
NOTINSCHOOL_BASE_URL = env.get("NOTINSCHOOL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Alerts to children's social care go to the allocated social worker, else to this agency's
# front door team (its social workers, and the team mailbox if set). Empty: the first social
# care agency by name.
NOTINSCHOOL_FRONT_DOOR_AGENCY = env.get("NOTINSCHOOL_FRONT_DOOR_AGENCY", "")
NOTINSCHOOL_FRONT_DOOR_EMAIL = env.get("NOTINSCHOOL_FRONT_DOOR_EMAIL", "")
# EA 1996 s.434A: no new consent request for 6 months after a refusal (docs/legal-basis.md).
NOTINSCHOOL_CONSENT_BAR_MONTHS = env.integer("NOTINSCHOOL_CONSENT_BAR_MONTHS", 6)
# Children missing education (CME statutory guidance; docs/product.md): an enquiry with no
# answer is chased after this many working days; a case is due to close after this many
# school days (both work items in the queue).
NOTINSCHOOL_CME_CHASE_WORKING_DAYS = env.integer("NOTINSCHOOL_CME_CHASE_WORKING_DAYS", 5)
NOTINSCHOOL_CME_CASE_SCHOOL_DAYS = env.integer("NOTINSCHOOL_CME_CASE_SCHOOL_DAYS", 10)
# Moves between authorities (docs/product.md): this authority's three-digit LA code, written on
# each handover it sends, and the working days after a handover is sent before an unacknowledged
# one is chased in the work queue.
NOTINSCHOOL_LA_CODE = env.get("NOTINSCHOOL_LA_CODE", "")
NOTINSCHOOL_HANDOVER_CHASE_WORKING_DAYS = env.integer("NOTINSCHOOL_HANDOVER_CHASE_WORKING_DAYS", 10)
# Working together (docs/product.md): weeks without recorded progress before a plan drifts.
NOTINSCHOOL_PLAN_PROGRESS_WEEKS = env.integer("NOTINSCHOOL_PLAN_PROGRESS_WEEKS", 6)
# The statutory path to school attendance (EA 1996 ss.437-443; docs/legal-basis.md): the parent's
# periods in calendar days from service, the authority's own time for the next step, and the home
# visit request of the 2026 Act, off until commenced.
NOTINSCHOOL_S437_NOTICE_DAYS = env.integer("NOTINSCHOOL_S437_NOTICE_DAYS", 15)
NOTINSCHOOL_S438_CHOICE_DAYS = env.integer("NOTINSCHOOL_S438_CHOICE_DAYS", 15)
NOTINSCHOOL_INFORMAL_ENQUIRY_DAYS = env.integer("NOTINSCHOOL_INFORMAL_ENQUIRY_DAYS", 15)
NOTINSCHOOL_STATUTORY_ACT_WITHIN_DAYS = env.integer("NOTINSCHOOL_STATUTORY_ACT_WITHIN_DAYS", 10)
NOTINSCHOOL_HOME_VISIT_REQUEST_COMMENCED = env.flag("NOTINSCHOOL_HOME_VISIT_REQUEST_COMMENCED", False)
# An agency snapshot that would end more than this share of the source's current facts is
# refused unless the sender confirms (--allow-large-end); an empty snapshot is always refused.
NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE = float(env.get("NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE", "0.20"))
# A required action a person marked done is not raised again for this many days, though its
# rule still asks (docs/risk-model.md, "Tracking an action to its end").
NOTINSCHOOL_ACTION_QUIET_DAYS = env.integer("NOTINSCHOOL_ACTION_QUIET_DAYS", 28)
# How long the upload page, the forms and the API wait for another import before queueing.
NOTINSCHOOL_IMPORT_WAIT_SECONDS = float(env.get("NOTINSCHOOL_IMPORT_WAIT_SECONDS", "10"))
# Event dates in a file (deletion, admission, received, contact, agency start and end) may be
# at most this many days after the as-of date.
NOTINSCHOOL_FUTURE_DATE_DAYS = env.integer("NOTINSCHOOL_FUTURE_DATE_DAYS", 7)
# EA 1996 s.436C(1)(e): providers are recorded when the time with others passes an amount
# regulations will prescribe (not yet made); the child's page marks providers above this many
# hours a week (docs/operations.md).
NOTINSCHOOL_PROVIDER_HOURS_THRESHOLD = env.integer("NOTINSCHOOL_PROVIDER_HOURS_THRESHOLD", 18)
# Break-glass: how long a person may open a child outside their scope after giving a reason.
NOTINSCHOOL_BREAK_GLASS_MINUTES = env.integer("NOTINSCHOOL_BREAK_GLASS_MINUTES", 60)
# Unusual access, flagged for the data protection officer (docs/governance.md): in one day, more
# than this many children opened outside the person's usual postcode districts, or more than
# this many outside working hours (weekdays, from the first hour until the second, local time).
NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA = env.integer("NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA", 20)
NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS = env.integer("NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS", 5)
NOTINSCHOOL_WORKING_HOURS = (env.integer("NOTINSCHOOL_WORKING_HOURS_FROM", 7),
                             env.integer("NOTINSCHOOL_WORKING_HOURS_UNTIL", 19))

# The cache the processes share (docs/operations.md, "Environment variables"): sign-in rate
# limits, the used two-factor codes (a code cannot be replayed) and the API's throttles live
# here, so they hold across every web process. "locmem": one process's memory (the demo, the
# tests); "db": a table in the database (`notinschool createcachetable`); "redis://...": Redis
# (needs the `redis` package).
NOTINSCHOOL_CACHE = env.get("NOTINSCHOOL_CACHE", "locmem")
if NOTINSCHOOL_CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif NOTINSCHOOL_CACHE == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "notinschool_cache"}}
elif NOTINSCHOOL_CACHE.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": NOTINSCHOOL_CACHE}}
else:
    raise env.MissingSetting("NOTINSCHOOL_CACHE must be locmem, db or a redis:// URL")

# Logs to standard error, each line with its request's id (notinschool.web.logging); JSON with
# LOG_FORMAT=json; ERRORs also POSTed to NOTINSCHOOL_ERROR_WEBHOOK when it is set.
LOGGING = logging_config(level=env.get("LOG_LEVEL", "WARNING"), fmt=env.get("LOG_FORMAT", "text"),
                         error_webhook=env.get("NOTINSCHOOL_ERROR_WEBHOOK", ""))

# Retention schedules (docs/retention.md, with their sources): a closed child record is kept
# until the child's 25th birthday (without a date of birth, 25 years after it closed); audit
# events and subject access bundles for 6 years.
NOTINSCHOOL_RETENTION_CHILD_AGE = env.integer("NOTINSCHOOL_RETENTION_CHILD_AGE", 25)
NOTINSCHOOL_RETENTION_NO_BIRTH_DATE_YEARS = env.integer("NOTINSCHOOL_RETENTION_NO_BIRTH_DATE_YEARS", 25)
NOTINSCHOOL_RETENTION_AUDIT_YEARS = env.integer("NOTINSCHOOL_RETENTION_AUDIT_YEARS", 6)
NOTINSCHOOL_RETENTION_SUBJECT_ACCESS_YEARS = env.integer("NOTINSCHOOL_RETENTION_SUBJECT_ACCESS_YEARS", 6)
