"""Background work for the statistics (ADR 53), on the heavy queue: a snapshot's recompute, and the schedule's
refresh of the default queries (CELERY_BEAT_SCHEDULE).

Acknowledged late (settings, ADR 40): a worker killed mid-job leaves the job to be delivered again, and the
snapshot shown meanwhile is the older one; `snapshots.compute` keeps one result per job however often it runs.
An error is retried with a growing delay; after the last retry the job is marked failed, so the next page view
or tick asks again."""

from __future__ import annotations

from celery import shared_task

from scrutiny import snapshots

MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES)
def recompute_statistics(self, snapshot_id: int) -> str:
    try:
        return snapshots.compute(snapshot_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            snapshots.log.exception("statistics recompute failed", extra={"snapshot": snapshot_id})
            snapshots.mark_failed(snapshot_id)
            return "failed"
        raise self.retry(exc=error, countdown=30 * 2 ** self.request.retries) from error


@shared_task
def refresh_statistics() -> list[int]:
    return snapshots.refresh_defaults()
