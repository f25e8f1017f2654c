"""Fault injection for the crash tests only (tests/slow/crash_settings.py; never in concordat.settings).

- KillAtQueryMiddleware: with `X-Crash-After-Queries: N`, the process serving the request kills itself with SIGKILL
  just before its Nth SQL statement, wherever in the request that falls: before the transaction, inside it, between
  the vault's write of a ciphertext and the row that holds its key, or at the COMMIT itself. No handler, `finally`
  or atexit runs, as when the kernel's OOM killer or an operator's `kill -9` strikes. Every response says how many
  statements it ran (X-Queries), so a test can spread its kill points over the whole request.
- SlowFileEmailBackend: writes each email to its own file in $CRASH_MAIL_DIR, after announcing the attempt (a file
  named after the task id and pid) and sleeping $CRASH_MAIL_DELAY seconds, so a test can kill the worker mid-send.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from concordat.request_log import current_request_id


class KillAtQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kill_at = int(request.headers.get("X-Crash-After-Queries", "0") or 0)
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response


class SlowFileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        outbox = Path(os.environ["CRASH_MAIL_DIR"])
        attempt = f"attempt-{current_request_id.get()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        (outbox / attempt).write_text("")
        time.sleep(float(os.environ.get("CRASH_MAIL_DELAY", "0")))
        for message in email_messages:
            body = "\n".join([",".join(message.to), message.subject])
            (outbox / f"mail-{uuid.uuid4().hex}").write_text(body)
        return len(email_messages)
