"""The list, "my work" and request pages issue a fixed number of queries, whatever the number of
requests and events. Counts, not times: the two sizes must cost exactly the same."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharing.models import RequestEvent
from sharing.states import Action, RequestState
from tests.integration.sharing.test_query_counts import copies_of
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> int:
    client.get(path)  # the first view of a session warms per-process caches (protocol, calendar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def submitted(cast):
    return walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)


# Thirty, past My work's page of twenty-five: below it the page counts the requests it holds and asks no count
# query (ADR 50). The idle expiry's renewal (at most once a minute) must not land inside a measured page.
@override_settings(SESSION_REFRESH_SECONDS=10**10)
def test_the_list_and_my_work_cost_the_same_for_thirty_or_a_thousand_requests(cast, submitted, signed_in):
    client = signed_in(cast.spoc)
    copies_of(submitted, 29, "A")
    small = {path: queries_for(client, path) for path in ("/requests/", "/requests/?overdue=true&q=IASC",
                                                          "/my-work/")}
    copies_of(submitted, 970, "B")
    large = {path: queries_for(client, path) for path in small}
    assert small == large
    # ADR 58: the list reads the protocols once (filters and "Make a request"), not twice.
    assert small == {"/requests/": 11, "/requests/?overdue=true&q=IASC": 10, "/my-work/": 17}


def test_the_request_page_costs_the_same_for_five_or_five_hundred_events(cast, submitted, signed_in):
    client = signed_in(cast.spoc)
    path = f"/requests/{submitted.reference}/"

    def add_events(count):
        RequestEvent.objects.bulk_create([
            RequestEvent(request=submitted, action=Action.UPDATE, actor=cast.iasc_requester,
                         occurred_at=timezone.now(), from_state=RequestState.SUBMITTED,
                         to_state=RequestState.SUBMITTED, note=f"Note {n}") for n in range(count)])

    add_events(5)
    small = queries_for(client, path)
    add_events(495)
    assert queries_for(client, path) == small
    # ADR 61: the page reads only the collections, escalations, publication proposals and personal-data record the
    # request has (a submitted one: its timeline); main read 20.
    assert small == 10


def test_a_provided_request_page_costs_the_same_with_one_or_many_deliveries_of_files(cast, signed_in):
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    client = signed_in(cast.iasc_requester)
    path = f"/requests/{provided.reference}/"
    one = queries_for(client, path)
    delivery = provided.deliveries.first()
    first_file = delivery.files.first()
    for _ in range(20):
        first_file.pk = None
        first_file.save()
    assert queries_for(client, path) == one
    assert one == 13  # ADR 61 (main: 21): only what it has is read
