"""The admin site, every change it makes audited (ADR 18).

`AuditedAdminSite.register` mixes `AuditedAdmin` into every ModelAdmin registered on it, Django's and other
libraries' included, so a future registration inherits it. The admin's own log (LogEntry) is written by
log_addition / log_change / log_deletions; here each of them also writes an audit event, in the transaction the
admin runs the change in, naming the object, the person and the changed fields with their values before and
after. Fields whose names say they hold a secret (password, key, token, secret, salt) are named, never valued.
Admin actions other than deletion run in one transaction with an event of their own.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import admin
from django.db import models, transaction
from django.db.models import Model

from audit.services import record_event

SECRET_NAME = re.compile(r"password|secret|token|key|salt|otp", re.IGNORECASE)
NOT_RECORDED = "(secret: not recorded)"
CHANGES_ATTRIBUTE = "_concordat_admin_changes"


def is_secret(field_name: str) -> bool:
    return bool(SECRET_NAME.search(field_name))


def has_secret_fields(model) -> bool:
    return any(is_secret(field.name) for field in model._meta.get_fields())


def plain(value):
    """A JSON-friendly form of a form value: objects by primary key, collections sorted."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return sorted((plain(item) for item in value), key=str)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def form_changes(form) -> dict:
    """{field: {"before", "after"}} for each changed field of a bound form; secret fields named only."""
    changes = {}
    for name in form.changed_data:
        if is_secret(name):
            changes[name] = NOT_RECORDED
        else:
            changes[name] = {"before": plain(form.initial.get(name)), "after": plain(form.cleaned_data.get(name))}
    return changes


def formset_changes(formset) -> list[dict]:
    """One row per inline row added, changed or deleted, with its changed values."""
    label, secret = formset.model._meta.label_lower, has_secret_fields(formset.model)
    rows = []
    for index, form in enumerate(formset.forms):
        deleted = formset.can_delete and formset._should_delete_form(form)
        if not (deleted or form.has_changed()):
            continue
        kind = "deleted" if deleted else ("changed" if index < formset.initial_form_count() else "added")
        row = {"model": label, kind: form.instance.pk}
        if not secret:
            row["object"] = str(form.instance)[:200]
        if not deleted:
            row["values"] = form_changes(form)
        rows.append(row)
    return rows


class AuditedAdmin:
    """Mixed into every ModelAdmin on the site: each admin change writes an audit event."""

    audited = True

    def construct_change_message(self, request, form, formsets, add=False):
        details = {"fields": form_changes(form)}
        if formsets:
            details["inlines"] = [row for formset in formsets for row in formset_changes(formset)]
        setattr(request, CHANGES_ATTRIBUTE, details)
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        self._audit(request, "admin.added", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, "admin.changed", obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "admin.deleted", obj)
        return super().log_deletions(request, queryset)

    def _audit(self, request, action: str, obj) -> None:
        details = {"model": obj._meta.label_lower, **getattr(request, CHANGES_ATTRIBUTE, {})}
        if not has_secret_fields(type(obj)):
            details["object"] = str(obj)[:200]
        record_event(action, by=request.user, obj=obj, details=details, request=request)  # in the admin's transaction
        if hasattr(request, CHANGES_ATTRIBUTE):
            delattr(request, CHANGES_ATTRIBUTE)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {name: (audited_action(func, name), name, description)
                for name, (func, name, description) in actions.items()}


def audited_action(func, name: str):
    """An admin action run in one transaction, with an event naming it and the objects it was run on (deletion
    has its own events, one per object, from log_deletions)."""

    @wraps(func)
    def run(modeladmin, request, queryset):
        with transaction.atomic():
            response = func(modeladmin, request, queryset)
            if name != "delete_selected":
                record_event("admin.action", by=request.user, request=request, details={
                    "model": modeladmin.model._meta.label_lower, "action": name,
                    "objects": sorted(str(pk) for pk in queryset.values_list("pk", flat=True))})
        return response

    return run


class AuditedAdminSite(admin.AdminSite):
    site_header = "Concordat administration"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        return super().register(model_or_iterable, admin_class, **options)

    def password_change(self, request, extra_context=None):
        """A person's own password, from the admin: one transaction with its event (no password in it)."""
        with transaction.atomic():
            response = super().password_change(request, extra_context)
            if request.method == "POST" and response.status_code == 302:
                record_event("people.own_password_changed", by=request.user, obj=request.user, request=request)
        return response
