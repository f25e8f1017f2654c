"""The scrutiny API answers as the pages do: the same tables, bad periods and groupings refused as JSON naming the
field, and a dashboard of the person's own cases."""

import pytest

from sharing.states import RequestState
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db


def test_the_statistics_as_json(cast, api):
    walk(draft(cast.iasc_requester), cast, RequestState.ACKNOWLEDGED)
    answer = api(cast.iasc_requester).get("/api/statistics/", {"by": "direction"})
    assert answer.status_code == 200
    tables = {table["key"]: table for table in answer.json()["tables"]}
    acknowledgement = tables["acknowledgement"]
    assert acknowledgement["columns"][0] == {"key": "group", "label": "Direction", "numeric": False}
    assert acknowledgement["rows"][0][1:4] == [1, 1, 1]


@pytest.mark.parametrize(("params", "field"), [({"from": "2022-01-01", "to": "2021-01-01"}, "to"),
                                                ({"by": "colour"}, "by"), ({"from": "soon"}, "from")])
def test_bad_queries_are_refused_naming_the_field(cast, api, params, field):
    answer = api(cast.iasc_requester).get("/api/statistics/", params)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == field


def test_someone_in_no_organisation_is_refused(person, signed_in):
    assert signed_in(person(None)).get("/api/statistics/").status_code == 403  # no token: signed in


def test_the_dashboard_as_json(cast, api):
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    answer = api(cast.spoc).get("/api/dashboard/").json()
    waiting = next(table for table in answer["tables"] if table["key"] == "waiting")
    assert answer["total"] >= 1 and [submitted.reference] == [row[0] for row in waiting["rows"]]
