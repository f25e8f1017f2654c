"""Structured logs (ADR 39): one JSON object a line, each carrying the request id of the web request (or Celery
task) it belongs to, and only fields on an allow-list, so that no secret or personal data reaches the logs by way
of an `extra` nobody looked at (Django attaches the whole request to its records; its repr has the query string).

- `RequestIdMiddleware` takes a well-formed `X-Request-ID` from the proxy in front, or makes one, answers with it,
  and logs one line per request: method, path (never the query string), status and duration.
- `RequestIdFilter` puts the current request id on every record.
- `SafeJsonFormatter` (python-json-logger) writes the allow-listed fields only.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
NO_REQUEST = "-"

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)
access_log = logging.getLogger("concordat.request")

# What a log line may carry. Anything else on a record (the request object, a username passed as `extra`) is dropped.
ALLOWED_FIELDS = frozenset({
    "timestamp", "level", "logger", "message", "request_id", "exc_info", "stack_info",
    "method", "path", "status_code", "duration_ms", "check", "error_type", "task", "task_id",
})


def incoming_or_new_id(value: str | None) -> str:
    """The proxy's request id when it looks like one (bounded, no spaces or quotes), else a new one."""
    if value and WELL_FORMED_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_or_new_id(request.headers.get(REQUEST_ID_HEADER))
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_log.info("request", extra={
                "method": request.method[:10], "path": request.path[:300], "status_code": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class SafeJsonFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__("{levelname}{name}{message}", *args, style="{", **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in [key for key in log_data if key not in ALLOWED_FIELDS]:
            del log_data[key]
