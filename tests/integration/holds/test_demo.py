"""The demo's hold: the March 2021 hold on MSVC-contract personal victim data for research, its review date
passed, flagged on its keepers' "My work", and its dating back recorded on the chain (replay agrees)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.utils import timezone

from accounts.demo import seed_demo_people
from accounts.models import User
from audit.replay import verify_state
from audit.verify import verify_stored_chain
from holds import coverage, demo
from holds.models import Hold
from workflow import work


@pytest.fixture
def demo_hold(protocol, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "password.txt")
    seed_demo_people()
    demo.seed_demo(StringIO())
    demo.seed_demo(StringIO())  # safe to run again
    return Hold.objects.get()


def test_the_demo_hold_began_in_march_2021_and_its_review_is_overdue(demo_hold):
    assert (demo_hold.began_on, demo_hold.next_review_on, demo_hold.state) == (
        date(2021, 3, 15), date(2021, 6, 30), "in_force")
    approver = User.objects.get(username="ho.approver")
    [item] = [item for item in work.items_for(approver, timezone.localdate()) if item.kind == "hold"]
    assert item.is_overdue and item.case == demo_hold
    assert coverage.verdict(data_source="msvc_contract", purpose="research", category="personal").blocked
    assert not coverage.verdict(data_source="msvc_contract", purpose="research", category="anonymised").blocked


def test_dating_it_back_is_on_the_chain_and_replay_agrees(demo_hold):
    assert verify_stored_chain().ok
    report = verify_state()
    assert report.ok, report.problems
