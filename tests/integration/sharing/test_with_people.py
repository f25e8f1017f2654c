"""RequestQuerySet.with_people reads every person the named foreign keys point to, with their organisations, in one
query for all the requests fetched (ADR 54), and leaves each field as the plain foreign key would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharing.models import Request
from sharing.states import RequestState
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
FIELDS = ("requester", "assigned_to", "acknowledged_by", "decided_by", "closed_by")


def test_the_people_of_every_request_come_in_one_query_and_match_the_foreign_keys(cast):
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    a_draft = draft(cast.iasc_requester)
    with CaptureQueriesContext(connection) as captured:
        fetched = list(Request.objects.with_people(*FIELDS).filter(pk__in=[provided.pk, a_draft.pk]).order_by("pk"))
        seen = [(getattr(request, field), getattr(getattr(request, field), "organisation", None))
                for request in fetched for field in FIELDS]
    assert len(captured) == 2  # the requests, then their people with their organisations
    plain = [(getattr(request, field), getattr(getattr(request, field), "organisation", None))
             for request in Request.objects.filter(pk__in=[provided.pk, a_draft.pk]).order_by("pk") for field in FIELDS]
    assert seen == plain
    assert fetched[0].acknowledged_by is not None and fetched[1].acknowledged_by is None


def test_it_survives_chaining_and_values(cast):
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    chained = Request.objects.with_people("requester").filter(pk=provided.pk).exclude(title="")
    with CaptureQueriesContext(connection) as captured:
        assert chained.get().requester.organisation == cast.iasc_requester.organisation
    assert len(captured) == 2
    assert list(chained.values_list("pk", flat=True)) == [provided.pk]
    assert Request.objects.with_people("requester").none().count() == 0
