"""What holds cost the pages that show them, in queries: the same however many holds block a request, and however
many holds the list shows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharing.states import RequestState
from tests.support.holds import PERSONAL_RESEARCH, placed
from tests.support.requests import draft, walk


def queries_for(client, url: str) -> int:
    client.get(url)  # the session's and the token's first use are noted once: not what is counted
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_request_page_and_api_cost_the_same_with_one_hold_or_ten(cast, signed_in, api):
    placed(cast)
    request = walk(draft(cast.iasc_requester, **PERSONAL_RESEARCH), cast, RequestState.SUBMITTED)
    page, client = signed_in(cast.iasc_requester), api(cast.iasc_requester)
    page_url, api_url = f"/requests/{request.reference}/", f"/api/requests/{request.pk}/"
    one = (queries_for(page, page_url), queries_for(client, api_url))
    for _ in range(9):
        placed(cast)
    ten = (queries_for(page, page_url), queries_for(client, api_url))
    assert ten == one
    assert len(client.get(api_url).json()["holds"][0]["holds"]) == 10


def test_the_list_of_holds_costs_the_same_for_two_holds_or_twenty(cast, signed_in):
    placed(cast)
    placed(cast)
    page = signed_in(cast.spoc)
    two = queries_for(page, "/holds/")
    for _ in range(18):
        placed(cast)
    assert queries_for(page, "/holds/") == two
