"""A release's protection on a Celery worker (ADR 51): drafting or revising records the job and enqueues it only
once the transaction commits; the task saves exactly one result for the version it was asked for, whatever how
often it is delivered; a stale job saves nothing; the wrong person enqueues nothing; a failure is told in words.

Celery is eager here (no broker): each test captures the on-commit callbacks to see what would be enqueued, and
runs the task itself, as a worker would, as many times as it likes."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation
from releases import engine, services, tasks
from releases.models import Protection, Release
from releases.states import ReleaseAction
from tests.support.releases import TABLE, drafted

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_worker(settings, monkeypatch):
    settings.RELEASES_PROTECT_ON_WORKER = True
    enqueued = []
    monkeypatch.setattr(tasks.protect, "delay", lambda *args: enqueued.append(args))
    return enqueued


def _protected_events(release) -> int:
    return release.events.filter(action=ReleaseAction.PROTECTED).count()


def test_drafting_records_the_job_and_enqueues_it_only_after_commit(cast, dataset, on_worker,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release = drafted(cast, dataset)
    assert on_worker == [], "nothing is enqueued before the transaction commits"
    release.refresh_from_db()
    assert (release.protection, release.result, release.protection_version) == (Protection.PROTECTING, {}, 1)
    assert release.protection_requested_by == cast.msu_assessor and release.protection_requested_at is not None
    drafted_event = AuditEvent.objects.filter(action="releases.draft").get()
    assert drafted_event.details["protection"] == "enqueued"
    for callback in callbacks:
        callback()
    assert on_worker == [(release.pk, 1)]


def test_a_refused_draft_enqueues_nothing(cast, dataset, on_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuleViolation) as refused:
        drafted(cast, dataset, spec={"dimensions": ["shoe_size"], "measure": "count"})
    assert refused.value.problems[0].field == "dimensions"
    assert on_worker == [] and Release.objects.count() == 0


def test_the_task_saves_the_preview_once_however_often_it_is_delivered(cast, dataset, on_worker,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    (pk, version), = on_worker
    assert tasks.protect(pk, version) == Protection.READY
    # Delivered again (a redelivery after its worker died with acks_late, or a duplicate): nothing more is saved.
    assert tasks.protect(pk, version) == "ignored"
    release.refresh_from_db()
    assert release.protection == Protection.READY and release.result["counts"]["primary"] >= 0
    assert release.version == 2, "the result raises the version: a page opened before it is stale"
    assert _protected_events(release) == 1
    assert AuditEvent.objects.filter(action="releases.protected").count() == 1


def test_a_stale_job_saves_nothing_and_the_newer_one_is_kept(cast, dataset, on_worker,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
        release = services.revise(release, by=cast.msu_assessor, expected_version=1,
                                  spec={**TABLE, "dimensions": ["gender"]})
    assert on_worker == [(release.pk, 1), (release.pk, 2)]
    assert tasks.protect(release.pk, 2) == Protection.READY
    assert tasks.protect(release.pk, 1) == "ignored", "the older job arrives late"
    release.refresh_from_db()
    assert release.result["dimensions"] == ["gender"] and _protected_events(release) == 1


def test_a_revision_while_the_engine_runs_wins_over_the_result_being_computed(cast, dataset, on_worker, monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    computing = services._protected

    def revised_meanwhile(*args, **kwargs):
        result = computing(*args, **kwargs)
        services.revise(release.pk, by=cast.msu_assessor, expected_version=1, title="Changed meanwhile")
        return result

    monkeypatch.setattr(services, "_protected", revised_meanwhile)
    assert tasks.protect(release.pk, 1) == "ignored"
    release.refresh_from_db()
    assert (release.protection, release.protection_version, release.result) == (Protection.PROTECTING, 2, {})
    assert _protected_events(release) == 0


def test_the_wrong_person_cannot_ask_for_a_protection(cast, dataset, checkers, on_worker,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    on_worker.clear()
    for someone in (checkers.first, cast.iasc_requester):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
            services.revise(release, by=someone, expected_version=1, spec={**TABLE, "dimensions": ["gender"]})
    assert on_worker == []
    release.refresh_from_db()
    assert release.version == 1 and release.spec["dimensions"] == TABLE["dimensions"]


def test_it_cannot_be_submitted_until_its_preview_is_saved(cast, dataset, on_worker,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    with pytest.raises(RuleViolation, match="not ready"):
        services.submit(release, by=cast.msu_assessor, expected_version=1)
    tasks.protect(release.pk, 1)
    with pytest.raises(RuleViolation, match="version"):
        services.submit(release, by=cast.msu_assessor, expected_version=1)  # the page from before the result
    assert services.submit(release, by=cast.msu_assessor, expected_version=2).state == "checking"


def test_a_failure_is_saved_in_words_and_a_revision_tries_again(cast, dataset, on_worker, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)

    def broken(*args, **kwargs):
        raise MemoryError("the engine ran out")

    monkeypatch.setattr(engine, "table_preview", broken)
    assert tasks.protect(release.pk, 1) == Protection.FAILED
    release.refresh_from_db()
    assert release.protection_error == services.FAILED_UNEXPECTEDLY and "ran out" not in release.protection_error
    with pytest.raises(RuleViolation, match="not ready"):
        services.submit(release, by=cast.msu_assessor, expected_version=release.version)
    monkeypatch.undo()
    on_worker_again = []
    monkeypatch.setattr(tasks.protect, "delay", lambda *args: on_worker_again.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        release = services.revise(release, by=cast.msu_assessor, expected_version=release.version)
    assert on_worker_again == [(release.pk, release.version)]
    assert tasks.protect(*on_worker_again[0]) == Protection.READY


def test_the_page_says_protecting_with_a_refresh_then_shows_the_result(cast, dataset, on_worker, signed_in,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    author = signed_in(cast.msu_assessor)
    page = author.get(f"/outputs/releases/{release.pk}/").content.decode()
    assert "Protecting the table…" in page and 'data-testid="refresh"' in page
    assert 'data-testid="action-submit"' not in page and 'data-testid="preview"' not in page
    tasks.protect(release.pk, 1)
    page = author.get(f"/outputs/releases/{release.pk}/").content.decode()
    assert "Protecting the table…" not in page and 'data-testid="preview"' in page
    assert 'data-testid="action-submit"' in page and "Protected on a worker" in page


def test_the_page_tells_a_failure_in_words_never_a_500(cast, dataset, on_worker, signed_in, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    monkeypatch.setattr(engine, "table_preview", lambda *a, **k: 1 / 0)
    tasks.protect(release.pk, 1)
    response = signed_in(cast.msu_assessor).get(f"/outputs/releases/{release.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "The protection failed" in page
    assert "unexpected error" in page and 'data-testid="action-submit"' not in page


def test_eager_with_on_commit_runs_the_whole_job(cast, dataset, settings, django_capture_on_commit_callbacks):
    """With the worker path on and Celery eager (no broker), the job runs right after commit, as on a worker."""
    settings.RELEASES_PROTECT_ON_WORKER = True
    with django_capture_on_commit_callbacks(execute=True):
        release = drafted(cast, dataset)
    release.refresh_from_db()
    assert release.protection == Protection.READY and release.version == 2 and release.result["cells"]
