"""The case types the service knows, filled by each app's ready(). No imports: anything may read it."""

from __future__ import annotations

_REGISTRY: dict = {}


def register(case_type):
    _REGISTRY[case_type.kind] = case_type
    return case_type


def case_types() -> list:
    return list(_REGISTRY.values())


def case_type(kind: str):
    return _REGISTRY[kind]
