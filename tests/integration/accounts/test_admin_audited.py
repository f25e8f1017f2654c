"""Every model on the admin site is audited when changed there (ADR 18), a future registration included; the
record (audit events, timelines) cannot be edited there; fields holding secrets are named, never valued."""

from __future__ import annotations

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from audit.models import AuditEvent, AuditHead
from clock.services import add_adjustment
from concordat.admin_site import NOT_RECORDED, AuditedAdmin, AuditedAdminSite, form_changes
from workflow.models import TimelineEntry

pytestmark = pytest.mark.django_db

NEVER_EDITED_IN_THE_ADMIN = [AuditEvent, AuditHead, *(m for m in apps.get_models() if issubclass(m, TimelineEntry))]


@pytest.fixture
def admin_request(person):
    request = RequestFactory().post("/admin/")
    request.user = person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    return request


def test_the_site_is_the_audited_one():
    assert isinstance(admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, AuditedAdminSite)


@pytest.fixture
def one_of_each(admin_request, orgs):
    """A stored object of each model on the admin site (a new registration may add its own here)."""
    person = admin_request.user
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    StaticDevice.objects.create(user=person, name="backup")
    add_adjustment("england-and-wales", date(2021, 6, 16), "closure", "Office move", by=person)
    AccessAttempt.objects.create(username="u", ip_address="192.0.2.1", user_agent="t", path_info="/",
                                 failures_since_start=1)
    AccessLog.objects.create(username="u", ip_address="192.0.2.1", user_agent="t", path_info="/")
    AccessFailureLog.objects.create(username="u", ip_address="192.0.2.1", user_agent="t", path_info="/")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_registered_model_writes_an_audit_event_for_each_admin_change(model, admin_request, one_of_each):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, AuditedAdmin), f"{model._meta.label}'s admin is not audited"
    obj = model.objects.first() or model(pk=987654)  # unsaved when one_of_each has none: its __str__ may fail
    with transaction.atomic():
        model_admin.log_addition(admin_request, obj, "[]")
        model_admin.log_change(admin_request, obj, "[]")
        model_admin.log_deletions(admin_request, [obj])
    events = AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(obj.pk),
                                       action__startswith="admin.")
    assert sorted(events.values_list("action", flat=True)) == ["admin.added", "admin.changed", "admin.deleted"]
    assert {event.actor for event in events} == {admin_request.user}


def test_a_future_registration_is_audited_too():
    site = AuditedAdminSite(name="a-future-site")

    class Plain(admin.ModelAdmin):
        pass

    site.register(AuditHead, Plain)
    assert isinstance(site._registry[AuditHead], AuditedAdmin) and isinstance(site._registry[AuditHead], Plain)


@pytest.mark.parametrize("model", NEVER_EDITED_IN_THE_ADMIN, ids=lambda model: model._meta.label)
def test_the_record_is_not_editable_in_the_admin(model, admin_request):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return
    assert not model_admin.has_add_permission(admin_request)
    assert not model_admin.has_change_permission(admin_request)
    assert not model_admin.has_delete_permission(admin_request)


def test_secret_fields_are_named_but_not_valued():
    class Form:
        changed_data = ["name", "key", "password1", "token"]
        initial = {"name": "old", "key": "aa", "password1": None, "token": "t"}
        cleaned_data = {"name": "new", "key": "bb", "password1": "pw", "token": "u"}

    assert form_changes(Form) == {"name": {"before": "old", "after": "new"}, "key": NOT_RECORDED,
                                  "password1": NOT_RECORDED, "token": NOT_RECORDED}
