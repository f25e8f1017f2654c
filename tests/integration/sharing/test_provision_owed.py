"""§6 regular provision: after the first delivery the holder still owes the rest, so the request stays the
holder's (My work, reminders, the overdue digest) until the last occasion is delivered."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sharing import notifications, queries, services
from sharing.states import RequestState, StateOwner
from tests.support.requests import DECIDED, draft, fresh, pdf, walk


def test_provision_owed_waits_on_the_holder_until_the_last_occasion(cast):
    today = timezone.localdate()
    request = walk(draft(cast.iasc_requester, provision="regular", frequency="quarterly", period_start=today,
                         period_end=today + timedelta(days=200)), cast, DECIDED)
    services.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Quarter 1",
                     marking="OFFICIAL", uploads=[pdf()])
    request = fresh(request)
    assert request.state == RequestState.PROVISION_OWED and queries.owner_of(request) == StateOwner.HOLDER
    assert request.next_due_on == request.occasions.get(sequence=2).due_on
    assert notifications.owners(request) == [cast.msu_assessor]
    mine = set(queries.my_work(cast.msu_assessor).values_list("reference", flat=True))
    assert request.reference in mine
    assert request.reference not in set(queries.my_work(cast.iasc_requester).values_list("reference", flat=True))
