"""Settings for the bureau's administration system.

Everything that differs between machines comes from the environment (see
`.env.example`). With nothing set, the embedded profile runs: SQLite, Celery tasks
executed eagerly in-process, e-mail printed to the console.
"""

import base64
import hashlib
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from bureau import demo_clock
from bureau.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PROFILE = env_str("BUREAU_PROFILE", "dev")  # dev | test | production
DEBUG = env_bool("DJANGO_DEBUG", PROFILE == "dev")
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_celery_beat",
    "bureau",
    "numbering",
    "approvals",
    "deadlines",
    "attendance",
    "leave",
    "meetings",
    "discipline",
    "attachments",
    "duty",
    "window",
    "petitions",
    "documents",
    "handovers",
    "finance",
    "vehicles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bureau.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Unreadable parameters (a NUL byte, a date out of bounds) are a 400, not a 500.
    "bureau.middleware.ParameterGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

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
                "bureau.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another (postgres://user@host/name).
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Django's cursors bind parameters on the client and never prepare a
        # statement; a threshold lets the one statement that asks for it be
        # prepared (the sign-in's INSERT, attendance.services.records): psycopg
        # ignores `prepare=True` on a connection without one. Never reached
        # automatically by anything else.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "prepare_threshold", 2**31 - 1
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

# PostgreSQL's working memory for the month's background export only (SET LOCAL
# in its transaction; attendance.services.report_export): its aggregate over the
# month's records spilled to disk with the server's 4MB at 100,000 staff.
BUREAU_EXPORT_WORK_MEM = env_str("BUREAU_EXPORT_WORK_MEM", "64MB")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user with their person (one query less per
    # request). Sessions opened before it was named here sign in again once.
    "bureau.backends.PersonModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the person's name in pinyin, nor their employee number.
    {"NAME": "bureau.passwords.PersonNameValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies in front of the application append to X-Forwarded-For:
# 0 for the embedded runserver or gunicorn reached directly, 1 behind the nginx of
# docker-compose.yml. The client address (lockout, logs) is read accordingly.
TRUSTED_PROXY_COUNT = env_int("BUREAU_TRUSTED_PROXIES", 0)

# Lockout after repeated failed logins (django-axes). Failures count per account
# (from any address) and per account + address, never per address alone: behind a
# proxy or a shared NAT one person's typos must not lock out everyone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "bureau.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (attachments) live under MEDIA_ROOT and are never served from
# MEDIA_URL: no URL pattern, whitenoise or nginx location serves this directory;
# attachments.views.download is the only way to a file (system check
# attachments.E001/E002).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PROFILE == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Celery: eager (in-process) unless REDIS_URL names a broker.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost//"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Nobody waits for a task's return value (work is recorded in the database; the
# outbox keeps what was sent): no result key per task in Redis, and publishing
# does not subscribe to one (issue 17: part of every decision's after-commit).
# The health check's ping asks for its result itself.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Nothing lost when a worker dies (docs/foundation.md, "When Redis or a worker is
# down"): a task is acknowledged only after it ran (ACKS_LATE); a task whose pool
# process was killed (OOM, kill -9) goes back to the queue instead of being acked
# (REJECT_ON_WORKER_LOST); a task taken by a worker that died altogether is given
# to another worker after the Redis visibility timeout. Every task is idempotent, so
# running one twice (a redelivery, or a task slower than the timeout) is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Seconds before an unacknowledged task is delivered again: longer than the
    # slowest task (and than any countdown/ETA), or it runs twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # How often a worker looks for such tasks (seconds × every Nth look scans).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    # A dead broker must not hang a web request that publishes (the outbox keeps
    # the message instead).
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", 2),
}
if env_str("CELERY_BROKER_KEYPREFIX"):
    # Keeps the queues of two installations (or a drill) apart in one Redis.
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env_str(
        "CELERY_BROKER_KEYPREFIX"
    )
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("CELERY_PUBLISH_MAX_RETRIES", 1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}  # each app adds its periodic work in its AppConfig


# The cache fails open: with Redis down a cache read is a miss and a write is
# dropped (logged), so pages and sign-in keep working from the database. Short
# timeouts make a dead Redis cost milliseconds per call, not seconds.
def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env_int("CACHE_CONNECT_TIMEOUT_MS", 100)
                / 1000,
                "SOCKET_TIMEOUT": env_int("CACHE_TIMEOUT_MS", 250) / 1000,
            },
        }
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Sessions: with the shared cache (Redis) a session is read from it and written
# through to the database, one query less on every request (issue 17); it stays in
# the cache for SESSION_CACHE_SECONDS at most (bureau/sessions.py says why), and is
# read from the database when not there (Redis away or emptied). Without a shared
# cache (the embedded default's per-process memory) sessions stay in the database
# only: signing out must end a session in every server process.
SESSION_ENGINE = (
    "bureau.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
)
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 300)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@bureau.local")

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
# History pages show versions; nobody reverts from them (bureau.admin_base).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Import needs the change permission, export the view permission of the model.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Exports escape formula-like text through bureau.exports (its own formats), not the
# package's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, which only strips a leading "=".
# A roster file with more rows than this is checked and imported by a Celery task.
ROSTER_IMPORT_TASK_ROWS = env_int("ROSTER_IMPORT_TASK_ROWS", 2000)

# A 403 is logged as one line without a traceback (bureau.log_filters): on the
# loggers that log refused requests (so every handler sees the short record) and on
# the console handler (for any other logger a 403 reaches).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_one_line": {"()": "bureau.log_filters.ForbiddenOneLine"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["forbidden_one_line"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "loggers": {
        # Django's own "django" logger printed to its console handler and then
        # propagated to the root's: each line twice under runserver. No handler of
        # its own: the root's prints it once.
        "django": {"handlers": [], "level": env_str("LOG_LEVEL", "WARNING")},
        # runserver's request lines, once, in Django's own format.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
        "django.request": {"filters": ["forbidden_one_line"]},
        "django.security.csrf": {"filters": ["forbidden_one_line"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Security headers. Content-Security-Policy (django-csp): nothing inline, nothing
# from elsewhere. Our templates have no inline script, no on*= handlers and no style
# attributes (behaviour in bureau/static/bureau/app.js, styles in static CSS). A few
# third-party admin templates carry fixed attributes; exactly those values are
# allowed by hash in the *-attr directives ('unsafe-hashes' admits the listed
# values and nothing else; script-src and style-src stay 'self' only).


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


THIRD_PARTY_STYLE_ATTRIBUTES = [
    "border-top: 0",  # simple_history/object_history_list.html (paginator)
    "padding: 0;",  # import_export/export.html
    "font-weight: bold;",  # import_export/export.html
]
THIRD_PARTY_EVENT_HANDLERS = [
    "onSelectToggleChange(event)",  # import_export/export.html "select all"
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": [
            "'unsafe-hashes'",
            *[_csp_hash(value) for value in THIRD_PARTY_EVENT_HANDLERS],
        ],
        "style-src": ["'self'"],
        "style-src-attr": [
            "'unsafe-hashes'",
            *[_csp_hash(value) for value in THIRD_PARTY_STYLE_ATTRIBUTES],
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

if PROFILE == "production":
    DEBUG = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if SECRET_KEY.startswith("dev-only"):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in the production profile")

# The embedded demo's clock (bureau/demo_clock.py): outside working hours `dev.py`
# runs the demo from the start of the next work session. Refused anywhere
# but the dev profile on SQLite.
DEMO_CLOCK = demo_clock.start(
    env_str(demo_clock.ENV), allowed=PROFILE == "dev" and not _database_url
)
