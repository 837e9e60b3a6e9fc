"""Settings, read only from the environment (see .env.example for every variable).

The embedded default (no DATABASE_URL, no REDIS_URL) runs on SQLite with the in-process
channel layer and a file-backed Huey, so `make run` needs no services.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env at the repository root (`make run` writes one) fills in what the environment
# leaves unset; the environment always wins. The test settings switch it off, so a developer's
# .env never changes what a test run sees.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Refuse to start a production server with a guessable key.
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-insecure-only-for-debug"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Cookies (csrftoken, session, the page's refresh cookie) are Secure on every request that came
# over https (realtime_scrum/secure_cookies.py); true makes them Secure over plain http too.
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)

INSTALLED_APPS = [
    # daphne first so `runserver` is the ASGI server too.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Its configuration checks (and no "checks are disabled" warning in `make run`'s output).
    "servestatic",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "huey.contrib.djhuey",
    "realtime_scrum.accounts",
    "board",
    "notifications",
    "integrations",
    "webhooks",
    "frontend",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (realtime_scrum/request_id.py).
    "realtime_scrum.request_id.RequestIdMiddleware",
    # The database server gone (a restart): 503 JSON, not a 500 page and a traceback.
    "realtime_scrum.db_unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "realtime_scrum.secure_cookies.SecureCookiesOverHttps",
    # ASGI-capable static serving for the embedded default; nginx serves /static/ in deployment.
    "servestatic.middleware.ServeStaticMiddleware",
    # After static files: latency by resolved route (realtime_scrum/request_id.py).
    "realtime_scrum.request_id.RouteLatencyMiddleware",
    # Large JSON reads gzipped, never /api/auth/ (BREACH: docs/security.md).
    "realtime_scrum.compression.ApiJsonGzipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "realtime_scrum.urls"
WSGI_APPLICATION = "realtime_scrum.wsgi.application"
ASGI_APPLICATION = "realtime_scrum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------


def _database(url: str) -> dict:
    """One DATABASES entry: the primary and the read replica get the same engine options."""
    db = env.db_url_config(url)
    if db["ENGINE"] == "django.db.backends.mysql":
        # utf8mb4 so any task name (emoji included) round-trips; strict mode so bad data errors.
        db.setdefault("OPTIONS", {}).update(
            {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}
        )
        # Django's backend plus a per-process pool of idle connections, handed from one
        # request's thread to the next (realtime_scrum/mysql_pool/base.py).
        db["ENGINE"] = "realtime_scrum.mysql_pool"
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers (daphne's request threads, Huey) on the embedded default: WAL lets
        # readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so a
        # transaction that read first never fails to upgrade its lock ("database is locked");
        # the timeout is how long a writer waits for that lock.
        db.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    # A persistent connection that died (MariaDB restart, wait_timeout) is replaced at the
    # next request instead of failing it.
    db["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=True)
    # Persistent connections serve the threads that outlive a request: Channels' database
    # thread (every socket's queries) and Huey's workers. Django's ASGI handler runs each
    # HTTP request on a new thread; realtime_scrum/asgi.py closes that thread's connection (on
    # MariaDB: back to the pool below) when the request ends, or it would stay open until
    # garbage collection (tests/test_db_connections_mysql).
    db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    return db


DATABASES = {
    "default": _database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "realtime_scrum.mysql_pool":
    DATABASES["default"]["TEST"] = {
        "CHARSET": "utf8mb4",
        "COLLATION": "utf8mb4_unicode_ci",
        "NAME": env("TEST_DATABASE_NAME", default=None),
    }
# Optional read replica for lists and reports (realtime_scrum/db_router.py, docs/deploy.md
# "Read replica"). Unset: one database, no router, no middleware, nothing else changes.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == "realtime_scrum.mysql_pool":
        # A replica that does not answer is skipped after this long, not waited on.
        DATABASES["replica"]["OPTIONS"]["connect_timeout"] = env.int(
            "DB_REPLICA_CONNECT_TIMEOUT", default=2
        )
    # Tests never create a database on the (read-only) replica: it is the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["realtime_scrum.db_router.ReplicaRouter"]
    MIDDLEWARE.append("realtime_scrum.db_router.ReadYourWritesMiddleware")
# How long a user's marked reads check the replica has their last write, and how long a
# replica that failed is skipped (realtime_scrum/db_router.py).
DB_REPLICA_READ_YOUR_WRITES_SECONDS = env.int("DB_REPLICA_READ_YOUR_WRITES_SECONDS", default=300)
DB_REPLICA_RETRY_SECONDS = env.float("DB_REPLICA_RETRY_SECONDS", default=5.0)
# Idle MariaDB connections kept per process for the next request's thread, and for how long
# (realtime_scrum/mysql_pool). 0 turns the pool off: a connect per request.
DB_POOL_SIZE = env.int("DB_POOL_SIZE", default=10)
DB_POOL_IDLE_SECONDS = env.int("DB_POOL_IDLE_SECONDS", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis / channels ---------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYER_BACKENDS = {
        "core": "channels_redis.core.RedisChannelLayer",
        "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    }
    # The channel layer may be sharded over several Redis servers; the cache, sessions and
    # Huey stay on REDIS_URL.
    CHANNEL_LAYER_URLS = env.list("CHANNEL_LAYER_URLS", default=[REDIS_URL])
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_BACKENDS[env("CHANNEL_LAYER", default="core")],
            "CONFIG": {
                # redis-py >= 8 defaults socket_timeout to 5 s, which kills idle consumers'
                # blocking reads: keep it None, for either layer.
                # redis-py 8 also caps a pool at 100 connections and *raises* past that:
                # 1000 sockets closing at once (group_discard each) failed with
                # MaxConnectionsError in the bench. Redis itself allows 10000 clients.
                # One entry per CHANNEL_LAYER_URLS entry: channels-redis shards groups and
                # channels over them by a hash of the name (docs/scaling.md), so every process
                # must list the same URLs in the same order.
                "hosts": [
                    {
                        "address": url,
                        "socket_timeout": None,
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=1000),
                    }
                    for url in CHANNEL_LAYER_URLS
                ],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="rs"),
                # Core layer only (pubsub queues without a bound).
                "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=1000),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "realtime_scrum.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="rs"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Huey ---------------------------------------------------------------------------------
# Redis in production; a SQLite file in the embedded default. `immediate` is explicit because
# djhuey otherwise follows DEBUG, and `make run` (DEBUG on) needs a real queue for its consumer.
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", default="realtime-scrum"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env("HUEY_NAME", default="realtime-scrum"),
        "filename": env("HUEY_SQLITE_PATH", default=str(BASE_DIR / "huey.sqlite3")),
        "immediate": False,
        "consumer": {"workers": 1, "worker_type": "thread"},
    }
# Run the Huey consumer as threads inside this (daphne) process: `make run` sets it so the
# digest's pushes reach this server's sockets through the in-memory channel layer.
HUEY_IN_PROCESS = env.bool("HUEY_IN_PROCESS", default=False)

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's class plus the session check: a logged-out session's access tokens fail.
        "realtime_scrum.accounts.authentication.SessionJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "realtime_scrum.renderers.JSONRenderer",  # DRF's bytes, encoded by orjson
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "realtime_scrum.parsers.JSONParser",  # nesting too deep is a 400, not a RecursionError
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "board.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "board.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    # A key of its own, so rotating SECRET_KEY and rotating JWTs are separate decisions.
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "ALGORITHM": "HS256",
}
if not DEBUG and SIMPLE_JWT["SIGNING_KEY"] == SECRET_KEY:
    # Tokens signed with SECRET_KEY would survive a JWT key rotation and leak with it.
    raise ImproperlyConfigured("JWT_SIGNING_KEY must be set (and differ from DJANGO_SECRET_KEY)")

# Per-account and per-address attempt limits: (attempts, window in seconds). Counted in the
# cache with atomic increments, reserved before the password check so parallel guesses are
# bounded too (DRF throttles are not, DRF#8127). Login: per (account, address) low, per account
# from all addresses higher, so a stranger elsewhere cannot lock the owner out (docs/security.md).
AUTH_THROTTLES = {
    "login_account_address": (env.int("LOGIN_ACCOUNT_ADDRESS_ATTEMPTS", default=5), 15 * 60),
    "login_account": (env.int("LOGIN_ACCOUNT_ATTEMPTS", default=50), 15 * 60),
    "login_address": (env.int("LOGIN_ADDRESS_ATTEMPTS", default=30), 5 * 60),
    "reset_account": (env.int("RESET_ACCOUNT_ATTEMPTS", default=3), 60 * 60),
    "reset_address": (env.int("RESET_ADDRESS_ATTEMPTS", default=10), 60 * 60),
}
if AUTH_THROTTLES["login_account"][0] <= AUTH_THROTTLES["login_account_address"][0]:
    # LOGIN_ACCOUNT_ATTEMPTS used to be the only login limit (5): kept, a stranger's guesses
    # from anywhere would lock the owner out again.
    raise ImproperlyConfigured(
        "LOGIN_ACCOUNT_ATTEMPTS (per account, all addresses) must be above "
        "LOGIN_ACCOUNT_ADDRESS_ATTEMPTS (per account and address); see docs/security.md"
    )
# How many reverse proxies (nginx) sit in front of daphne: the client address is then taken
# from X-Forwarded-For that many hops from the right; 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

SPECTACULAR_SETTINGS = {
    "TITLE": "Realtime Scrum API",
    "DESCRIPTION": "Boards, sprints and tasks; every change is also pushed over WebSockets.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI would otherwise ask validator.swagger.io about our schema: keep docs offline.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    # Row ids in paths (realtime_scrum/converters.py) are integers in the schema.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
}


# --- Board behaviour ----------------------------------------------------------------------
EVENT_RETENTION_DAYS = env.int("EVENT_RETENTION_DAYS", default=7)
# How long the board history (the event log behind reports, time travel and undo) is kept.
# Unset: forever. Set: older events are pruned into a compaction checkpoint (board/history/).
HISTORY_RETENTION_DAYS = env.int("HISTORY_RETENTION_DAYS", default=None)
# Deleted tasks wait this long in their board's trash before they are gone for good.
TRASH_DAYS = env.int("TRASH_DAYS", default=30)
# --- Webhooks (docs/integrations.md) -----------------------------------------------------
# Targets resolving to loopback, private, link-local, multicast or reserved addresses are
# refused (SSRF) unless this is set: for a receiver on the same network, and for tests.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
# For test machines (tests/settings.py sets it): no name but `localhost` is looked up and only
# loopback addresses are connected to, whatever a fuzzer writes into a webhook's URL, so no
# webhook traffic (not even a DNS query) leaves the machine.
WEBHOOK_LOOPBACK_ONLY = env.bool("WEBHOOK_LOOPBACK_ONLY", default=False)

# --- Sockets (docs/realtime.md) -----------------------------------------------------------
# Read by realtime_scrum/sockets/limits.py at connect time (tests override them per test).
WS_HEARTBEAT_SECONDS = env.float("WS_HEARTBEAT_SECONDS", default=25.0)
# Bytes a socket's unread output may hold before it is closed with 4409 (SPEC section 15).
WS_SEND_BUFFER_BYTES = env.int("WS_SEND_BUFFER_BYTES", default=1024 * 1024)
# /metrics (realtime_scrum/metrics_view.py): empty = only loopback clients through no proxy.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Open sockets per user and per client address in one process; past them 4429.
WS_MAX_SOCKETS_PER_USER = env.int("WS_MAX_SOCKETS_PER_USER", default=50)
WS_MAX_SOCKETS_PER_ADDRESS = env.int("WS_MAX_SOCKETS_PER_ADDRESS", default=500)
# How often a process reads the heads of its boards while the channel layer is away.
WS_DEGRADED_POLL_SECONDS = env.float("WS_DEGRADED_POLL_SECONDS", default=0.5)
# Absolute links in mails (notifications/links.py); no trailing slash. Unset, a server started
# with `python -m realtime_scrum.server -b HOST -p PORT` (`make run`) links to the address it
# was started on (it sets SERVER_URL before loading the app); else the default below.
SITE_URL = (
    env("SITE_URL", default="") or env("SERVER_URL", default="http://127.0.0.1:8000")
).rstrip("/")
# The link in the reset mail: the page's /reset-password/ view posts uid, token and the new
# password to /api/auth/password/reset/confirm/. uid and token ride in the fragment, which the
# browser never sends: the single-use credential stays out of daphne's (and any proxy's)
# access log and out of Referer headers.
PASSWORD_RESET_URL = env(
    "PASSWORD_RESET_URL", default=SITE_URL + "/reset-password/#uid={uid}&token={token}"
)

# --- I18N / time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
# Stored times are UTC; a board's local date (rules 1, 3, 4) is rules.board_today().
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# frontend/static is found by the app directories finder (frontend is an installed app);
# listing it in STATICFILES_DIRS too would collect every file twice.
STATICFILES_DIRS: list = []
# collectstatic writes .gz and .br beside each file (realtime_scrum/static_storage.py), which
# servestatic (under daphne) and nginx's gzip_static send to clients that accept them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "realtime_scrum.static_storage.PrecompressedStaticFilesStorage"},
}
SERVESTATIC_USE_ZSTD = False  # needs Python 3.14's compression.zstd
# From STATIC_ROOT, i.e. the collected, compressed files, DEBUG or not (`make run` collects at
# every start). SERVESTATIC_USE_FINDERS=1 serves edits to the app directories without
# collecting again, uncompressed (the tests' settings do that: they never collect).
SERVESTATIC_USE_FINDERS = env.bool("SERVESTATIC_USE_FINDERS", default=False)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Realtime Scrum <noreply@localhost>")

# --- Logging ------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "realtime_scrum.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "filters": {"drop_traceback": {"()": "realtime_scrum.logging.DropTraceback"}},
    "loggers": {
        # A refused Host is the client's mistake (or probe), not ours: one line, no stack.
        "django.security.DisallowedHost": {"filters": ["drop_traceback"]},
    },
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
