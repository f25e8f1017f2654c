"""Read serializers that answer without DRF's generic walk over their fields (ADR 59).

DRF builds every serializer's fields afresh for each instance (a ModelSerializer maps its model's fields again each
time), then reads each value through `Field.get_attribute`, which calls `inspect.signature` on every callable
source (`get_state_display`, `__str__`) of every row. On the API's list and detail that was about half their CPU.

`PlannedRepresentation` keeps the declared fields as they are (the OpenAPI schema, the browsable API and input
are unchanged) and answers with the same values in the same order from a plan made once per class and process:
each readable field with its source path and its own `to_representation`. Nothing in the plan depends on who asks
or on any instance: method fields are still called on the live serializer, with its context, at every request.
tests/integration/sharing/test_api_representation.py holds the answer byte-for-byte equal to DRF's own."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import RelatedField

_PLANS: dict[type, tuple] = {}
_MAPPINGS: dict[type, bool] = {}
_SIMPLE_CALLABLES: dict = {}  # a callable's function (and what a partial binds) -> DRF's is_simple_callable


class PlannedRepresentation:
    """Mixin for a read serializer: `to_representation` by the class's plan, DRF's answer without its overhead."""

    def to_representation(self, instance):
        answer = {}
        for field, source_attrs, method_name in _plan(type(self)):
            if method_name is not None:  # SerializerMethodField: this serializer's method, with its context
                answer[field.field_name] = getattr(self, method_name)(instance)
                continue
            try:
                attribute = _attribute(instance, source_attrs) if source_attrs else field.get_attribute(instance)
            except (KeyError, AttributeError):
                try:  # DRF's own handling: the field's default, None if allowed, skipped if not required
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            answer[field.field_name] = None if attribute is None else field.to_representation(attribute)
        return answer


def _plan(cls: type) -> tuple:
    """(field, source path or None, method name or None) for each readable field of the class, in order; fields
    bound to a template instance that never sees a request, its context or an instance."""
    plan = _PLANS.get(cls)
    if plan is None:
        template = cls()
        plan = _PLANS[cls] = tuple(_step(field) for field in template._readable_fields)
    return plan


def _step(field) -> tuple:
    if isinstance(field, serializers.SerializerMethodField):
        return field, None, field.method_name
    if isinstance(field, RelatedField) and field.use_pk_only_optimization():
        return field, None, None  # DRF reads the primary key only (PKOnlyObject): left to the field itself
    return field, tuple(field.source_attrs), None


def _attribute(instance, source_attrs: tuple):
    """rest_framework.fields.get_attribute, with DRF's answer on which callables to call kept per function."""
    for attr in source_attrs:
        try:
            instance = instance[attr] if _is_mapping(type(instance)) else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if callable(instance) and _is_simple_callable(instance):
            instance = instance()
    return instance


def _is_mapping(kind: type) -> bool:
    """isinstance(…, Mapping) by type, remembered: an ABC's check is most of the cost of reading a value."""
    mapping = _MAPPINGS.get(kind)
    if mapping is None:
        mapping = _MAPPINGS[kind] = issubclass(kind, Mapping)
    return mapping


def _is_simple_callable(value) -> bool:
    key = _callable_key(value)
    if key is None:
        return is_simple_callable(value)
    simple = _SIMPLE_CALLABLES.get(key)
    if simple is None:
        simple = _SIMPLE_CALLABLES[key] = is_simple_callable(value)
    return simple


def _callable_key(value):
    """What a callable's signature depends on: its function, and for a partial what it binds; None otherwise."""
    if inspect.ismethod(value):
        return value.__func__
    if inspect.isfunction(value):
        return value
    if isinstance(value, functools.partial) and (inspect.ismethod(value.func) or inspect.isfunction(value.func)):
        inner = value.func.__func__ if inspect.ismethod(value.func) else value.func
        return inner, inspect.ismethod(value.func), len(value.args), frozenset(value.keywords)
    return None
