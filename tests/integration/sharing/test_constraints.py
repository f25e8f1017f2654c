"""The database itself refuses records that could only come from going around the services."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sharing.models import Request
from sharing.states import Decision, RequestState
from tests.support.requests import DECIDED, draft, walk


def refused(request: Request, **changes) -> bool:
    for name, value in changes.items():
        setattr(request, name, value)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        return True
    return False


def test_a_when_is_never_recorded_without_its_who(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    assert refused(request, acknowledged_at=timezone.now(), acknowledged_by=None)


def test_a_submitted_request_always_has_its_due_dates(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    assert refused(request, provide_by=None)


def test_nothing_is_provided_on_a_declined_request_even_around_the_services(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    assert refused(request, state=RequestState.PROVIDED)


def test_a_decision_comes_with_its_date(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    assert refused(request, decision=Decision.AGREED)


def test_a_one_off_request_has_no_schedule(cast):
    request = draft(cast.iasc_requester)
    assert refused(request, frequency="monthly")


@pytest.mark.parametrize("state", [RequestState.SUBMITTED, DECIDED])
def test_a_state_past_draft_needs_what_that_state_implies(cast, state):
    request = draft(cast.iasc_requester)
    assert refused(request, state=state)
