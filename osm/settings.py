"""One settings module for every environment, driven by environment variables.

Absent variables give the embedded default: SQLite, Celery eager, local-memory cache,
console e-mail. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and DEBUG=false
(see .env.example).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets the admin's and forms' generic classes be subscripted at run time (for type hints).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str:
    """Read NAME, or the file named by NAME_FILE (Docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from exc
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set")
    return value


# Off unless set: `make run` and `make test` set DEBUG=true themselves.
DEBUG = env_bool("DEBUG", False)
# Under pytest (or `manage.py test`) the development key is allowed without DEBUG, and so it
# is for the tools that sign nothing (migrations, message catalogues, mypy's Django plugin).
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
_TOOLING = "mypy" in sys.modules or sys.argv[1:2] in (
    ["makemigrations"],
    ["makemessages"],
    ["compilemessages"],
)
_DEV_SECRET_KEY = "insecure-dev-only-key-change-me-in-production-0123456789"
_PLACEHOLDER_KEYS = {"change-me-to-50-random-characters", _DEV_SECRET_KEY}


def _real_secret_key(value: str) -> str:
    """Refuse to start outside debug and tests without a real key (as `check --deploy`
    judges it: 50 characters or more, 5 different ones or more, not a placeholder)."""
    if (
        value in _PLACEHOLDER_KEYS
        or value.startswith(("django-insecure", "insecure-"))
        or len(value) < 50
        or len(set(value)) < 5
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off, for example: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return value


SECRET_KEY = env_secret("SECRET_KEY", _DEV_SECRET_KEY if DEBUG or TESTING or _TOOLING else "")
if not (DEBUG or TESTING or _TOOLING):
    SECRET_KEY = _real_secret_key(SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "axes",
    "pgtrigger",
    "pghistory",
    "osm",
    "strategy",
    "scorecard",
    "projects",
    "committee",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database unreachable: a Thai 503 page, before anything reads the session.
    "osm.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "osm.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "osm.middleware.HtmxMessagesMiddleware",
    "osm.middleware.DisplayPreferencesMiddleware",
    "osm.audit.AuditContextMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "osm.urls"
WSGI_APPLICATION = "osm.wsgi.application"
AUTH_USER_MODEL = "osm.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osm.context_processors.osm",
            ],
        },
    }
]

# Database: DATABASE_URL, or the embedded SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and Celery broker. Absent → local memory and eager tasks.
# With Redis away, pages still render: the cache answers "miss" after a short timeout and
# skips Redis for a few seconds (osm/lib/cache.py); tasks that cannot be queued are logged and
# e-mails wait in the outbox (osm/outbox.py). Sessions live in the database, never in Redis.
REDIS_URL = env_str("REDIS_URL")
REDIS_TIMEOUT = float(env_str("REDIS_TIMEOUT", "0.25"))
if REDIS_URL:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES = {
        "default": {
            "BACKEND": "osm.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "osm",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "retry": Retry(NoBackoff(), 1),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Generated documents (osm/documents/): the longest a render may take (the task's hard time
# limit; the soft limit, 30 s earlier, marks the document failed with "took too long").
DOCUMENT_RENDER_SECONDS = env_int("DOCUMENT_RENDER_SECONDS", 600)
# Tasks are acknowledged late (a worker that dies hands its task back). On Redis a task
# taken but not acknowledged goes back to the queue after the visibility timeout, so it must
# be longer than the longest render, or a slow render would be delivered to a second worker:
# the render limit plus 5 minutes. No task may be scheduled further ahead than this (ETA or
# countdown), or Redis delivers it twice: document retries stay under half of it. (Kombu
# looks for such tasks only every ~100 s, so redelivery comes up to that much later; beat's
# sweep-documents finds a dead worker's document within DOCUMENT_SWEEP_SECONDS.)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", DOCUMENT_RENDER_SECONDS + 300)
if CELERY_VISIBILITY_TIMEOUT <= DOCUMENT_RENDER_SECONDS:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed DOCUMENT_RENDER_SECONDS")
# A queued document whose task has waited this long is sent again by beat (the task may be
# lost); sending twice is harmless. Default: the visibility timeout.
DOCUMENT_REQUEUE_SECONDS = env_int("DOCUMENT_REQUEUE_SECONDS", CELERY_VISIBILITY_TIMEOUT)
# Publishing from a request gives up fast (osm.tasks.enqueue sends without retries).
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5.0,
    # Connecting to publish: one attempt, no retry loop (workers retry on their own terms).
    "max_retries": 0,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for tasks past the visibility timeout: every interval × throttle
    # seconds (kombu's defaults, 10 × 10). The redelivery test shortens it.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
# PDF rendering has a queue of its own, so a long render never holds up e-mails and alerts.
# Workers consume both: celery -A osm worker -Q celery,pdf (Makefile, docker-compose.yml).
CELERY_TASK_ROUTES = {
    "osm.render_document": {"queue": "pdf"},
    "committee.convert_paper": {"queue": "pdf"},
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_TIMEOUT = 5.0
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "osm.heartbeat", "schedule": 60.0},
    # E-mails still waiting in the outbox (broker was away, mail server failed).
    "drain-outbox": {
        "task": "osm.drain_outbox",
        "schedule": float(env_int("OUTBOX_DRAIN_SECONDS", 60)),
    },
    # Documents whose render task was lost (broker away, worker killed): sent again.
    "sweep-documents": {
        "task": "osm.sweep_documents",
        "schedule": float(env_int("DOCUMENT_SWEEP_SECONDS", 60)),
    },
    # Early warnings every morning, Bangkok time (ALERT_RULES_EVERY_SECONDS: a fixed interval
    # instead, for tests that watch beat tick).
    "alert-rules": {
        "task": "osm.run_alert_rules",
        "schedule": float(env_int("ALERT_RULES_EVERY_SECONDS", 0)) or crontab(hour=7, minute=0),
    },
    # The digests of early warnings (osm/alerts/digests.py), after the morning's rules.
    "alert-digest-daily": {
        "task": "osm.send_daily_alert_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "alert-digest-weekly": {
        "task": "osm.send_weekly_alert_digests",
        "schedule": crontab(hour=7, minute=45, day_of_week=1),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection (osm/lib/throttle.py): failures are counted per username and
# address (AXES_FAILURE_LIMIT), per username from any address (AXES_USER_FAILURE_LIMIT: one
# account tried from many addresses) and per address for any username
# (AXES_ADDRESS_FAILURE_LIMIT: one password sprayed across accounts; higher, as an office's
# people share one address). Past a limit, log-in waits AXES_COOLOFF_MINUTES; a successful
# password reset unlocks the account at once.
AXES_HANDLER = "osm.lib.throttle.TieredAxesHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_USER_FAILURE_LIMIT = env_int("AXES_USER_FAILURE_LIMIT", 10)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address (django-ipware, read by axes and the password-reset limit). With no
# proxy (AXES_PROXY_COUNT=0), only REMOTE_ADDR: never a header a client could forge. Behind
# AXES_PROXY_COUNT proxies that each append the address they saw to X-Forwarded-For (nginx:
# proxy_add_x_forwarded_for), the header holds the client and the proxies before the last
# one (which is REMOTE_ADDR): ipware counts those, AXES_PROXY_COUNT - 1. A header with more
# entries (a client forged one) does not match and counts as the proxy's address.
OSM_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = max(0, OSM_PROXY_COUNT - 1)
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if OSM_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Password reset requests (osm/views.py): per client address and per e-mail address, per hour.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)

# Internationalisation: Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files that must never be public (evidence of results): no URL, served by scoped views only.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
# Seconds a rendered dashboard fragment is kept (scorecard/cache.py); 0 turns the cache off.
SCORECARD_FRAGMENT_TTL = env_int("SCORECARD_FRAGMENT_TTL", 600)
# Spreadsheet imports: the largest file accepted (checked before it is read), and how long an
# import preview waits for its confirmation (the file is kept in PRIVATE_MEDIA_ROOT/imports).
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
SPREADSHEET_PREVIEW_TTL = env_int("SPREADSHEET_PREVIEW_TTL", 3600)
# Office papers (Word, Excel, PowerPoint) are converted to PDF by LibreOffice in the worker
# (osm/lib/office.py): the program (a name on PATH or a path) and the longest a conversion
# may take, in seconds.
SOFFICE_PATH = env_str("SOFFICE_PATH", "soffice")
OFFICE_CONVERT_SECONDS = env_int("OFFICE_CONVERT_SECONDS", 120)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: console by default; SMTP when EMAIL_HOST is set. Every e-mail goes through the
# outbox (osm/outbox.py).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "artifacts" / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OSM <no-reply@osm.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health probes come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy (django-csp): only the app's own scripts, styles, fonts and images
# (plus data: images, which Bootstrap's CSS uses for icons). No inline script or style
# attribute anywhere: htmx is configured for it in base.html (no eval, no injected styles).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no device or sensor feature is used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Audit history (django-pghistory): who and from which request.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

OSM_SITE_NAME = "OSM"
# The public address, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long the link in an invitation e-mail works (osm/people/).
OSM_INVITATION_DAYS = env_int("OSM_INVITATION_DAYS", 7)
