"""Puts the client address of each web request where the audit record can find it (audit.context)."""

from __future__ import annotations

from audit.context import client_address


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR as the server saw it; a deployment behind a proxy sets it from a trusted header there.
        token = client_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)
