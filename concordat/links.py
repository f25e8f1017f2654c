"""Absolute links to the service, for places with no request to build them from (emails, commands).

The address is CONCORDAT_BASE_URL: scheme, host and port only, e.g. "https://concordat.example.org".
This module imports no Django at load time, so that settings can validate the address with it.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class BadBaseURL(ValueError):
    pass


def normalise_base_url(value: str) -> str:
    """The base address without a trailing slash; refuses anything but http(s)://host[:port]."""
    value = (value or "").strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise BadBaseURL(f"CONCORDAT_BASE_URL {value!r} is not a valid address: {error}") from error
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadBaseURL(f"CONCORDAT_BASE_URL {value!r} must start with http:// or https:// and name a host.")
    if parts.username is not None or parts.password is not None:
        raise BadBaseURL(f"CONCORDAT_BASE_URL {value!r} must not carry a user name or password.")
    if parts.path.strip("/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise BadBaseURL(f"CONCORDAT_BASE_URL {value!r} must be scheme, host and port only (no path, query "
                         "or fragment).")
    return f"{parts.scheme}://{parts.netloc}"


def absolute_url(path: str) -> str:
    """The full address of a path on this service: absolute_url(reverse("home")) -> "http://host:port/"."""
    from django.conf import settings

    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"absolute_url needs a path starting with a single '/', not {path!r}.")
    return normalise_base_url(settings.CONCORDAT_BASE_URL) + path
