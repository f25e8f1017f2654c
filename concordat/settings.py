"""Concordat settings, read from the environment.

Defaults give a local demo on SQLite. A deployment sets at least SECRET_KEY, DATABASE_URL,
ALLOWED_HOSTS and CONCORDAT_PRODUCTION=1 (which turns on HSTS, secure cookies and the rest of
`manage.py check --deploy`).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from concordat.links import BadBaseURL, normalise_base_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("CONCORDAT_PRODUCTION")
# Fail closed: debug pages (settings, URL patterns, tracebacks) only when DEBUG=1 is set explicitly,
# never because of demo mode or a missing variable.
DEBUG = env_bool("DEBUG")
# The demo prints a way to obtain a one-time code and may use the demo key; never in production. Fail closed:
# only `make run` (CONCORDAT_DEMO=1) turns it on.
DEMO_MODE = env_bool("CONCORDAT_DEMO")
# The demo key only in demo mode (and refused in production by concordat.checks); otherwise SECRET_KEY must be
# set, or Django refuses to sign anything (ImproperlyConfigured) and `manage.py check` says so.
DEMO_SECRET_KEY = "concordat-demo-only-not-secret-0c3f1e5a9b7d4e2f8a6c1d3b5e7f9a2c4d6e8f0a"
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEMO_SECRET_KEY if DEMO_MODE else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where people reach the service (scheme, host and port only), for links with no request at hand, such as
# those in emails: concordat.links.absolute_url. `make run` passes the address it serves on.
try:
    CONCORDAT_BASE_URL = normalise_base_url(os.environ.get("CONCORDAT_BASE_URL", "http://127.0.0.1:8000"))
except BadBaseURL as error:
    raise ImproperlyConfigured(str(error)) from error

INSTALLED_APPS = [
    "concordat.admin_apps.ConcordatAdminConfig",  # django.contrib.admin, every change audited (ADR 18)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "concordat",
    "audit",
    "accounts",
    "protocols",
    "clock",
    "workflow",
    "sharing",
    "approvals",
    "arrangements",
    "dataprotection",
    "escalations",
    "publications",
    "retention",
    "contacts",
    "documents",
    "scrutiny",
    "vault",
    "holds",
    "research",
    "releases",
]

MIDDLEWARE = [
    "concordat.request_log.RequestIdMiddleware",  # first: every later log line carries the request id (ADR 39)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.middleware.ClientAddressMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleExpiryMiddleware",  # after SessionMiddleware: renews the idle expiry (ADR 50)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.RequireVerifiedLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concordat.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "concordat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concordat.context_processors.service",
                "concordat.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "concordat.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'concordat.sqlite3'}",
        # Production keeps each worker's connection (a new one per request costs a PostgreSQL backend's start-up),
        # checked before reuse so that a restarted database is reconnected to, not an error (ADR 46).
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the write lock rather than failing at once; immediate transactions avoid
    # the upgrade deadlock when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME", "")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation (ADR 45): the pages' queries carry visibility subqueries whose estimated cost passes
    # jit_above_cost while they run in milliseconds, and compiling them took 0.2–2 s a query ("My work", dashboards).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options", ""), "-c jit=off"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle timeout (renewed on each request) and an absolute limit (accounts.middleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
# The idle timeout is renewed at most once a minute (accounts.middleware.IdleExpiryMiddleware, ADR 50), not by a
# write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Brute-force protection (django-axes): lock the username-and-address pair after AXES_FAILURE_LIMIT failures; and
# (accounts.throttle, ADR 15) after AXES_ACCOUNT_FAILURE_LIMIT failures on a username from any addresses, refuse it
# from every address where that account has not signed in (both factors) in AXES_ACCOUNT_TRUSTED_DAYS days, so an
# attacker cannot lock the owner out at their usual address. Locks lift once failures stop for the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "10"))
AXES_ACCOUNT_TRUSTED_DAYS = int(os.environ.get("AXES_ACCOUNT_TRUSTED_DAYS", "90"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.throttle.AccountCapHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

OTP_TOTP_ISSUER = "Concordat"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
WHITENOISE_USE_FINDERS = DEBUG  # serve straight from the app folders while developing
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "files"))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# The vault (ADR 27): every stored file, encrypted at rest. The local filesystem by default (VAULT_ROOT, var/vault);
# S3-compatible object storage with CONCORDAT_VAULT_STORAGE=s3 and VAULT_S3_BUCKET (+ VAULT_S3_ENDPOINT_URL,
# VAULT_S3_REGION, and credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the usual AWS chain). The bytes
# are encrypted before they reach either; the key-encryption key (VAULT_KEK hex, or VAULT_KEK_FILE) never does.
CONCORDAT_VAULT_STORAGE = os.environ.get("CONCORDAT_VAULT_STORAGE", "local")
if CONCORDAT_VAULT_STORAGE == "s3":
    STORAGES["vault"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ.get("VAULT_S3_BUCKET", ""),
        "endpoint_url": os.environ.get("VAULT_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("VAULT_S3_REGION") or None,
        "default_acl": None, "file_overwrite": False, "querystring_auth": True,
    }}
elif CONCORDAT_VAULT_STORAGE == "local":
    STORAGES["vault"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": os.environ.get("VAULT_ROOT", str(BASE_DIR / "var" / "vault")),
        "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}}
else:
    raise ImproperlyConfigured("CONCORDAT_VAULT_STORAGE is local or s3.")
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CONCORDAT_MAX_FILE_BYTES = int(os.environ.get("CONCORDAT_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
# Virus scanning of uploads through clamd's INSTREAM (vault/checks.py, ADR 28): a Unix socket path or tcp://host:port.
# Empty: only the built-in EICAR test signature is checked, and administrators are told so on the upload page.
CONCORDAT_CLAMD_SOCKET = os.environ.get("CONCORDAT_CLAMD_SOCKET", "")
CONCORDAT_CLAMD_TIMEOUT = float(os.environ.get("CONCORDAT_CLAMD_TIMEOUT", "30"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "concordat@localhost")

# Background work: Celery with Redis when CELERY_BROKER_URL is set, inline otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Crash safety (ADR 40): a task is acknowledged only once it has finished, and one whose worker died is put back on
# the queue, so a killed worker's task runs again elsewhere. Every task must therefore be safe to run twice: the
# notifications are (workflow.Notification, one row per case, kind, milestone and recipient, written with the email).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after this many seconds (it must exceed the longest task).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # Celery logs through LOGGING below, as JSON in production
# Heavy jobs (recomputing due dates across a calendar; statistics and table protection as they arrive) have a
# queue of their own, so that a long one never holds up an email: `celery worker -Q heavy` on its own workers.
CELERY_TASK_ROUTES = {"sharing.tasks.recompute_due_dates": {"queue": "heavy"},
                      "releases.tasks.protect": {"queue": "heavy"},
                      "scrutiny.tasks.recompute_statistics": {"queue": "heavy"},
                      "scrutiny.tasks.refresh_statistics": {"queue": "heavy"}}
# A release's table protection runs on a worker when there is a broker, inline otherwise (ADR 51).
RELEASES_PROTECT_ON_WORKER = os.environ.get("RELEASES_PROTECT_ON_WORKER", "1" if CELERY_BROKER_URL else "0") == "1"
# The statistics page reads snapshots refreshed on a worker when there is a broker; with none, it computes stale or
# missing figures inline (ADR 53). Fresh: computed today and within STATISTICS_FRESH_SECONDS; a job still computing
# after STATISTICS_ABANDONED_SECONDS (longer than the visibility timeout and retries) is asked for again.
STATISTICS_ON_WORKER = os.environ.get("STATISTICS_ON_WORKER", "1" if CELERY_BROKER_URL else "0") == "1"
STATISTICS_FRESH_SECONDS = int(os.environ.get("STATISTICS_FRESH_SECONDS", "3600"))
STATISTICS_ABANDONED_SECONDS = int(os.environ.get("STATISTICS_ABANDONED_SECONDS", "7200"))
# A person's recomputes computing at once (a page view of a stale period asks for one): past it, nothing is asked.
STATISTICS_RECOMPUTES_PER_PERSON = int(os.environ.get("STATISTICS_RECOMPUTES_PER_PERSON", "8"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.token_auth.ApiTokenAuthentication",
        "accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["concordat.api_filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "concordat.api_errors.exception_handler",
    # Per token for systems, per person for the browsable API's session (concordat.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["concordat.throttling.PerTokenOrPersonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_TOKEN_RATE", "300/minute"),
        "session": os.environ.get("API_SESSION_RATE", "120/minute"),
    },
}
# API tokens (ADR 16): knox keeps a SHA-512 digest only; the secret is "concordat_" and 64 hex characters, shown
# once. Each token expires after the days its owner chose, at most 365 (accounts.tokens.MAX_DAYS).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {"TOKEN_PREFIX": "concordat_", "AUTH_TOKEN_CHARACTER_LENGTH": 64, "TOKEN_TTL": None,
             "AUTO_REFRESH": False, "AUTH_HEADER_PREFIX": "Token"}
# knox's own migrations would create its AuthToken table, which accounts.ApiToken replaces: none is made.
MIGRATION_MODULES = {"knox": None}
# Throttle counts live in the cache: one per process unless CACHE_URL names a shared one (redis://host:6379/1).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
          if os.environ.get("CACHE_URL") else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SPECTACULAR_SETTINGS = {
    "TITLE": "Concordat API",
    "DESCRIPTION": "Requests, assessments, decisions and deliveries under a data sharing protocol.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "REDOC_DIST": "SIDECAR",  # served from our own static files: no third-party origin
    # Every answer each operation gives, errors included, in one documented shape.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "concordat.openapi.add_error_responses"],
    # Every case type has a "state": name each enum after its case type.
    "ENUM_NAME_OVERRIDES": {
        "RequestStateEnum": "sharing.states.RequestState",
        "ApprovalStateEnum": "approvals.states.ApprovalState",
        "Schedule1ConditionEnum": "dataprotection.legislation.Schedule1Condition",  # two fields share it
        "EscalationOutcomeEnum": "escalations.states.Outcome",  # "outcome" is also a publication decision's
        "PublicationDecisionEnum": "publications.states.DECISION_CHOICES",
        "ReleaseOutcomeEnum": "releases.states.Outcome",  # a release's consolidation (ADR 34)
        "ReleaseKindEnum": "releases.states.ReleaseKind",  # "kind" is also an adjustment's, an arrangement's
        "Article6BasisEnum": "dataprotection.legislation.Article6Basis",  # Annex B's and a research project's basis
        "ProcessingPurposeEnum": "protocols.scope.Purpose",  # a request's, a part's and a hold's purposes
        "DataSourceEnum": "protocols.scope.DataSource",  # a request's, a hold's, a project's and a dataset's source
    },
}

# Content Security Policy: everything from our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes come from inside the platform over plain HTTP (ADR 39).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Logs (ADR 39): JSON lines with the request id and allow-listed fields only (concordat.request_log) when
# LOG_FORMAT=json, the default in production; plain lines otherwise. Always to standard error, for the platform.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
                   "json": {"()": "concordat.request_log.SafeJsonFormatter"}},
    "filters": {"refusals_as_one_line": {"()": "concordat.logging.RefusalsAsOneLine"},
                "request_id": {"()": "concordat.request_log.RequestIdFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request bodies never reach the logs; axes logs usernames only at WARNING. Refused requests (4xx) are one
    # line at INFO (concordat.logging); only 5xx keep their traceback. One access line per request comes from
    # concordat.request (gunicorn's own access log is off: it would carry query strings and addresses).
    "loggers": {"axes": {"level": "WARNING"}, "celery": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "django.db.backends": {"level": "INFO"},
                "django.request": {"filters": ["refusals_as_one_line"]},
                "django.security": {"filters": ["refusals_as_one_line"]},
                "concordat.request": {"level": os.environ.get("ACCESS_LOG_LEVEL",
                                                              "INFO" if PRODUCTION else "WARNING")}},
}

CONCORDAT_SERVICE_NAME = "Concordat"
# The public transparency page (scrutiny.transparency): aggregate figures only, small counts suppressed; off unless set.
CONCORDAT_TRANSPARENCY = env_bool("CONCORDAT_TRANSPARENCY")
CONCORDAT_PROTOCOL_DIR = BASE_DIR / "protocols" / "definitions"

# The audit chain's keys, all outside the database (ADR 17, audit/keys.py). The MAC key authenticates every event
# and the head row: AUDIT_MAC_KEY (hex, at least 16 bytes) or AUDIT_MAC_KEY_FILE; with neither, nothing is written
# to the chain, and in production `manage.py check` fails (concordat.E004). Each party in AUDIT_PARTIES signs
# checkpoints with AUDIT_SIGNING_KEY_DIR/<party>.ed25519, verified with AUDIT_PUBLIC_KEY_DIR/<party>.ed25519.pub,
# and appends each one to AUDIT_WITNESS_DIR/<party>.checkpoints.jsonl. The demo keeps all of them in var/keys
# (`make run` creates them: `manage.py create_audit_keys`); a deployment gives each party its own.
AUDIT_KEY_DIR = Path(os.environ.get("AUDIT_KEY_DIR", BASE_DIR / "var" / "keys"))
AUDIT_MAC_KEY = os.environ.get("AUDIT_MAC_KEY", "")
AUDIT_MAC_KEY_FILE = os.environ.get("AUDIT_MAC_KEY_FILE") or (str(AUDIT_KEY_DIR / "audit-mac.key") if DEMO_MODE else "")
AUDIT_PARTIES = env_list("AUDIT_PARTIES", "home-office,iasc")
AUDIT_SIGNING_KEY_DIR = os.environ.get("AUDIT_SIGNING_KEY_DIR") or (str(AUDIT_KEY_DIR) if DEMO_MODE else "")
AUDIT_PUBLIC_KEY_DIR = os.environ.get("AUDIT_PUBLIC_KEY_DIR") or (str(AUDIT_KEY_DIR) if DEMO_MODE else "")
AUDIT_WITNESS_DIR = os.environ.get("AUDIT_WITNESS_DIR") or (str(BASE_DIR / "var" / "witness") if DEMO_MODE else "")
# Each party signs a checkpoint of the chain every hour (with a broker and `celery beat`; audit.tasks).
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoints": {"task": "audit.tasks.sign_checkpoints", "schedule": 3600.0},
    # Reviews of data sharing arrangements falling due and overdue, once a day (§16; arrangements.tasks).
    "arrangement-review-reminders": {"task": "arrangements.tasks.send_review_reminders", "schedule": 86400.0},
    "retention-reminders": {"task": "retention.tasks.send_retention_reminders", "schedule": 86400.0},
    # Processing holds whose review is due within 5 working days, or passed with no review, once a day (holds.tasks).
    "hold-review-reminders": {"task": "holds.tasks.send_review_reminders", "schedule": 86400.0},
    # Reminders before §12 due dates, then the digest of overdue work, once a day (sharing.tasks); each sent once.
    "request-reminders-and-digests": {"task": "sharing.tasks.send_reminders", "schedule": 86400.0},
    # Ciphertexts left by a process killed mid-upload (ADR 40): no row, older than the grace period.
    "vault-sweep": {"task": "vault.tasks.sweep_orphans", "schedule": 3600.0},
    # The statistics of each grouping over the default period and this and last year's reports, half-hourly, so the page
    # always has figures fresher than STATISTICS_FRESH_SECONDS; old snapshots pruned (ADR 53; scrutiny.tasks).
    "statistics-snapshots": {"task": "scrutiny.tasks.refresh_statistics", "schedule": 1800.0},
}

# The vault's key-encryption key (ADR 27): VAULT_KEK (64 hex digits) or VAULT_KEK_FILE; the demo keeps it in
# var/keys (`manage.py create_vault_key`, run by `make migrate`). With neither, no file is stored or read.
VAULT_KEK = os.environ.get("VAULT_KEK", "")
VAULT_KEK_FILE = os.environ.get("VAULT_KEK_FILE") or (str(AUDIT_KEY_DIR / "vault-kek.key") if DEMO_MODE else "")
# Each stored file's wrapped data key, one 0600 file per key, outside the database (ADR 32): disposal destroys it there,
# so no backup of the database opens a disposed file. Its storage must keep no old versions (no snapshots kept past
# the retention the ADR states). Required as the KEK is; the demo's is var/keys/data-keys.
VAULT_DATA_KEY_DIR = os.environ.get("VAULT_DATA_KEY_DIR") or (str(AUDIT_KEY_DIR / "data-keys") if DEMO_MODE else "")
