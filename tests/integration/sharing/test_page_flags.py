"""The request page's flags (ADR 61): the page reads a request's escalations, publication proposals and
personal-data record only where its row says it has some. A flag only spares a query: what the page shows is what
the relation holds, and the row itself is still found through the person's visibility rules."""

from __future__ import annotations

import pytest

from dataprotection import rules
from sharing import queries
from sharing.states import RequestState
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db


def page_row(user, request):
    found = queries.request_page_rows(user).filter(pk=request.pk).first()
    return found and queries.with_page_relations(queries.with_collections(found))


def test_a_request_without_a_record_answers_none_without_a_query(cast, django_assert_num_queries):
    request = draft(cast.iasc_requester, personal_data_category="special_category", personal_data_record=False)
    shown = page_row(cast.iasc_requester, request)
    assert shown.has_personal_data_record is False
    with django_assert_num_queries(0):
        assert rules.record_of(shown) is None
        assert queries.has_none(shown, "escalations") and queries.has_none(shown, "publication_proposals")


def test_a_request_with_a_record_reads_it(cast):
    request = draft(cast.iasc_requester, personal_data_category="special_category")
    shown = page_row(cast.iasc_requester, request)
    assert shown.has_personal_data_record is True and not queries.has_none(shown, "personal_data_record")
    assert rules.record_of(shown) == rules.record_of(request)


def test_a_request_read_without_the_flags_is_not_taken_for_empty(cast):
    request = draft(cast.iasc_requester)
    plain = queries.request_detail_rows(cast.iasc_requester).get(pk=request.pk)
    assert not any(queries.has_none(plain, name) for name in ("escalations", "publication_proposals",
                                                              "personal_data_record"))


def test_the_flags_do_not_open_a_request_to_the_wrong_person_or_organisation(cast, signed_in):
    request = draft(cast.iasc_requester)  # a draft: the holder sees nothing until it is sent
    assert page_row(cast.spoc, request) is None
    assert signed_in(cast.spoc).get(f"/requests/{request.reference}/").status_code == 404
    submitted = walk(request, cast, RequestState.SUBMITTED)
    assert page_row(cast.spoc, submitted).pk == submitted.pk


@pytest.mark.parametrize("reference", ["IASC-0000-999", "x" * 500, "bad\x00ref"])
def test_a_malformed_or_unknown_reference_is_a_404(cast, signed_in, reference):
    assert signed_in(cast.iasc_requester).get(f"/requests/{reference}/").status_code == 404
