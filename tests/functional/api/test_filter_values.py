"""A filter value the API cannot apply is refused with a 400 naming the parameter (issue 8): it used to be ignored,
so `?overdue=maybe` or `?waiting=AAA` answered the whole list as if no filter had been asked for."""

from __future__ import annotations

from datetime import datetime

import pytest

from sharing import services
from tests.integration.sharing.test_due_dates import LONDON, at
from tests.support.requests import draft

REFUSED = [
    ("/api/requests/?owner=", "owner", "Give a value for 'owner', or leave it out."),
    ("/api/requests/?organisation=", "organisation", "Give a value for 'organisation', or leave it out."),
    ("/api/requests/?overdue=null", "overdue", None),
    ("/api/requests/?overdue=maybe", "overdue", None),
    ("/api/requests/?classification=SECRET", "classification", None),
    ("/api/requests/?direction=%3Cscript%3E", "direction", None),
    ("/api/requests/?direction=" + "a" * 65, "direction", None),
    ("/api/requests/?search=" + "a" * 201, "search", None),
    ("/api/requests/?ordering=nonsense", "ordering", None),
    ("/api/requests/?ordering=created_at,title", "ordering", None),
    ("/api/approvals/?waiting=AAA", "waiting", None),
    ("/api/approvals/?waiting=", "waiting", "Give a value for 'waiting', or leave it out."),
    ("/api/notifications/?unread=yes", "unread", None),
]


@pytest.mark.parametrize(("path", "field", "message"), REFUSED, ids=[p[:45] for p, _, _ in REFUSED])
def test_a_value_the_filter_cannot_apply_is_refused_naming_the_parameter(cast, api, path, field, message):
    answer = api(cast.iasc_requester).get(path)
    assert answer.status_code == 400, answer.content[:200]
    problem = answer.json()["errors"][0]
    assert problem["field"] == field
    if message:
        assert problem["message"] == message


def test_the_ordering_refusal_names_the_orderings_offered(cast, api):
    problem = api(cast.iasc_requester).get("/api/requests/?ordering=-secret").json()["errors"][0]
    assert "'-secret'" in problem["message"] and "acknowledge_by, created_at, provide_by, reference" in problem["message"]


@pytest.mark.parametrize("path", [
    "/api/requests/?overdue=true", "/api/requests/?overdue=false", "/api/requests/?owner=me",
    "/api/requests/?classification=OFFICIAL-SENSITIVE", "/api/requests/?search=", "/api/requests/?q=",
    "/api/requests/?ordering=-created_at,reference", "/api/approvals/?waiting=me",
    "/api/notifications/?unread=true", "/api/notifications/?unread=false", "/api/requests/?direction=iasc_to_ho",
])
def test_the_values_each_filter_offers_are_taken(cast, api, path):
    assert api(cast.iasc_requester).get(path).status_code == 200


def test_overdue_true_and_false_split_the_list(cast, api):
    # One request submitted in June 2021 and never acknowledged (overdue), one submitted today (not yet).
    late, on_time = draft(cast.iasc_requester, title="Late"), draft(cast.iasc_requester, title="On time")
    with at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON)):
        services.submit(late, by=cast.iasc_requester, expected_version=late.version)
    services.submit(on_time, by=cast.iasc_requester, expected_version=on_time.version)
    client = api(cast.iasc_requester)

    def titles(query):
        return {row["title"] for row in client.get(f"/api/requests/?{query}").json()["results"]}

    assert titles("overdue=true") == {"Late"} and titles("overdue=false") == {"On time"}


def test_the_list_page_still_takes_the_forms_any(cast, signed_in):
    # The page's filter form sends an empty value for each "Any": the pages stay forgiving.
    answer = signed_in(cast.iasc_requester).get("/requests/?direction=&state=&classification=&owner=&organisation=&q=")
    assert answer.status_code == 200
