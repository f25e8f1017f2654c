"""Fixtures for the statistics snapshots' tests (ADR 53), shared by the page, API and service tests:

    from tests.support.snapshots import history, on_worker  # noqa: F401
"""

from __future__ import annotations

import pytest

from scrutiny import tasks
from sharing.states import RequestState
from tests.support.requests import draft, walk


@pytest.fixture
def on_worker(settings, monkeypatch):
    """The worker path with each job captured, not sent: the test runs the task itself, as a worker would, as many
    times as it likes. The list holds each enqueued job's arguments."""
    settings.STATISTICS_ON_WORKER = True
    enqueued = []
    monkeypatch.setattr(tasks.recompute_statistics, "delay", lambda *args: enqueued.append(args))
    return enqueued


@pytest.fixture
def history(cast):
    """Two requests: one OFFICIAL-SENSITIVE provided, one OFFICIAL submitted."""
    walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.PROVIDED)
    return walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
