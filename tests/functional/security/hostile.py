"""Hostile text, and the forms and serializers it is typed into, found by introspection.

Every text field (a Django CharField, a DRF CharField, or a list or dict of them) of every form and serializer
the project defines is found here, so a new form or serializer inherits test_hostile_text.py without a line more.
"""

from __future__ import annotations

import importlib
import inspect

from django import forms
from django.apps import apps
from django.conf import settings
from rest_framework import serializers

# name -> text. Each is typed into every text field; NUL must be refused (it cannot reach the database).
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{ 7*7 }} {% debug %}",
    "rtl_override": "Report \u202egnp.exe",
    "zero_width_and_isolates": "a\u200bb\u200dc\u2066d\u2069e\ufefff",
    "nul": "before\x00after",
    "c0_controls": "a\x01b\x1bc\x7fd",
    "sql": "'; DROP TABLE x; --",
    "million": "x" * 1_000_000,
}
SURROGATE = "lone \ud800 surrogate"  # only JSON can carry it: a page's form is bytes decoded as UTF-8
MUST_REFUSE = {"nul"}
MARKUP = {"script", "attribute"}


def project_app_labels() -> list[str]:
    """The apps of this repository (not Django's, not third parties', not the tests' toy)."""
    base = str(settings.BASE_DIR)
    return [config.name for config in apps.get_app_configs()
            if config.path.startswith(base) and "site-packages" not in config.path
            and not config.name.startswith("tests")]


def _project_module(cls) -> bool:
    return cls.__module__.split(".")[0] in {name.split(".")[0] for name in project_app_labels()} | {"concordat"}


def _subclasses(root) -> list[type]:
    found, todo = [], [root]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


def _import_modules(*suffixes: str) -> None:
    for app in [*project_app_labels(), "concordat"]:
        for suffix in suffixes:
            try:
                importlib.import_module(f"{app}.{suffix}")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.{suffix}":
                    raise


def project_forms() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm subclass defined in the project's apps (their forms, views, admin modules)."""
    _import_modules("forms", "views", "admin")
    return sorted((cls for cls in _subclasses(forms.BaseForm) if _project_module(cls)
                   and getattr(cls, "base_fields", None) is not None and not inspect.isabstract(cls)
                   and not (issubclass(cls, forms.BaseModelForm) and getattr(cls, "_meta", None) is None)),
                  key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def project_serializers() -> list[type[serializers.BaseSerializer]]:
    """Every serializer defined in the project's apps, and every one the API's views take as a request body."""
    _import_modules("serializers", "api", "api_views")
    found = {cls for cls in _subclasses(serializers.Serializer) if _project_module(cls)}
    found |= {type(serializer) for serializer in request_serializers()}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def request_serializers() -> list:
    """The request body serializer of every API operation, as drf-spectacular documents it."""
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = []
    for _path, _regex, _method, view in generator._get_paths_and_endpoints():
        serializer = view.schema.get_request_serializer()
        if isinstance(serializer, serializers.BaseSerializer):
            found.append(serializer)
        elif isinstance(serializer, dict):
            found += [s for s in serializer.values() if isinstance(s, serializers.BaseSerializer)]
    return found


def form_text_fields(form: forms.BaseForm) -> list[str]:
    return [name for name, field in form.fields.items()
            if isinstance(field, forms.CharField) and not field.disabled]


def serializer_text_fields(serializer: serializers.BaseSerializer) -> dict[str, str]:
    """{name: how}: how is "text", "list" (a list of texts) or "dict" (texts by key)."""
    found = {}
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.CharField) and not isinstance(field, serializers.ChoiceField):
            found[name] = "text"
        elif isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
            found[name] = "list"
        elif isinstance(field, serializers.DictField) and isinstance(field.child, serializers.CharField):
            found[name] = "dict"
    return found
