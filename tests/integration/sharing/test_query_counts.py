"""The list and the request page cost a fixed number of queries, however many requests and events there are.
Counts, not times."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharing import queries
from sharing.models import Request, RequestEvent
from sharing.serializers import RequestDetailSerializer, RequestListSerializer
from sharing.states import Action, RequestState
from tests.support.requests import draft, walk

# The list: visible_requests with its annotations and organisations in one query, whatever the number of rows,
# and the people it names in one more (a person field that is empty on every row costs nothing).
LIST_QUERIES = 2
# Through the API: token, person and their organisation (1: ADR 56, it was two), their roles (1), the page's count
# (1), rows (1) and the requesters (1). A token's first use from an address costs more, once (noted and audited,
# ADR 16): each client is used once before counting.
API_LIST_QUERIES = 5
# The request page through the API: the token, person and organisation (1) and roles (1) (ADR 56: three before),
# the request with its organisations and, for each collection it often has none of, whether it has any (1, ADR 59),
# the people it names (requester, and once decided who acknowledged and decided it and the assessor it is assigned
# to) in one query (1, RequestQuerySet.with_people, ADR 54: it was one per person field), its timeline (1) and the
# calendar's closures for the due-date statuses (1). Each other collection (named people, checklist, approvals,
# reassignments, occasions, deliveries, parts) is read only when it has rows (ADR 59: seven queries a submitted
# request's answer no longer makes). Once provided: the checklist, deliveries and their files (3).
API_DETAIL_QUERIES = 6
API_DETAIL_QUERIES_WITH_DELIVERIES = API_DETAIL_QUERIES + 3


def copies_of(template: Request, count: int, batch: str = "B") -> None:
    """`count` more requests like `template`, written in one go; `batch` keeps references of two calls apart."""
    year = timezone.localdate().year
    rows = []
    for number in range(count):
        row = Request.objects.get(pk=template.pk)
        row.pk, row.id = None, None
        row.reference = f"IASC-{year}-{batch}{number:05d}"
        rows.append(row)
    Request.objects.bulk_create(rows)


@pytest.fixture
def submitted(cast):
    return walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)


def list_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows = RequestListSerializer(queries.request_list(user), many=True).data
    assert rows
    return len(captured)


@pytest.mark.parametrize("count", [10, 1000])
def test_listing_every_visible_request_costs_two_queries(cast, submitted, count):
    copies_of(submitted, count - 1)
    user = cast.spoc
    user.organisation  # noqa: B018  (loaded at sign-in, as for any page)
    user.roles  # noqa: B018
    assert list_queries(user) == LIST_QUERIES
    assert queries.request_list(user).count() == count


def used_once(client):
    assert client.options("/api/requests/").status_code == 200
    return client


@pytest.mark.parametrize("count", [10, 1000])
def test_the_api_list_costs_the_same_for_ten_or_a_thousand_requests(cast, submitted, api, count,
                                                                    django_assert_num_queries):
    copies_of(submitted, count - 1)
    client = used_once(api(cast.spoc))
    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get("/api/requests/", {"overdue": "false", "state": "submitted"})
    assert response.json()["count"] == count


@pytest.mark.parametrize("events", [5, 500])
def test_the_request_page_costs_the_same_however_long_its_timeline(cast, submitted, api, events,
                                                                   django_assert_num_queries):
    RequestEvent.objects.bulk_create([
        RequestEvent(request=submitted, action=Action.UPDATE, actor=cast.iasc_requester, occurred_at=timezone.now(),
                     from_state=RequestState.SUBMITTED, to_state=RequestState.SUBMITTED, note=f"Note {n}")
        for n in range(events)])
    client = used_once(api(cast.spoc))
    with django_assert_num_queries(API_DETAIL_QUERIES):
        response = client.get(f"/api/requests/{submitted.pk}/")
    assert len(response.json()["events"]) == events + 2  # create and submit


def test_a_provided_request_reads_its_checklist_deliveries_and_files_once_each(cast, api, django_assert_num_queries):
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    client = used_once(api(cast.iasc_requester))
    with django_assert_num_queries(API_DETAIL_QUERIES_WITH_DELIVERIES):
        body = client.get(f"/api/requests/{provided.pk}/").json()
    assert body["deliveries"][0]["files"] and body["checklist"][0]["answer"]


def test_detail_serialisation_needs_no_query_beyond_the_prefetch(cast, submitted):
    user = cast.spoc
    user.organisation  # noqa: B018
    user.roles  # noqa: B018
    detail = queries.request_detail(user, submitted.pk)

    class Context:
        pass

    context = Context()
    context.user = user
    with CaptureQueriesContext(connection) as captured:
        RequestDetailSerializer(detail, context={"request": context}).data  # noqa: B018
    assert [q["sql"][:40] for q in captured] == [q["sql"][:40] for q in captured if "clock_" in q["sql"]]
