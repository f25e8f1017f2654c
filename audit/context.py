"""The client address of the web request being served, for the audit record.

Set by `audit.middleware.ClientAddressMiddleware` for each request (and reset afterwards), read by
`audit.services.record_event`; services never thread the HTTP request through just to record it.
Work outside a web request (commands, Celery tasks) records no address.
"""

from __future__ import annotations

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)
