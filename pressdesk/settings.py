"""Pressdesk settings.

One module for every environment: whatever differs between a laptop and production is read
from environment variables, and every default is the safe, local one (SQLite, local files,
DEBUG off).
See README.md, "Configuration", for the full list.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)

# DJANGO_SECRET_KEY must be set in production; `check --deploy` fails without it (pressdesk.E001).
# Without it, DEBUG uses a fixed development key (sessions survive runserver's reloads) and
# anything else a random key per process: nobody can forge a signature with a key from this
# file, and the symptoms (logged-out users, dead share links after a restart) show the mistake.
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY"))
DEVELOPMENT_SECRET_KEY = "django-insecure-pressdesk-development-key-never-use-in-production"  # noqa: S105
if SECRET_KEY_FROM_ENVIRONMENT:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
elif DEBUG:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
else:
    SECRET_KEY = "django-insecure-" + secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "markdownx",
    "axes",
    "django_tasks_db",
    "core",
    "contacts",
    "myths",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the query: a shared link's fbclid or utm_* never splits the page cache.
    "core.middleware.TrackingParametersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "myths.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "myths.middleware.RefuseNulInAdminQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # process_exception runs bottom-up: near the end, this sees the view's exceptions first, so a
    # database outage is a 503, not a 500 (AxesMiddleware, below it, handles no exceptions).
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressdesk.urls"
WSGI_APPLICATION = "pressdesk.wsgi.application"

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
                "django.template.context_processors.csp",
                "myths.context_processors.site",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (e.g. postgres://user@host:5432/pressdesk) for anything else.
# Timeouts keep a down or hung database from holding a worker until gunicorn kills it (30 s): a
# request then fails fast and is answered 503 with Retry-After (core/middleware.py).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 2)  # seconds; libpq's minimum is 2
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# The few hot queries core/prepared.py runs are prepared on each connection, so PostgreSQL plans
# them once per connection, not on every request (Django's own cursors bind client-side and are
# never prepared; psycopg prepares nothing by count below this threshold). Turn it off
# (DATABASE_PREPARED_STATEMENTS=0) behind a pooler in transaction mode that cannot keep prepared
# statements (PgBouncer before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
            "prepare_threshold": 2**31 - 1 if DATABASE_PREPARED_STATEMENTS else None,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Editors save while readers read: WAL and a busy timeout keep SQLite from "database is locked".
    # The busy timeout is SQLite's statement timeout: a write waits that long for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": DATABASE_STATEMENT_TIMEOUT_MS / 1000,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file, not SQLite's in-memory default: Django shares one in-memory connection
    # between the test and every thread of the live server, and concurrent requests of a browser
    # test (a page and its XHRs) then interleave on it and lose sessions. A file gives each
    # thread its own connection, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages are cached; a local-memory cache needs no service, Redis is for production.
# Which version of a page is current is decided by the database (core/cache.py), so each worker's
# local memory is as safe as a shared Redis. A Redis that is down or hung costs at most a second per
# request (the page is then rendered without the cache, never a 500).
REDIS_URL = os.environ.get("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pressdesk"}
    )
}

# Each worker also keeps the public pages it served last in its own memory, up to this many bytes
# of page bodies (core/page_cache.py, RecentPages; 0 turns it off): a page served again costs no
# round trip to Redis. Keys carry the public generation, so this memory is as current as Redis.
PRESSDESK_PAGE_MEMORY_BYTES = env_int("PRESSDESK_PAGE_MEMORY_BYTES", 8 * 1024 * 1024)
# How many different searches may be stored in the page cache per minute, across every worker
# (each for two minutes at most): a burst of readers asking the same words is served from the
# cache, while a flood of different queries cannot fill it (myths/public/views.py).
PRESSDESK_SEARCH_PAGES_PER_MINUTE = env_int("PRESSDESK_SEARCH_PAGES_PER_MINUTE", 300)

# Failed sign-ins are throttled by django-axes, in the database (shared by every worker). Five
# failures lock the username (whoever tries it, from anywhere) and, separately, the address
# (whatever usernames it tries), for the cool-off; attempts on unknown usernames count the same
# way, so the lockout says nothing about which accounts exist. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PRESSDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PRESSDESK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "myths.signin.lockout_response"
# The client address is REMOTE_ADDR: a client can write any X-Forwarded-For it likes. Only when
# DJANGO_BEHIND_PROXY says a proxy sets the header is its right-most entry, the one the proxy
# appended (DJANGO_PROXY_COUNT proxies in a row), taken instead.
if env_bool("DJANGO_BEHIND_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1)
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages a release can be written in, and those of the interface: a release's page, PDF,
# e-mails and feed entries speak its own language; the public site's chrome speaks the language in
# its address (/fr/releases/; none is English), the admin the reader's choice (the set_language
# cookie, else Accept-Language) — core.middleware.ReaderLocaleMiddleware.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Brussels")
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


def s3_storage(bucket: str) -> dict:
    """Media, derived images and PDFs in an S3-compatible bucket (django-storages), as private
    objects: readers get them through the media view, never from the bucket directly."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("PRESSDESK_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PRESSDESK_S3_REGION") or None,
            # None falls back on boto3's own chain (AWS_ACCESS_KEY_ID, instance roles, …).
            "access_key": os.environ.get("PRESSDESK_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("PRESSDESK_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": 60,
            # Like the local disk: a second upload of "chart.png" gets a name of its own.
            "file_overwrite": False,
        },
    }


PRESSDESK_S3_BUCKET = os.environ.get("PRESSDESK_S3_BUCKET", "")
if PRESSDESK_S3_BUCKET:
    STORAGES["default"] = s3_storage(PRESSDESK_S3_BUCKET)
# Background jobs (Django's tasks framework): public PDFs are made by `manage.py db_worker`, which
# reads its queue from the database (django-tasks-db), so every app server shares one queue. The
# test suite runs jobs immediately, in the process that queues them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PRESSDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Uploads above this size are refused before Pillow ever sees them (see core/images.py).
PRESSDESK_MAX_UPLOAD_BYTES = env_int("PRESSDESK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
PRESSDESK_MAX_IMAGE_PIXELS = env_int("PRESSDESK_MAX_IMAGE_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = PRESSDESK_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Public name of the office, used in page titles, feeds, structured data and the PDF.
PRESSDESK_SITE_NAME = os.environ.get("PRESSDESK_SITE_NAME", "Pressdesk")
PRESSDESK_SITE_URL = os.environ.get("PRESSDESK_SITE_URL", "http://127.0.0.1:8000")
# The four-eyes rule: a reviewer may not approve content they wrote, unless this is on.
PRESSDESK_ALLOW_SELF_APPROVAL = env_bool("PRESSDESK_ALLOW_SELF_APPROVAL", False)
PRESSDESK_SHARE_LINK_DAYS = env_int("PRESSDESK_SHARE_LINK_DAYS", 7)

# Press-release PDFs (myths/pdf/). The dateline's place is the release's or its press office's
# (PressOffice.dateline_place), not a setting. A render taking longer than the timeout is
# killed (a 503 page); it must stay below gunicorn's worker timeout (GUNICORN_TIMEOUT,
# gunicorn.conf.py), which would otherwise kill the whole worker first: myths/checks.py refuses
# to start if it does not.
PRESSDESK_PDF_TIMEOUT = env_int("PRESSDESK_PDF_TIMEOUT", 20)
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", 30)
PRESSDESK_PDF_MAX_PAGES = env_int("PRESSDESK_PDF_MAX_PAGES", 200)
PRESSDESK_PDF_MAX_HTML_BYTES = env_int("PRESSDESK_PDF_MAX_HTML_BYTES", 5 * 1024 * 1024)
PRESSDESK_PDF_CACHE_SECONDS = env_int("PRESSDESK_PDF_CACHE_SECONDS", 7 * 24 * 3600)

# Markdown beyond these is not formatted but shown as plain text (myths/markdown.py): longer
# text, or lists, quotes and brackets nested deeper (or brackets left open) cost Python-Markdown
# time or recursion that grows faster than the text.
PRESSDESK_MARKDOWN_MAX_CHARS = env_int("PRESSDESK_MARKDOWN_MAX_CHARS", 50_000)
PRESSDESK_MARKDOWN_MAX_DEPTH = env_int("PRESSDESK_MARKDOWN_MAX_DEPTH", 16)
# Seconds one Markdown text may take to format before it is shown as plain text instead.
PRESSDESK_MARKDOWN_TIME_BUDGET = env_int("PRESSDESK_MARKDOWN_TIME_BUDGET", 5)

# django-markdownx: previews and uploads go through our own staff-only views (myths/editor.py).
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = PRESSDESK_MAX_UPLOAD_BYTES
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
MARKDOWNX_SERVER_CALL_LATENCY = 300
MARKDOWNX_MARKDOWNIFY_FUNCTION = "myths.markdown.render_markdown"

# Django 6.1 mailers: the console while DEBUG is on, SMTP otherwise (host and login from the
# environment). The test runner swaps in its in-memory backend either way.
EMAIL_BACKEND_PATH = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_int("DJANGO_EMAIL_PORT", 25),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "pressdesk@localhost")

# HTTPS hardening. Off by default so the local run and the tests work over plain HTTP; production
# sets DJANGO_HTTPS=1 (see README), which `manage.py check --deploy` then finds clean.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise to browsers that is slow to take back: only on request. Django's deploy
# check recommends it (security.W021); leaving it off is this project's default, not an oversight.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (Django's own middleware). Public pages: scripts and styles only from
# this site's files or with the request's nonce (`{{ csp_nonce }}`); no plugins, no framing, no
# <base>, forms post only here. The admin keeps the same script rule but allows inline styles,
# which Django's admin and our admin templates use as attributes (myths/middleware.py picks it).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the empty favicon (templates/base.html); an image cannot run anything.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
PRESSDESK_ADMIN_CSP = {
    **SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    # Pasted or dropped images are previewed from the page itself before upload.
    "img-src": [CSP.SELF, "data:", "blob:"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The editorial quality gate (myths/quality.py): a response without a source blocks publication
# ("block"), is a warning ("warn") or is not checked ("off"). The public footer promises that
# every response names its sources only when it is "block".
PRESSDESK_REQUIRE_SOURCES = os.environ.get("PRESSDESK_REQUIRE_SOURCES", "warn")
if PRESSDESK_REQUIRE_SOURCES not in ("block", "warn", "off"):
    raise ImproperlyConfigured("PRESSDESK_REQUIRE_SOURCES must be block, warn or off.")

# The link checker (myths/links.py), run in the background by Django's tasks framework with a
# database-backed queue (django-tasks-db); `manage.py db_worker` runs the tasks (scripts/run).
# Check outbound links in the background when a release is submitted (off where the server may
# not reach the web).
PRESSDESK_LINKCHECK = env_bool("PRESSDESK_LINKCHECK", True)
PRESSDESK_LINKCHECK_TIMEOUT = env_int("PRESSDESK_LINKCHECK_TIMEOUT", 10)
PRESSDESK_LINKCHECK_HOST_INTERVAL = float(os.environ.get("PRESSDESK_LINKCHECK_HOST_INTERVAL", "1"))
# Tests only: lets the checker reach a server on 127.0.0.1. Never on in production.
PRESSDESK_LINKCHECK_ALLOW_LOOPBACK = False

# The benchmark (benchmarks/) only: routes its trivial baseline view. Off everywhere else.
PRESSDESK_BENCHMARK = env_bool("PRESSDESK_BENCHMARK", False)
