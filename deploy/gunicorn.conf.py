"""gunicorn for Concordat (ADR 39): sync workers, each a whole Django process; as many instances as wanted side by
side, all on one PostgreSQL, one Redis and one vault, behind a TLS-terminating proxy that sets X-Forwarded-Proto.
Every setting can be changed from the environment; nothing here is secret."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: a request holds one worker; PostgreSQL's row locks serialise conflicting actions across them all.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # gthread only: requests served at once by each worker
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a worker stuck this long is killed and replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))  # recycle workers: bounded memory growth
max_requests_jitter = max_requests // 10
# The proxy in front decides what is HTTPS; only its address may say so.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Uploads are streamed to temporary files: a tmpfs for the heartbeat keeps a slow disk from killing workers.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
# No access log from gunicorn: it would carry query strings and client addresses. Concordat logs one JSON line a
# request with its request id (concordat.request_log); gunicorn's own messages go to standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Several instances on one host each need their own control socket, and none needs one: off.
control_socket_disable = True
proc_name = os.environ.get("GUNICORN_PROC_NAME", "concordat-web")
# gunicorn's own lines as JSON too, when the service logs JSON (the default in production).
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("CONCORDAT_PRODUCTION") == "1" else "plain") == "json":
    logconfig_dict = {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "concordat.request_log.SafeJsonFormatter"}},
        "handlers": {name: {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
                     for name in ("console", "error_console")},
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {"gunicorn.error": {"handlers": ["error_console"], "level": loglevel.upper(),
                                       "propagate": False}},
    }

# The application is loaded once, in the master, warmed and frozen there (when_ready), then forked: each worker starts
# warm instead of paying for Django's lazy imports on its first requests, and shares those pages with the others.
# Nothing opens a database or broker connection at import. With preloading, a HUP does not load new code: restart.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def warm() -> None:
    """Import what the URLconf reaches (views, serializers, forms), then move every object alive now into the
    permanent generation (gc.freeze): otherwise each full collection walks the whole of Django and the service again,
    stopping a worker every few requests under load, and touches every page a forked worker shares (ADR 46).
    Objects made while serving are still collected as before."""
    from django.core.cache import caches
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    connections.close_all()  # should an import have connected, no forked worker shares its socket
    caches.close_all()
    gc.collect()
    gc.freeze()


def when_ready(server):
    if preload_app:
        warm()  # in the master, before the first fork


def post_worker_init(worker):
    if not gc.get_freeze_count():  # not preloaded: each worker warms itself
        warm()
