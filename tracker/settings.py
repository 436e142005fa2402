"""Settings for Pilot Tracker.

Everything that differs between a laptop and production comes from the environment. The
defaults fail safe: DEBUG is off unless ``DEBUG=1`` is set (the Makefile's development targets
and the test suite set it), so a forgotten variable never serves tracebacks; production is
configured through ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and friends.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tracker.secret_key import DEV_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable the way shells write them (1/0, true/false, yes/no, on/off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A development key is only acceptable while DEBUG is on; production must bring its own. Without
# one the settings still load (tools such as makemigrations need no key), but nothing that serves
# starts: tracker.secret_key says where that is enforced.
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "platforms.admin_site.TrackerAdminConfig",  # django.contrib.admin, administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "tracker",
    "platforms",
    "projects",
    "projects.reports",  # label "reports": the report pages, queries, cache and data version
    "tracker.devdata",  # seed_demo and generate_bulk: development data only
    "projects.imports",  # label "imports": import batches, the engine, its pages and commands
    "projects.returns",  # label "returns": reporting rounds, period returns, their review
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the user and the language are known: a view that could not get SQLite's write lock
    # gets the "come back in a minute" page in the site's layout, not a 500.
    "tracker.middleware.DatabaseLockedMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

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
                "tracker.context_processors.user_role",
                "platforms.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"


def sqlite_options() -> dict:
    """How SQLite is opened, so that a long import never makes anyone else fail.

    SQLite has one write lock for the whole database; an import of 30,000 projects holds it for
    about 14 s (it is one all-or-nothing transaction and stays so).
    - WAL (``journal_mode=WAL``, kept in the file): readers never wait for the writer and the
      writer never waits for readers, so every page keeps answering during an import.
    - ``transaction_mode=IMMEDIATE``: a transaction takes the write lock when it begins, so it
      waits for it there (busy timeout) and cannot fail halfway when a read would have to be
      upgraded to a write (a deadlock SQLite answers at once with "database is locked").
    - ``timeout`` (``SQLITE_BUSY_TIMEOUT`` seconds, default 5): how long a writer waits for the
      lock. After that the view answers 503 "an import is being written; try again in a
      minute" (``tracker.middleware``; the project form keeps what was typed). Longer waits
      would only tie up a gunicorn worker per waiting writer.
    Sign-in needs no write lock at all: see SESSION_ENGINE, AXES_HANDLER and tracker.apps.

    Measured with gunicorn (2 workers) while ``import_data`` wrote 30,000 projects with 90,000
    yield runs (write lock held about 15 s): before, a sign-in failed with 500 after 6.3 s and a
    project save with 500 after 5.3 s; now the sign-in takes 0.36 s, the home page 0.03 s, and
    the project save answers 503 after the 5 s busy timeout with everything typed kept.
    """
    return {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "5")),
    }


DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. ``sessions`` holds sign-in sessions and login-failure counters, ``default`` the
# report figures (projects/reports/cache.py). Neither is in the database, so signing in never
# waits for SQLite's write lock. With REDIS_URL both live in Redis (shared by every process and
# host); otherwise in files under CACHE_DIR, one directory per installation (by default var/cache
# in the checkout), shared by the gunicorn workers of this host. Redis is the better choice for
# several hosts and for exact failure counts under parallel attacks (its increments are atomic).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"tracker-{alias}",
        }
        for alias in ("default", "sessions")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR / "default",
        },
        # The file cache drops a random third of its entries when it is full; sessions get their
        # own directory and a ceiling no office reaches, so report figures never push anyone out.
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR / "sessions",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

# How long a computed report section stays in the ``default`` cache, in seconds. A write to any
# data the reports read changes the data version (projects/reports/models.py), which makes every
# cached section unreachable at once, so this only bounds how long an unused entry lingers;
# 0 turns the report cache off (every report recomputes).
REPORTS_CACHE_SECONDS = 600

# Sessions live in the cache, not in django_session: a sign-in (which creates a session) and
# every later request write nothing to the database. What a sign-in used to write, each of which
# waited for an import's write lock and then failed: the session row (INSERT django_session),
# axes' AccessLog row and the reset of its AccessAttempt rows (database handler), last_login
# (Django's update_last_login) and, after a Django upgrade, the rehashed password. Now: sessions
# and axes' counters in the cache; last_login and the rehash written only if the lock is free
# (tracker/signals.py, tracker/backends.py). tests/tracker/test_sqlite_locking.py asserts a
# sign-in writes nothing else, and signs in while another connection holds the lock. Cache
# sessions, unlike signed-cookie ones, can be ended on the server (sign-out, password change).
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, except that the rehash of an outdated password hash on sign-in is skipped
    # (not waited for) while an import holds SQLite's write lock; see tracker/backends.py.
    "tracker.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins, counted in the ``sessions`` cache (axes' cache handler; the database handler
# would write an AccessLog row on every sign-in and an AccessAttempt row on every failure, each
# needing the write lock). Two counters per failure, each locking for 15 minutes after the last
# failure (AXES_COOLOFF_TIME):
# - (username, address): 5 failures, the classic guessing of one account's password;
# - the address alone: LOGIN_ADDRESS_FAILURE_LIMIT (20) failures whatever the usernames, against
#   password spraying (one password tried on many accounts). 20 leaves room for an office of
#   several dozen people behind one NAT address mistyping now and then (each failure counts for
#   15 minutes), while a sprayer gets at most 20 guesses per quarter hour instead of unlimited.
# A successful sign-in clears only its own (username, address) counter: signing in to one's own
# account must not wipe the address's count of failures on other accounts.
AXES_HANDLER = "tracker.throttling.LoginFailureHandler"
AXES_CACHE = "sessions"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.throttling.lockout_response"
# axes' admin pages list its database tables, which the cache handler leaves empty: hidden, so
# that nobody reads "no failed attempts" there. Unlock with manage.py axes_reset_ip(_username).
AXES_ENABLE_ADMIN = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# E-mail, for password resets. Configured from the environment: EMAIL_HOST (then SMTP),
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL and
# DEFAULT_FROM_EMAIL. Without EMAIL_HOST, development (DEBUG on) prints mails on the console and
# production has no mail at all: EMAIL_CONFIGURED is then False and the password reset page says
# so plainly ("ask an administrator") instead of pretending to send.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    if not DEFAULT_FROM_EMAIL:
        raise ImproperlyConfigured("DEFAULT_FROM_EMAIL must be set when EMAIL_HOST is.")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_CONFIGURED = EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = DEFAULT_FROM_EMAIL or "pilot-tracker@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Password reset requests, counted in the ``sessions`` cache per requesting address and per
# e-mail address asked for, over PASSWORD_RESET_RATE_WINDOW seconds: enough for a person who
# mistyped, too few to flood a mailbox or the mail server (the people of one office share a NAT
# address, hence the larger per-address figure).
PASSWORD_RESET_RATE_WINDOW = 3600
PASSWORD_RESET_LIMIT_PER_ADDRESS = 10
PASSWORD_RESET_LIMIT_PER_EMAIL = 3

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the application keeps (uploaded imports waiting for their confirm, the evidence of period
# returns): under this installation's MEDIA_ROOT (default var/media in the checkout; env
# MEDIA_ROOT), never in a folder shared with other copies of the app, and never served by URL:
# only views that check access read them (MEDIA_URL is not routed). Several app hosts share one
# storage: set IMPORT_STORAGE_BACKEND to any Django storage class (e.g.
# storages.backends.s3.S3Storage) and IMPORT_STORAGE_OPTIONS to its options as JSON, or mount
# one MEDIA_ROOT on every host.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-is-not-served/"
RETURNS_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
IMPORT_STORAGE_BACKEND = os.environ.get(
    "IMPORT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
)
IMPORT_STORAGE_OPTIONS = json.loads(os.environ.get("IMPORT_STORAGE_OPTIONS", "") or "null") or (
    {
        "location": MEDIA_ROOT / "imports",
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    }
    if IMPORT_STORAGE_BACKEND.endswith("FileSystemStorage")
    else {}
)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "file_permissions_mode": 0o600},
    },
    "imports": {"BACKEND": IMPORT_STORAGE_BACKEND, "OPTIONS": IMPORT_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DJANGO_TABLES2_TEMPLATE = "tracker/table.html"  # bootstrap5.html, each cell labelled for phones
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover"}
# Lists count at most this many rows; above, "more than 10,000 rows" (tracker/paginators.py).
LIST_COUNT_LIMIT = 10_000

# Production hardening: on whenever DEBUG is off. SSL redirect and proxy header are separate
# switches because TLS is often terminated by a reverse proxy in front of gunicorn.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes /healthz over plain HTTP on the app's own port: answered, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): only this site's own files run or style the pages.
# No inline script or event handler and no style attribute in our templates (tracker.js and
# imports.js bind the behaviour; the import's progress is polled, not streamed as scripts), so
# no nonce either. Charts are inline SVG drawn with presentation attributes and
# classes, which style-src does not restrict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Imports (projects/imports). An uploaded workbook is measured before any reader builds its
# cells (projects/imports/workbook_guard.py), so these limits also bound the memory one import
# takes: calamine holds a sheet as a dense grid of 32 bytes a cell, so IMPORT_MAX_CELLS caps a
# sheet at 256 MB, and it reserves 24 bytes for every shared string a file declares.
IMPORT_MAX_BYTES = 20 * 1024 * 1024  # the uploaded file as it arrives
IMPORT_MAX_ROWS = 200_000  # data rows per sheet or CSV; three times as many for yield runs
IMPORT_MAX_COLUMNS = 50  # columns a sheet or CSV may use (the widest kind has 15)
IMPORT_MAX_CELLS = 8_000_000  # rows × columns a sheet spans (600,000 runs × 9 columns fit)
IMPORT_MAX_PARTS = 1_000  # files inside an .xlsx (Excel writes a dozen)
IMPORT_MAX_PART_BYTES = 256 * 1024 * 1024  # one file inside an .xlsx, unzipped
IMPORT_MAX_UNZIPPED_BYTES = 512 * 1024 * 1024  # all of an .xlsx, unzipped (zip bombs stop here)

# Celery (projects/imports/tasks.py, tracker/celery.py): the check and the write of an import
# run as jobs. CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/3 or
# amqp://guest:guest@127.0.0.1:5672//) sends them to workers (`celery -A tracker worker`), on
# this host or others; the job's state and progress live on the ImportBatch row, so no result
# backend is needed. Without a broker a job runs eagerly, in the request that starts it, so a
# checkout needs nothing but Python (the page then shows the outcome at once).
QUEUE_CONFIGURED = bool(os.environ.get("CELERY_BROKER_URL"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not QUEUE_CONFIGURED
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = False  # a job is claimed in the database; never run it twice
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a long import does not hold queued jobs back
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "pilot-tracker")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
