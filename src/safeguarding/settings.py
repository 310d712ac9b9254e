"""Settings for the safeguarding partnership platform, read from the environment.

Every variable is listed in README.md. Development defaults apply only while DEBUG is on;
with DEBUG off the service refuses to start without a SECRET_KEY.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from safeguarding.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
# Test mode comes only from running under pytest, never from the environment: a stray variable
# must not be able to weaken production settings.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG or TESTING else "")).rstrip(
    "/"
)
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off: e-mails link to it.")
PARTNERSHIP_NAME = env_str("PARTNERSHIP_NAME", "Safeguarding Children Partnership")
DEMO_NOTICE = env_bool("DEMO_NOTICE", DEBUG)  # "this is a demonstration" in the footer

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "safeguarding.core",
    "safeguarding.people",
    "safeguarding.learning",
    "safeguarding.risk",
    "safeguarding.health_records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safeguarding.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeguarding.core.middleware.AuditContextMiddleware",
    # Every view needs a signed-in user unless decorated with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "safeguarding.people.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguarding.core.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "safeguarding.core.forms.GovukFormRenderer"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing is not what the suite tests; argon2 at full cost would dominate its run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "people:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lockout (django-axes): per account and, separately, per client address. An account is locked
# after AXES_FAILURE_LIMIT failures from anywhere; an address only after the higher
# AXES_ADDRESS_FAILURE_LIMIT failures across accounts, so that one person's mistakes behind an
# agency's shared address do not lock their colleagues out (people.lockout).
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
if AXES_ADDRESS_FAILURE_LIMIT <= AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "LOCKOUT_ADDRESS_FAILURE_LIMIT must be greater than LOCKOUT_FAILURE_LIMIT: "
        "an address is shared by many accounts."
    )
AXES_HANDLER = "safeguarding.people.lockout.AccountOrAddressHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
# A success clears only that account's failures (people.signals), never the address's.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "safeguarding.people.signals.lockout_username"
AXES_CLIENT_IP_CALLABLE = "safeguarding.core.middleware.client_address"
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after a period of inactivity.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ACCOUNT_INACTIVITY_DAYS = env_int("ACCOUNT_INACTIVITY_DAYS", 180, minimum=1)
OTP_TOTP_ISSUER = PARTNERSHIP_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
STATICFILES_DIRS = [PROJECT_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look static files up when asked rather than scanning them all whenever a handler starts: tests
# start one per test client, and the scan was most of the persona suite's time.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# E-mail: the console backend unless configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@safeguarding-partnership.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict in production, relaxed only for local HTTP development.
SECURE = not (DEBUG or TESTING) and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER"), "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding partnership platform API",
    "DESCRIPTION": "Scoped REST API. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Training programme
LEARNING_OFFER_HOURS = env_int("LEARNING_OFFER_HOURS", 48, minimum=1)
LEARNING_REMINDER_DAYS = env_int("LEARNING_REMINDER_DAYS", 3, minimum=1)

# Background tasks (DESIGN.md decision 6): the database backend and `manage.py db_worker` in
# production and the demo; tests run tasks at once in the request that enqueues them.
TASKS_BACKEND = env_str(
    "TASKS_BACKEND",
    "django_tasks.backends.immediate.ImmediateBackend"
    if TESTING
    else "django_tasks_db.DatabaseBackend",
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# Limits on CSV and XLSX files read by core.tabular (issue 15), checked before a workbook is
# parsed. Sized for a national health extract (about a million rows) read by the command; web
# uploads pass tighter limits of their own (people imports: 5,000 rows).
TABULAR_MAX_ROWS = env_int("TABULAR_MAX_ROWS", 1_500_000, minimum=1)
TABULAR_MAX_COLUMNS = env_int("TABULAR_MAX_COLUMNS", 1000, minimum=1)
TABULAR_MAX_UNCOMPRESSED_MB = env_int("TABULAR_MAX_UNCOMPRESSED_MB", 1024, minimum=1)
TABULAR_MAX_COMPRESSION_RATIO = env_int("TABULAR_MAX_COMPRESSION_RATIO", 100, minimum=1)

# Health-records linkage: where uploaded extracts and run outputs are kept (never in the repo).
HEALTH_RECORDS_DIR = Path(
    env_str("HEALTH_RECORDS_DIR", str(PROJECT_DIR / "var" / "health_records"))
)
# Days before purge_health_records deletes extracts and named results (aggregates are kept).
HEALTH_RECORDS_RETENTION_DAYS = env_int("HEALTH_RECORDS_RETENTION_DAYS", 30, minimum=0)
