"""The statistics page on snapshots (ADR 53): a fresh one shown with its time and age, a stale one shown while
newer figures are computed, none said in words with the page refreshing itself politely; "Recompute now" as a
POST, CSRF-checked, for the parties' staff only, bad input named; an export and the annual report of the very
figures the page showed; the page's query count with a snapshot constant whatever the history."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from scrutiny import snapshots, tasks
from scrutiny.models import SnapshotState, StatisticsSnapshot
from sharing.states import RequestState
from tests.integration.sharing.test_query_counts import copies_of
from tests.support.pdf_pages import pages
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
PAGE = "/scrutiny/statistics/"
# Session, person, device, unread notifications; the organisation and its department (may they recompute?); one
# for the latest snapshot and any running job together. None reads a request: the history's size cannot count.
SNAPSHOT_PAGE_QUERIES = 7


def _params(by="all"):
    today = timezone.localdate()
    return f"from={today - timedelta(days=30)}&to={today}&by={by}"


def _computed(client, on_worker, capture, by="all") -> StatisticsSnapshot:
    """A snapshot of the query, as the worker leaves it after a page found none."""
    with capture(execute=True):
        assert "The figures are being computed" in client.get(f"{PAGE}?{_params(by)}").content.decode()
    (pk,) = on_worker[-1]
    assert tasks.recompute_statistics(pk) == SnapshotState.READY
    return StatisticsSnapshot.objects.get(pk=pk)


def _received(snapshot: StatisticsSnapshot) -> int:
    return snapshot.tables[0]["rows"][0][1]


def test_with_no_snapshot_the_page_says_so_and_refreshes_itself_politely(history, cast, signed_in, on_worker,
                                                                          django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{PAGE}?{_params()}")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="figures-computing"' in page
    assert "refreshes by itself every 10 seconds" in page and "stop refreshing this page" in page
    assert response["Refresh"] == f"10; url={PAGE}?{_params()}&waited=1"
    assert "<meta http-equiv" not in page.lower() and 'data-testid="figure-' not in page
    assert "Refresh" not in client.get(f"{PAGE}?{_params()}&refresh=off")
    stopped = client.get(f"{PAGE}?{_params()}&waited=12")
    assert "Refresh" not in stopped and "no longer refreshes by itself" in stopped.content.decode()
    malformed = client.get(f"{PAGE}?{_params()}&waited=<script>")
    assert malformed["Refresh"].endswith("&waited=1") and "<script>" not in malformed.content.decode()
    assert len(on_worker) == 1, "every view while the job runs finds it running"


def test_a_fresh_snapshot_is_shown_with_its_time_and_age(history, cast, signed_in, on_worker,
                                                         django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    snapshot = _computed(client, on_worker, django_capture_on_commit_callbacks)
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)  # after the snapshot: not counted until next
    response = client.get(f"{PAGE}?{_params()}")
    page = response.content.decode()
    as_of = timezone.localtime(snapshot.computed_at)
    assert f"Figures as of {as_of:%H:%M}, {as_of.day} {as_of:%B %Y} (just now)" in page
    assert "Refresh" not in response and 'data-testid="figure-acknowledgement"' in page
    assert _received(snapshot) == 2 and re.search(r'data-label="Requests received">2<', page)
    assert f"snapshot={snapshot.pk}" in page and len(on_worker) == 1


def test_a_stale_snapshot_is_shown_while_newer_figures_are_computed(history, cast, signed_in, on_worker,
                                                                    django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    snapshot = _computed(client, on_worker, django_capture_on_commit_callbacks)
    StatisticsSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"{PAGE}?{_params()}").content.decode()
    assert "(3\xa0hours ago)" in page and "Newer figures are being computed" in page
    assert 'data-testid="figure-acknowledgement"' in page and len(on_worker) == 2


def test_the_export_and_the_report_are_of_the_figures_the_page_showed(history, cast, signed_in, on_worker,
                                                                      django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    shown = _computed(client, on_worker, django_capture_on_commit_callbacks)
    page = client.get(f"{PAGE}?{_params()}").content.decode()
    link = re.search(r'href="(/scrutiny/statistics/export/\?[^"]*table=acknowledgement&amp;format=csv)"', page)
    # Newer figures arrive between the page and the download: the download is still what was on the screen.
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    StatisticsSnapshot.objects.filter(pk=shown.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"{PAGE}?{_params()}")
    assert tasks.recompute_statistics(on_worker[-1][0]) == SnapshotState.READY
    downloaded = client.get(link.group(1).replace("&amp;", "&"))
    assert downloaded.status_code == 200
    [row] = list(csv.DictReader(io.StringIO(downloaded.content.decode("utf-8-sig"))))
    assert row["Requests received"] == "2"
    newer = client.get(f"/scrutiny/statistics/export/?{_params()}&table=acknowledgement&format=csv")
    assert list(csv.DictReader(io.StringIO(newer.content.decode("utf-8-sig"))))[0]["Requests received"] == "3"


def test_an_export_of_a_pruned_or_malformed_snapshot_is_refused_naming_it(cast, signed_in):
    client = signed_in(cast.commissioner)
    for given in ("12345", "abc", "%00", "1;DROP"):
        response = client.get(f"/scrutiny/statistics/export/?snapshot={given}&table=acknowledgement&format=csv")
        assert response.status_code == 400 and "replaced by newer ones" in response.content.decode()


def test_exports_and_the_report_with_nothing_computed_yet_say_so(cast, signed_in, on_worker,
                                                                  django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        export = client.get(f"/scrutiny/statistics/export/?{_params()}&table=acknowledgement&format=csv")
        report = client.get(f"/scrutiny/statistics/annual-report/?year={timezone.localdate().year - 1}")
    for response in (export, report):
        assert response.status_code == 503 and response["Retry-After"] == "10"
        assert "The figures are being computed" in response.content.decode()
    assert len(on_worker) == 2


def test_the_annual_report_reads_its_years_snapshot(history, cast, signed_in, on_worker,
                                                   django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/scrutiny/statistics/annual-report/?year={year}").status_code == 503
    assert tasks.recompute_statistics(on_worker[-1][0]) == SnapshotState.READY
    snapshot = StatisticsSnapshot.objects.get(pk=on_worker[-1][0])
    response = client.get(f"/scrutiny/statistics/annual-report/?year={year}")
    text = " ".join(page.text for page in pages(response.content))
    as_of = timezone.localtime(snapshot.computed_at)
    assert response.status_code == 200 and f"Figures as of {as_of:%H:%M}" in text


def test_recompute_now_is_a_post_for_the_parties_staff(cast, signed_in, on_worker,
                                                       django_capture_on_commit_callbacks):
    for someone in (cast.dwp_officer, cast.researcher, cast.nobody):  # readers or not, they may not ask for more
        assert signed_in(someone).post("/scrutiny/statistics/recompute/", {"by": "all"}).status_code == 403
    assert signed_in(cast.ho_analyst).get("/scrutiny/statistics/recompute/").status_code == 405
    assert StatisticsSnapshot.objects.count() == 0 and not AuditEvent.objects.filter(
        action="scrutiny.statistics_recompute").exists()
    client = signed_in(cast.ho_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/scrutiny/statistics/recompute/", {"by": "year"}, follow=True)
        second = client.post("/scrutiny/statistics/recompute/", {"by": "year"}, follow=True)
    assert "The figures are being recomputed" in first.content.decode()
    assert "already being recomputed" in second.content.decode(), "the double click finds the running job"
    assert len(on_worker) == 1 and AuditEvent.objects.filter(action="scrutiny.statistics_recompute").count() == 1
    for someone in (cast.dwp_officer, cast.researcher):  # they read the figures; no button
        page = signed_in(someone).get(f"{PAGE}?{_params('year')}")
        assert page.status_code == 200 and "Recompute now" not in page.content.decode()


def test_recompute_now_checks_its_csrf_token(cast, signed_in, on_worker):
    client = signed_in(cast.ho_analyst, Client(enforce_csrf_checks=True))
    assert client.post("/scrutiny/statistics/recompute/", {"by": "all"}).status_code == 403
    assert StatisticsSnapshot.objects.count() == 0


@pytest.mark.parametrize(("data", "field_words"), [
    ({"by": "colour"}, "There is no grouping called “colour”"),
    ({"from": "2021-06-30", "to": "2021-06-01"}, "before it starts"),
    ({"from": "<script>"}, "is not a date"),
    ({"from": "9" * 5000}, "is not a date"),
])
def test_recompute_now_refuses_a_malformed_query_naming_the_field(cast, signed_in, on_worker, data, field_words):
    response = signed_in(cast.ho_analyst).post("/scrutiny/statistics/recompute/", data)
    assert response.status_code == 400 and field_words in response.content.decode().replace("&lt;", "<")
    assert "<script>" not in response.content.decode() and StatisticsSnapshot.objects.count() == 0


def test_without_a_worker_recompute_now_computes_at_once(history, cast, signed_in,
                                                         django_capture_on_commit_callbacks):
    client = signed_in(cast.commissioner)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the job runs once the request commits
        response = client.post("/scrutiny/statistics/recompute/", {"by": "all"})
    assert response.status_code == 302 and StatisticsSnapshot.objects.get().state == SnapshotState.READY
    page = client.get(response["Location"]).content.decode()
    assert "The figures have been recomputed" in page
    assert "(just now)" in page, "the page shows the snapshot just computed"


def _queries(client, path: str) -> int:
    client.get(path)  # the first view of a session warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200 and "Figures as of" in response.content.decode()
    return len(captured)


def test_the_page_with_a_snapshot_costs_the_same_few_queries_whatever_the_history(
        history, cast, signed_in, on_worker, django_capture_on_commit_callbacks):
    client = signed_in(cast.ho_analyst)
    _computed(client, on_worker, django_capture_on_commit_callbacks, by="organisation")
    few = _queries(client, f"{PAGE}?{_params('organisation')}")
    copies_of(history, 40, "snap")
    snapshots.prune(timezone.now() + timedelta(days=40))  # nothing kept: the next one is computed over the 42
    _computed(client, on_worker, django_capture_on_commit_callbacks, by="organisation")
    many = _queries(client, f"{PAGE}?{_params('organisation')}")
    assert few == many == SNAPSHOT_PAGE_QUERIES, (few, many)


def test_past_their_limit_a_reader_is_told_plainly_and_nothing_is_asked(history, cast, signed_in, on_worker,
                                                                         settings,
                                                                         django_capture_on_commit_callbacks):
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 1
    client = signed_in(cast.ho_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"{PAGE}?{_params('year')}")
        held = client.get(f"{PAGE}?{_params('classification')}")
        button = client.post("/scrutiny/statistics/recompute/", {"by": "direction"}, follow=True)
        export = client.get(f"/scrutiny/statistics/export/?{_params('quarter')}&table=acknowledgement&format=csv")
    page = held.content.decode()
    assert held.status_code == 200 and 'data-testid="figures-held-back"' in page and "Refresh" not in held
    assert "The figures have not been asked for" in page and "1 set of figures being computed" in page
    assert 'data-testid="figure-' not in page and "Recompute now" not in page, "it would be refused too"
    assert "No more were asked for" in button.content.decode()
    assert export.status_code == 503 and "have not been asked for" in export.content.decode()
    assert len(on_worker) == 1 and StatisticsSnapshot.objects.count() == 1
