"""Two people (here twenty) acting on one request at once: one wins, the others are told it changed under
them, and nothing is lost: the timeline has one step more and the audit chain still verifies."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import StaleObject
from sharing import services
from sharing.models import RequestEvent
from sharing.states import RequestState
from tests.support.requests import draft, fresh, walk

THREADS = 20


def run_together(calls) -> list[object]:
    """Start every call at the same moment, each on its own thread and database connection."""
    from django.db import connections

    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001  (the outcome under test)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_conflicting_transitions_at_once_exactly_one_succeeds(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    version, events, audit = request.version, RequestEvent.objects.count(), AuditEvent.objects.count()

    def acknowledge():
        return services.acknowledge(request.pk, by=cast.spoc, expected_version=version, note="Considering it.")

    def withdraw():
        return services.withdraw(request.pk, by=cast.iasc_requester, expected_version=version, note="Not needed.")

    outcomes = run_together([acknowledge if n % 2 else withdraw for n in range(THREADS)])

    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    final = fresh(request)
    assert final.version == version + 1
    assert final.state in (RequestState.ACKNOWLEDGED, RequestState.WITHDRAWN)
    assert RequestEvent.objects.count() == events + 1 and AuditEvent.objects.count() == audit + 1
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_get_distinct_references(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    draft(cast.iasc_requester)  # the year's counter exists; the race is for the next number
    outcomes = run_together([lambda: draft(cast.iasc_requester) for _ in range(THREADS)])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert len({o.reference for o in outcomes}) == THREADS
    assert verify_stored_chain().ok
