"""Every URL the service answers and every operation its OpenAPI document describes, found by walking the URL
configuration (includes and namespaces; the admin as one site) and the document the service serves."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.views import APIView

ADMIN = "admin"  # the admin site is one row: its pages are Django's, reached only by staff


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or ADMIN for the whole admin site
    pattern: str  # the route as written, e.g. "requests/<str:reference>/"
    methods: tuple[str, ...]  # the methods to try: a DRF view's own, else GET and POST
    is_api: bool
    callback: object = None


def _drf_methods(callback) -> tuple[str, ...] | None:
    actions = getattr(callback, "actions", None)
    if actions:
        # HEAD is GET's (DRF adds it to a viewset's actions at its first request)
        return tuple(sorted(method.upper() for method in actions if method not in ("head", "options")))
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None or not issubclass(view_class, APIView):
        return None  # a page: GET and POST are both tried
    handlers = [m for m in view_class.http_method_names if m not in ("options", "head") and hasattr(view_class, m)]
    return tuple(sorted(m.upper() for m in handlers))


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                yield Route(ADMIN, prefix + str(entry.pattern), ("GET", "POST"), False)
                continue
            inner = entry.namespace and (f"{namespace}:{entry.namespace}" if namespace else entry.namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = prefix + str(entry.pattern)
            methods = _drf_methods(entry.callback)
            is_api = methods is not None or pattern.startswith("api/")
            yield Route(name or pattern, pattern, methods or ("GET", "POST"), is_api, entry.callback)


def url_routes() -> list[Route]:
    """Every URL pattern of the root URL configuration, each once (by name)."""
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.name not in seen:
            seen.add(route.name)
            routes.append(route)
    return routes


def openapi_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the document the service serves at /api/schema/."""
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    return [(method.upper(), path) for path, operations in document["paths"].items() for method in operations
            if method in ("get", "post", "put", "patch", "delete")]


SAMPLE_PARAMETERS = {"id": "1", "pk": "1", "slug": "x", "version": "1"}


def operation_route_name(path: str) -> str:
    """The URL name an operation's path resolves to (its parameters filled with samples)."""
    from django.urls import resolve

    concrete = re.sub(r"{(\w+)}", lambda m: SAMPLE_PARAMETERS.get(m.group(1), "1"), path)
    match = resolve(concrete)
    return match.view_name
