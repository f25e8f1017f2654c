"""The demo's provided requests carry element (f)'s "keep until" date (`Request.retain_until`): each delivery has its
retention case, some already overdue (dated back on the chain; replay agrees), some due within the reminder window,
some well ahead, so that the retention pages and "My work" show work due and overdue."""

from __future__ import annotations

from io import StringIO

import pytest

from accounts.demo import seed_demo_people
from accounts.models import User
from audit.models import AuditEvent
from audit.replay import verify_state
from audit.verify import verify_stored_chain
from retention import reminders
from retention import services as retention_services
from retention.models import Retention
from sharing import demo, schedule
from sharing.models import Delivery
from workflow import work


@pytest.fixture
def demo_retention(protocol, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "password.txt")
    monkeypatch.setattr(demo, "GENERATED", 54)  # six rounds of every state: twelve provided, in all three groups
    seed_demo_people()
    demo.seed_demo(StringIO())
    return list(Retention.objects.select_related("request").order_by("pk"))


def test_every_demo_delivery_has_its_retention_case_kept_until_element_f(demo_retention):
    assert len(demo_retention) == Delivery.objects.count() > 0
    assert all(r.keep_until is not None and r.keep_until == r.request.retain_until for r in demo_retention)


def test_some_are_overdue_some_due_soon_and_some_well_ahead(demo_retention):
    today = schedule.today()
    horizon = reminders.horizon(today)
    overdue = [r for r in demo_retention if r.keep_until < today]
    due = [r for r in demo_retention if today <= r.keep_until <= horizon]
    ahead = [r for r in demo_retention if r.keep_until > horizon]
    assert overdue and due and ahead
    requester = User.objects.get(username="iasc.requester")
    listed = retention_services.listed(requester, today=today, which="overdue")
    assert listed and set(listed) <= set(overdue)  # the retention page's "overdue" list
    mine = [item for item in work.items_for(requester, today, limit=1000) if item.kind == "retention"]
    assert any(item.is_overdue for item in mine) and any(not item.is_overdue for item in mine)
    assert all(item.case.keep_until <= horizon for item in mine)


def test_dating_element_f_back_is_on_the_chain_and_replay_agrees(demo_retention):
    dated_back = AuditEvent.objects.filter(action="retention.dated_back")
    assert dated_back.count() == sum(r.keep_until < schedule.today() for r in demo_retention)
    assert verify_stored_chain().ok
    report = verify_state()
    assert report.ok, report.problems
