"""The scrutiny API answers as the pages do: the same tables, bad periods and groupings refused as JSON naming the
field, and a dashboard of the person's own cases. With a worker, the statistics are the page's snapshots (ADR 53):
202 with Retry-After before any, a fresh one with its time, a stale one while newer figures are computed, 429 past
a person's limit; each answer as the OpenAPI document describes it."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_schema_validator import OAS30ReadValidator
from rest_framework.test import APIClient

from audit.models import AuditEvent
from scrutiny import snapshots, tasks
from scrutiny.models import SnapshotState, StatisticsSnapshot
from sharing.states import RequestState
from tests.integration.sharing.test_query_counts import copies_of
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
# The token with its person (organisation and department joined), and one for the latest snapshot and any running
# job together. None reads a request: the history's size cannot count.
API_SNAPSHOT_QUERIES = 2


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


# The statistics from snapshots (ADR 53): with a worker, the API reads what the page reads.

STATISTICS = "/api/statistics/"


def _period(by="all", days=30):
    today = timezone.localdate()
    return {"from": (today - timedelta(days=days)).isoformat(), "to": today.isoformat(), "by": by}


def _asked(client, on_worker, capture, params):
    """The answer to the first call for a period, and the job it started, run as a worker would."""
    with capture(execute=True):
        first = client.get(STATISTICS, params)
    (pk,) = on_worker[-1]
    assert tasks.recompute_statistics(pk) == SnapshotState.READY
    return first, StatisticsSnapshot.objects.get(pk=pk)


def _conforms(document, answer, name):
    """The answer's body is valid against the schema the document gives it."""
    OAS30ReadValidator({"$ref": f"#/components/schemas/{name}", "components": document["components"]}).validate(
        answer.json())


@pytest.fixture
def document(cast, api):
    return api(cast.iasc_requester).get("/api/schema/?format=json").json()


def test_nothing_computed_yet_is_a_202_with_retry_after_and_one_job(history, cast, api, on_worker, document,
                                                                    django_capture_on_commit_callbacks):
    client = api(cast.iasc_requester)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(STATISTICS, _period())
        again = client.get(STATISTICS, _period())
    for answer in (first, again):
        assert answer.status_code == 202 and answer["Retry-After"] == "10"
        assert "being computed" in answer.json()["message"] and answer.json()["grouping"] == "all"
        _conforms(document, answer, "Computing")
    assert len(on_worker) == 1 and StatisticsSnapshot.objects.count() == 1, "the second call finds the job running"
    documented = document["paths"][STATISTICS]["get"]["responses"]
    assert "Retry-After" in documented["202"]["headers"] and "Retry-After" in documented["429"]["headers"]
    assert {"computed_at", "fresh", "newer_figures_computing"} <= set(
        document["components"]["schemas"]["Statistics"]["required"])


def test_a_fresh_snapshot_is_answered_with_its_computed_at(history, cast, api, on_worker, document,
                                                           django_capture_on_commit_callbacks):
    client = api(cast.iasc_requester)
    _, snapshot = _asked(client, on_worker, django_capture_on_commit_callbacks, _period("direction"))
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)  # after the snapshot: not counted until next
    answer = client.get(STATISTICS, _period("direction"))
    assert answer.status_code == 200
    body = answer.json()
    assert datetime.fromisoformat(body["computed_at"]) == snapshot.computed_at
    assert (body["fresh"], body["newer_figures_computing"], body["message"]) == (True, False, None)
    acknowledgement = next(table for table in body["tables"] if table["key"] == "acknowledgement")
    assert acknowledgement["rows"][0][1] == 2 and len(on_worker) == 1
    _conforms(document, answer, "Statistics")


def test_a_stale_snapshot_is_answered_while_newer_figures_are_computed(history, cast, api, on_worker, document,
                                                                       django_capture_on_commit_callbacks):
    client = api(cast.commissioner)
    _, snapshot = _asked(client, on_worker, django_capture_on_commit_callbacks, _period())
    StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get(STATISTICS, _period())
    body = answer.json()
    assert answer.status_code == 200 and (body["fresh"], body["newer_figures_computing"]) == (False, True)
    snapshot.refresh_from_db()
    assert datetime.fromisoformat(body["computed_at"]) == snapshot.computed_at
    assert len(on_worker) == 2 and body["tables"]
    _conforms(document, answer, "Statistics")


def test_a_person_past_their_limit_is_told_with_a_429_and_nothing_is_asked(history, cast, api, on_worker, settings,
                                                                           document,
                                                                           django_capture_on_commit_callbacks):
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 2
    client = api(cast.dwp_officer)  # a reader of another organisation: their page views ask too (deliberately)
    with django_capture_on_commit_callbacks(execute=True):
        asked = [client.get(STATISTICS, _period(days=days)).status_code for days in (10, 20, 30)]
    assert asked == [202, 202, 429] and len(on_worker) == 2
    refused = client.get(STATISTICS, _period(days=30))
    assert refused["Retry-After"] == "10" and "2 sets of figures being computed" in refused.json()["errors"][0][
        "message"]
    assert refused.json()["errors"][0]["field"] is None
    _conforms(document, refused, "Errors")
    assert AuditEvent.objects.filter(action="scrutiny.statistics_recompute").count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # someone else's limit is their own
        assert api(cast.iasc_requester).get(STATISTICS, _period(days=30)).status_code == 202


def test_without_a_worker_the_api_computes_inline_with_its_time(history, cast, api):
    before = timezone.now()
    body = api(cast.iasc_requester).get(STATISTICS, _period()).json()
    assert datetime.fromisoformat(body["computed_at"]) >= before and body["fresh"]
    assert not body["newer_figures_computing"] and StatisticsSnapshot.objects.count() == 0


@pytest.mark.parametrize("params", [{"from": "2022-01-01", "to": "2021-01-01"}, {"by": "colour"},
                                    {"from": "9" * 5000}, {"to": "<script>"}, {"from": "2021-02-30"},
                                    {"from": "0001-01-01"}, {"by": "\x00"}])
def test_a_malformed_period_asks_for_nothing(cast, api, on_worker, params, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(cast.iasc_requester).get(STATISTICS, params)
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] in {"from", "to", "by"}
    assert on_worker == [] and StatisticsSnapshot.objects.count() == 0


def test_the_wrong_person_asks_for_nothing(cast, api, person, signed_in, on_worker,
                                           django_capture_on_commit_callbacks):
    token = api(cast.ho_analyst)
    cast.ho_analyst.is_active = False
    cast.ho_analyst.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in(person(None)).get(STATISTICS, _period()).status_code == 403
        assert token.get(STATISTICS, _period()).status_code in (401, 403)
        assert APIClient().get(STATISTICS, _period()).status_code in (401, 403)
    assert on_worker == [] and StatisticsSnapshot.objects.count() == 0


def _api_queries(client, params) -> int:
    client.get(STATISTICS, params)  # the first call warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(STATISTICS, params)
    assert answer.status_code == 200 and answer.json()["fresh"]
    return len(captured)


def test_an_answer_from_a_snapshot_costs_the_same_queries_whatever_the_history(
        history, cast, api, on_worker, django_capture_on_commit_callbacks):
    client = api(cast.ho_analyst)
    _asked(client, on_worker, django_capture_on_commit_callbacks, _period("organisation"))
    few = _api_queries(client, _period("organisation"))
    copies_of(history, 40, "api")
    snapshots.prune(timezone.now() + timedelta(days=40))  # nothing kept: the next one is computed over the 42
    _asked(client, on_worker, django_capture_on_commit_callbacks, _period("organisation"))
    many = _api_queries(client, _period("organisation"))
    assert few == many == API_SNAPSHOT_QUERIES, (few, many)
