"""Statistics snapshots (ADR 53): fresh, stale and absent; the job keyed so that two requests or a tick during a
running job compute once; a job killed or failing leaves the older snapshot shown; who may ask for a recompute
and who may read a snapshot, checked on read; bounded storage.

Celery is eager here (no broker): each test on the worker path captures what would be enqueued, and runs the
task itself, as a worker would, as many times as it likes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation
from scrutiny import services, snapshots, tasks
from scrutiny.models import SnapshotState, StatisticsSnapshot, Trigger
from scrutiny.tables import Chart, Column, Table
from sharing.states import RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
RECOMPUTES = "scrutiny.statistics_recompute"


def _query(by="all"):
    today = timezone.localdate()
    return services.parse_query({"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat(),
                                 "by": by}, today)


def _computed(cast, query, on_worker, capture) -> StatisticsSnapshot:
    with capture(execute=True):
        job, started = snapshots.request_recompute(cast.ho_analyst, query, trigger=Trigger.BUTTON)
    assert started and on_worker[-1] == (job.pk,)
    assert tasks.recompute_statistics(job.pk) == SnapshotState.READY
    job.refresh_from_db()
    return job


def test_without_a_worker_the_figures_are_computed_inline_and_nothing_is_stored(history, cast):
    shown = snapshots.figures(cast.commissioner, _query())
    assert shown.tables == services.statistics(cast.commissioner, _query())
    assert shown.snapshot_id is None and shown.computed_at is not None and not shown.computing
    assert StatisticsSnapshot.objects.count() == 0 and AuditEvent.objects.filter(action=RECOMPUTES).count() == 0


def test_absent_figures_are_asked_for_once_and_shown_as_being_computed(history, cast, on_worker,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        shown = snapshots.figures(cast.iasc_requester, _query())
    assert (shown.tables, shown.computed_at, shown.computing) == ([], None, True)
    assert on_worker == [], "nothing is enqueued before the transaction commits"
    for callback in callbacks:
        callback()
    [job] = StatisticsSnapshot.objects.all()
    assert on_worker == [(job.pk,)] and (job.state, job.trigger) == (SnapshotState.COMPUTING, Trigger.PAGE)
    with django_capture_on_commit_callbacks(execute=True):
        again = snapshots.figures(cast.commissioner, _query())
    assert again.computing and StatisticsSnapshot.objects.count() == 1 and len(on_worker) == 1
    [event] = AuditEvent.objects.filter(action=RECOMPUTES)
    assert event.details["trigger"] == "page" and event.actor_id == cast.iasc_requester.pk


def test_the_worker_keeps_what_the_page_would_have_computed_once_however_often_it_is_delivered(
        history, cast, on_worker, django_capture_on_commit_callbacks):
    job = _computed(cast, _query("classification"), on_worker, django_capture_on_commit_callbacks)
    assert job.state == SnapshotState.READY and job.as_of_day == timezone.localdate()
    assert tasks.recompute_statistics(job.pk) == "ignored", "a second delivery saves nothing"
    shown = snapshots.figures(cast.commissioner, _query("classification"))
    assert shown.tables == services.statistics(cast.commissioner, _query("classification"))
    assert (shown.snapshot_id, shown.computed_at, shown.computing, shown.fresh) == (job.pk, job.computed_at, False,
                                                                                    True)


def test_a_stale_snapshot_is_shown_while_newer_figures_are_computed(history, cast, on_worker,
                                                                    django_capture_on_commit_callbacks):
    old = _computed(cast, _query(), on_worker, django_capture_on_commit_callbacks)
    StatisticsSnapshot.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)  # a newer request, not yet in the old figures
    with django_capture_on_commit_callbacks(execute=True):
        shown = snapshots.figures(cast.commissioner, _query())
    assert shown.snapshot_id == old.pk and shown.computing and not shown.fresh
    assert shown.tables[0].as_dicts()[0]["received"] == 2
    (newer,) = on_worker[-1]
    assert newer != old.pk and tasks.recompute_statistics(newer) == SnapshotState.READY
    latest = snapshots.figures(cast.commissioner, _query())
    assert latest.snapshot_id == newer and latest.tables[0].as_dicts()[0]["received"] == 3


def test_a_snapshot_of_yesterday_is_stale_whatever_its_age(history, cast, on_worker,
                                                          django_capture_on_commit_callbacks):
    old = _computed(cast, _query(), on_worker, django_capture_on_commit_callbacks)
    StatisticsSnapshot.objects.filter(pk=old.pk).update(as_of_day=old.as_of_day - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.figures(cast.commissioner, _query()).computing


def test_a_job_killed_or_failing_leaves_the_older_snapshot_shown(history, cast, on_worker, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    old = _computed(cast, _query(), on_worker, django_capture_on_commit_callbacks)
    StatisticsSnapshot.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = snapshots.request_recompute(cast.commissioner, _query(), trigger=Trigger.BUTTON)

    def killed(query):
        raise RuntimeError("the worker died here")

    monkeypatch.setattr(services, "compute_tables", killed)
    with pytest.raises(RuntimeError):
        snapshots.compute(job.pk)
    job.refresh_from_db()
    assert job.state == SnapshotState.COMPUTING and job.tables == [], "redelivered (acks_late), it runs again"
    assert snapshots.figures(cast.commissioner, _query()).snapshot_id == old.pk
    outcome = tasks.recompute_statistics.apply(args=(job.pk,), retries=tasks.MAX_RETRIES, throw=False)
    assert outcome.result == "failed"
    job.refresh_from_db()
    assert job.state == SnapshotState.FAILED and job.error == snapshots.FAILED_UNEXPECTEDLY
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.figures(cast.commissioner, _query()).snapshot_id == old.pk
    assert on_worker[-1] != (job.pk,), "the next page view asks again"


def test_a_job_nobody_finished_is_asked_for_again(cast, on_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lost, _ = snapshots.request_recompute(cast.commissioner, _query(), trigger=Trigger.BUTTON)
    StatisticsSnapshot.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        again, started = snapshots.request_recompute(cast.commissioner, _query(), trigger=Trigger.BUTTON)
    lost.refresh_from_db()
    assert started and again.pk != lost.pk and (lost.state, lost.error) == (SnapshotState.FAILED, snapshots.ABANDONED)


@pytest.mark.parametrize("who", ["nobody", "dwp_officer", "researcher"])
def test_the_wrong_person_or_organisation_cannot_ask_for_a_recompute(cast, on_worker, who,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        snapshots.request_recompute(getattr(cast, who), _query(), trigger=Trigger.BUTTON)
    assert on_worker == [] and StatisticsSnapshot.objects.count() == 0
    assert AuditEvent.objects.filter(action=RECOMPUTES).count() == 0


def test_staff_of_either_party_may_ask_and_it_is_audited(cast, on_worker, django_capture_on_commit_callbacks):
    for someone in (cast.ho_analyst, cast.iasc_requester):
        StatisticsSnapshot.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            job, started = snapshots.request_recompute(someone, _query(), trigger=Trigger.BUTTON)
        assert started and job.requested_by == someone
    events = AuditEvent.objects.filter(action=RECOMPUTES).order_by("sequence")
    assert [(event.actor_id, event.details["trigger"], event.details["by"]) for event in events] == [
        (cast.ho_analyst.pk, "button", "all"), (cast.iasc_requester.pk, "button", "all")]


def test_a_snapshot_is_read_only_by_who_may_read_statistics_now(cast, on_worker, history,
                                                               django_capture_on_commit_callbacks):
    job = _computed(cast, _query(), on_worker, django_capture_on_commit_callbacks)
    assert snapshots.snapshot_figures(cast.dwp_officer, str(job.pk)).tables  # every member reads counts (ADR 41)
    cast.ho_analyst.is_active = False  # the person who asked for it, since left
    cast.ho_analyst.save()
    for reader in (cast.ho_analyst, cast.nobody):
        with pytest.raises(NotAllowed):
            snapshots.snapshot_figures(reader, str(job.pk))
        with pytest.raises(NotAllowed):
            snapshots.figures(reader, _query())


@pytest.mark.parametrize("given", ["", "abc", "-1", "1e3", "99999999", "1' OR 1=1", "9" * 19, "9" * 40, "٣"])
def test_a_malformed_or_unknown_snapshot_is_refused_naming_the_field(cast, given):
    with pytest.raises(RuleViolation) as refused:
        snapshots.snapshot_figures(cast.commissioner, given)
    assert refused.value.problems[0].field == "snapshot"


def test_a_snapshot_still_computing_is_not_read_as_figures(cast, on_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = snapshots.request_recompute(cast.commissioner, _query(), trigger=Trigger.BUTTON)
    with pytest.raises(RuleViolation):
        snapshots.snapshot_figures(cast.commissioner, str(job.pk))


def test_the_schedule_refreshes_each_default_query_once_and_unaudited(cast, on_worker,
                                                                      django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        started = snapshots.refresh_defaults()
    expected = snapshots.default_queries(today)
    assert len(started) == len(expected) == 9 and len(on_worker) == 9  # seven groupings, two annual reports
    assert {(job.start, job.end, job.grouping) for job in StatisticsSnapshot.objects.all()} == {
        (query.start, query.end, query.grouping) for query in expected}
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.refresh_defaults() == [], "a tick while the jobs run starts none"
    assert AuditEvent.objects.filter(action=RECOMPUTES).count() == 0


def test_old_snapshots_are_pruned_and_the_latest_and_running_ones_kept(cast):
    now = timezone.now()

    def snapshot(days_old, state=SnapshotState.READY, grouping="all"):
        when = now - timedelta(days=days_old)
        return StatisticsSnapshot.objects.create(start=date(2025, 1, 1), end=date(2026, 1, 1), grouping=grouping,
                                                 trigger=Trigger.SCHEDULE, requested_at=when, state=state,
                                                 computed_at=when if state == SnapshotState.READY else None)

    superseded, latest, running = snapshot(3), snapshot(2), snapshot(5, SnapshotState.COMPUTING)
    recent_superseded, newest = snapshot(0.1, grouping="year"), snapshot(0.05, grouping="year")
    failed, unused = snapshot(2, SnapshotState.FAILED, grouping="quarter"), snapshot(31, grouping="direction")
    assert snapshots.prune(now) == 3
    assert set(StatisticsSnapshot.objects.values_list("pk", flat=True)) == {
        latest.pk, running.pk, recent_superseded.pk, newest.pk}
    assert not StatisticsSnapshot.objects.filter(pk__in=(superseded.pk, failed.pk, unused.pk)).exists()


def test_tables_come_back_from_storage_as_they_went_in():
    table = Table(key="k", title="T", clause="§12", columns=(Column("day", "Day"), Column("n", "N", True)),
                  rows=((date(2026, 1, 2), 3), ("Q1", None)), chart=Chart(("day",), "n", "Count"),
                  notes=("a note",), links=("", ""), marking="OFFICIAL")
    assert snapshots.decode(snapshots.encode([table])) == [table]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_clicks_at_once_start_one_job(cast, on_worker):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections meeting at the unique constraint")
    outcomes = run_together([lambda: snapshots.request_recompute(cast.commissioner, _query(),
                                                                 trigger=Trigger.BUTTON) for _ in range(10)])
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert len({job.pk for job, _ in outcomes}) == 1 and sum(started for _, started in outcomes) == 1
    assert StatisticsSnapshot.objects.count() == 1 and len(on_worker) == 1
    assert AuditEvent.objects.filter(action=RECOMPUTES).count() == 1


def _period(days, by="all"):
    today = timezone.localdate()
    return services.parse_query({"from": (today - timedelta(days=days)).isoformat(), "to": today.isoformat(),
                                 "by": by}, today)


def test_a_person_past_their_limit_asks_for_nothing_more_and_is_told(history, cast, on_worker, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 3
    reader = cast.dwp_officer
    with django_capture_on_commit_callbacks(execute=True):
        shown = [snapshots.figures(reader, _period(days)) for days in (10, 20, 30, 40)]
    assert [figures.computing for figures in shown] == [True, True, True, False]
    assert "3 sets of figures being computed" in shown[-1].held_back and shown[-1].tables == []
    assert len(on_worker) == 3 and AuditEvent.objects.filter(action=RECOMPUTES).count() == 3
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(snapshots.TooManyRecomputes):
        snapshots.request_recompute(cast.ho_analyst, _period(10), trigger=Trigger.BUTTON)  # another's job: found
        snapshots.request_recompute(reader, _period(50), trigger=Trigger.PAGE)
    with django_capture_on_commit_callbacks(execute=True):  # the schedule and other people are not held back
        assert snapshots.figures(cast.commissioner, _period(40)).computing
        assert len(snapshots.refresh_defaults()) == 9
    assert tasks.recompute_statistics(on_worker[0][0]) == SnapshotState.READY  # one of theirs finishes: a place
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.figures(reader, _period(50)).computing


def test_a_lost_job_no_longer_counts_against_its_person(cast, on_worker, settings,
                                                         django_capture_on_commit_callbacks):
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 1
    with django_capture_on_commit_callbacks(execute=True):
        lost, _ = snapshots.request_recompute(cast.commissioner, _period(10), trigger=Trigger.BUTTON)
        with pytest.raises(snapshots.TooManyRecomputes):
            snapshots.request_recompute(cast.commissioner, _period(20), trigger=Trigger.BUTTON)
    StatisticsSnapshot.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.request_recompute(cast.commissioner, _period(20), trigger=Trigger.BUTTON)[1]


def test_past_the_limit_a_stale_snapshot_is_shown_saying_newer_figures_were_not_asked_for(
        history, cast, on_worker, settings, django_capture_on_commit_callbacks):
    old = _computed(cast, _query(), on_worker, django_capture_on_commit_callbacks)
    StatisticsSnapshot.objects.filter(pk=old.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 1
    with django_capture_on_commit_callbacks(execute=True):
        snapshots.request_recompute(cast.commissioner, _period(10), trigger=Trigger.BUTTON)
        shown = snapshots.figures(cast.commissioner, _query())
    assert (shown.snapshot_id, shown.computing) == (old.pk, False) and shown.tables and shown.held_back
    assert StatisticsSnapshot.objects.filter(state=SnapshotState.COMPUTING).count() == 1


def test_each_saved_snapshot_prunes_what_is_past_keeping_without_a_schedule(history, cast,
                                                                            django_capture_on_commit_callbacks):
    """With no broker (`make run`) nothing ticks: the button's snapshots are pruned as each is saved."""
    saved = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):  # eager Celery: computed as the request commits
            job, _ = snapshots.request_recompute(cast.commissioner, _query(), trigger=Trigger.BUTTON)
        assert set(StatisticsSnapshot.objects.values_list("pk", flat=True)) == {job.pk}, \
            "the one it superseded, computed over a day ago, was dropped as it was saved"
        saved.append(job.pk)
        StatisticsSnapshot.objects.update(computed_at=timezone.now() - timedelta(days=2))
    assert len(set(saved)) == 3
    with CaptureQueriesContext(connection) as pruning:
        snapshots.prune()
    assert len(pruning) == 1, "one DELETE, whatever is kept"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_persons_requests_at_once_cannot_pass_their_limit(cast, on_worker, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections meeting at the person's row lock")
    settings.STATISTICS_RECOMPUTES_PER_PERSON = 3
    outcomes = run_together([lambda days=days: snapshots.request_recompute(
        cast.commissioner, _period(days), trigger=Trigger.PAGE) for days in range(10, 20)])
    refused = [outcome for outcome in outcomes if isinstance(outcome, snapshots.TooManyRecomputes)]
    assert len(refused) == 7 and len(outcomes) - len(refused) == 3, outcomes
    assert StatisticsSnapshot.objects.count() == 3 and len(on_worker) == 3
