"""Log filters. A refused request (400, 403, 404, 409, 429) is the service doing its job: one line at INFO,
with no traceback; only a real error (5xx) keeps WARNING or ERROR and its traceback."""

from __future__ import annotations

import logging


class RefusalsAsOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
