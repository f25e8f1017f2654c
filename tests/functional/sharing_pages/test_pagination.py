"""Pages of requests without counting them all: previous and next, decided by one row past the page."""

import pytest

from concordat.pagination import page_of
from sharing.models import Request
from sharing.states import RequestState
from tests.integration.sharing.test_query_counts import copies_of
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db


def test_pages_know_their_neighbours_without_a_count(cast, django_assert_num_queries):
    copies_of(walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED), 29, "P")
    queryset = Request.objects.order_by("pk")
    with django_assert_num_queries(1):
        first = page_of(queryset, "1", 25)
    assert len(first) == 25 and first.has_next and not first.has_previous()
    last = page_of(queryset, "2", 25)
    assert len(last) == 5 and not last.has_next and last.previous_page_number() == 1


@pytest.mark.parametrize("requested", [None, "", "0", "-3", "abc", "1.5"])
def test_a_missing_or_malformed_page_number_means_the_first_page(requested):
    assert page_of(Request.objects.none(), requested, 25).number == 1


def test_a_page_past_the_end_is_empty_and_offers_the_way_back(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    response = client.get("/requests/?page=9")
    assert response.status_code == 200
    assert "No requests." in response.content.decode() and 'rel="prev"' in response.content.decode()
