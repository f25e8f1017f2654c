"""Statistics snapshots (ADR 53): the statistics page, its exports and the annual report read the stored tables
of their query when they are fresh enough; otherwise the figures are computed inline (no broker: development,
`make run`, the tests) or the recompute is enqueued on the heavy queue and the last snapshot is shown meanwhile.

Who may read is checked on every read (scrutiny.permissions), whoever asked for the computation: a snapshot
holds aggregate counts only, for every member of a party (ADR 41). Asking for a recompute is audited; the
worker's result is not (it is the same counts any reader could compute, kept with its time)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from audit.services import record_event
from concordat import limits
from concordat.errors import NotAllowed, RuleViolation
from scrutiny import permissions, report, services
from scrutiny.compliance import GROUPINGS
from scrutiny.figures import StatisticsQuery
from scrutiny.models import SnapshotState, StatisticsSnapshot, Trigger
from scrutiny.tables import Chart, Column, Table
from sharing import schedule

log = logging.getLogger(__name__)
FAILED_UNEXPECTEDLY = "The computation stopped with an unexpected error; the service team has been told."
ABANDONED = "No worker finished the computation; it was asked for again."


def on_worker() -> bool:
    """Whether recomputes run on a Celery worker (a broker is configured) or the page computes inline."""
    return bool(getattr(settings, "STATISTICS_ON_WORKER", False))


def _fresh_for() -> timedelta:
    return timedelta(seconds=getattr(settings, "STATISTICS_FRESH_SECONDS", 3600))


def _per_person() -> int:
    """How many of one person's recomputes may be computing at once (ADR 53): the pages ask for any period a
    reader opens, so varying the dates could otherwise queue thousands of jobs on the heavy queue."""
    return int(getattr(settings, "STATISTICS_RECOMPUTES_PER_PERSON", 8))


def _abandoned_after() -> timedelta:
    """A job still computing after this long lost its worker and its redeliveries (or its message): asked again."""
    return timedelta(seconds=getattr(settings, "STATISTICS_ABANDONED_SECONDS", 2 * 3600))


# What is kept (bounded storage): the latest snapshot of each query for KEEP_UNUSED; superseded ones for
# KEEP_SUPERSEDED, so an export link on a page opened before the newer figures still downloads what it showed.
KEEP_SUPERSEDED = timedelta(days=1)
KEEP_UNUSED = timedelta(days=30)


class TooManyRecomputes(RuleViolation):
    """The person already has as many recomputes computing as one person may (ADR 53): nothing was asked for."""


@dataclass(frozen=True)
class Figures:
    """What a page shows: the tables, when they were computed (None: nothing yet), and whether newer ones are
    being computed."""

    query: StatisticsQuery
    tables: list[Table]
    computed_at: datetime | None
    snapshot_id: int | None = None  # None when computed in this request
    computing: bool = False
    held_back: str = ""  # why newer figures were not asked for (the person's limit), in words; "" when they were

    @property
    def fresh(self) -> bool:
        return self.computed_at is not None and timezone.now() - self.computed_at <= _fresh_for()


def _check_reader(user) -> None:
    if not permissions.may_read_statistics(user):
        raise NotAllowed("Only members of a party to a protocol can read its statistics.")


def _of_query(query: StatisticsQuery):
    return StatisticsSnapshot.objects.filter(start=query.start, end=query.end, grouping=query.grouping)


def figures(user, query: StatisticsQuery) -> Figures:
    """The figures of the query for a page, an export or the report: the latest snapshot when it is fresh (for
    today); otherwise computed inline, or, on a worker, the recompute enqueued and the last snapshot (or none)."""
    _check_reader(user)
    latest, running = _latest_and_running(query)
    if latest is not None and _is_fresh(latest, query.today):
        return _from_snapshot(latest, query, computing=running is not None)
    if not on_worker():
        return Figures(query, services.compute_tables(query), timezone.now())
    try:
        request_recompute(user, query, trigger=Trigger.PAGE)
    except TooManyRecomputes as limit:  # said on the page; the last figures, if any, are still shown
        held_back = limit.problems[0].message
        return Figures(query, [], None, held_back=held_back) if latest is None else _from_snapshot(
            latest, query, held_back=held_back)
    if latest is None:
        return Figures(query, [], None, computing=True)
    return _from_snapshot(latest, query, computing=True)


def _latest_and_running(query: StatisticsQuery):
    """In one query: the latest computed snapshot and the running job, if any (at most one runs per query)."""
    recent = list(_of_query(query).filter(state__in=(SnapshotState.READY, SnapshotState.COMPUTING))
                  .order_by("-requested_at", "-pk")[:2])
    running = next((row for row in recent if row.state == SnapshotState.COMPUTING), None)
    latest = next((row for row in recent if row.state == SnapshotState.READY), None)
    return latest, running


def _is_fresh(snapshot: StatisticsSnapshot, today: date) -> bool:
    return snapshot.as_of_day == today and timezone.now() - snapshot.computed_at <= _fresh_for()


def _from_snapshot(snapshot: StatisticsSnapshot, query: StatisticsQuery, computing: bool = False,
                   held_back: str = "") -> Figures:
    return Figures(query, decode(snapshot.tables), snapshot.computed_at, snapshot.pk, computing, held_back)


def snapshot_figures(user, snapshot_id: str) -> Figures:
    """The snapshot a page showed, by its id, for its exports: checked for the reader now, not when computed."""
    _check_reader(user)
    text = str(snapshot_id or "").strip()[:20]
    found = (StatisticsSnapshot.objects.filter(pk=int(text), state=SnapshotState.READY).first()
             if limits.is_id(text) else None)
    if found is None:
        raise RuleViolation("Those figures have been replaced by newer ones: open the statistics page again to "
                            "download the current figures.", field="snapshot")
    query = StatisticsQuery(found.start, found.end, found.grouping, found.as_of_day)
    return _from_snapshot(found, query)


def request_recompute(by, query: StatisticsQuery, *, trigger: str) -> tuple[StatisticsSnapshot, bool]:
    """Ask for the query's figures to be computed again: (the job, whether this call started it). A job already
    running for the query is returned instead of starting another (two clicks, a beat tick meanwhile). The job
    is enqueued once the transaction commits; the last snapshot stays until the new one is ready."""
    _check_may_ask(by, trigger)
    with transaction.atomic():
        running = _of_query(query).select_for_update().filter(state=SnapshotState.COMPUTING).first()
        if running is not None and timezone.now() - running.requested_at < _abandoned_after():
            return running, False
        if running is not None:
            running.state, running.error = SnapshotState.FAILED, ABANDONED
            running.save(update_fields=["state", "error"])
        if trigger != Trigger.SCHEDULE:
            _check_within_limit(by)
        try:
            with transaction.atomic():  # the constraint decides a race that no row lock could (no row yet)
                job = StatisticsSnapshot.objects.create(
                    start=query.start, end=query.end, grouping=query.grouping, trigger=trigger,
                    requested_by=by if trigger != Trigger.SCHEDULE else None, requested_at=timezone.now())
        except IntegrityError:  # another request's job, committed meanwhile: that one is the job
            return _of_query(query).order_by("-requested_at", "-pk").first(), False
        if trigger != Trigger.SCHEDULE:
            record_event("scrutiny.statistics_recompute", by=by, obj=job, details={
                "from": query.start, "to": query.end, "by": query.grouping, "trigger": trigger})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job, True


def _check_may_ask(by, trigger: str) -> None:
    if trigger == Trigger.SCHEDULE:
        return
    if trigger == Trigger.BUTTON and not permissions.may_recompute_statistics(by):
        raise NotAllowed("Only staff of the Home Office and the Commissioner's office can recompute the "
                         "statistics.")
    _check_reader(by)


def _check_within_limit(person) -> None:
    """At most STATISTICS_RECOMPUTES_PER_PERSON of the person's jobs computing at once (ADR 53). The person's row
    is locked first, so two of their requests at once cannot both take the last place; a job past
    STATISTICS_ABANDONED_SECONDS lost its worker and no longer counts."""
    get_user_model().objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    limit = _per_person()
    computing = StatisticsSnapshot.objects.filter(
        requested_by=person, state=SnapshotState.COMPUTING,
        requested_at__gt=timezone.now() - _abandoned_after()).count()
    if computing >= limit:
        sets = "1 set" if computing == 1 else f"{computing} sets"
        raise TooManyRecomputes(
            f"You already have {sets} of figures being computed, the most one person may have at once. "
            "No more were asked for: wait a minute for those to finish, then try again.")


def _enqueue(snapshot_id: int) -> None:
    from scrutiny import tasks

    tasks.recompute_statistics.delay(snapshot_id)


def compute(snapshot_id: int) -> str:
    """The worker's half: compute the job's tables with no lock held, then keep them if the job is still
    computing. A second delivery, or a redelivery after a killed worker (acks_late) of a job already saved,
    saves nothing ("ignored"); a killed worker leaves the job computing and the older snapshot shown. Each saved
    snapshot prunes what is past keeping: one DELETE, over a table that pruning keeps to a month's queries."""
    job = StatisticsSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.COMPUTING).first()
    if job is None:
        return "ignored"
    today = schedule.today()
    tables = encode(services.compute_tables(StatisticsQuery(job.start, job.end, job.grouping, today)))
    with transaction.atomic():
        locked = (StatisticsSnapshot.objects.select_for_update()
                  .filter(pk=snapshot_id, state=SnapshotState.COMPUTING).first())
        if locked is None:
            return "ignored"
        locked.tables, locked.as_of_day, locked.computed_at = tables, today, timezone.now()
        locked.state = SnapshotState.READY
        locked.save(update_fields=["tables", "as_of_day", "computed_at", "state"])
    prune()  # on write as well as on the schedule's tick: with no broker (`make run`) no tick ever prunes
    return SnapshotState.READY


def mark_failed(snapshot_id: int) -> None:
    """After the last retry: the job stops computing (a new one may be asked for); the older snapshot stays."""
    StatisticsSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.COMPUTING).update(
        state=SnapshotState.FAILED, error=FAILED_UNEXPECTEDLY)


def default_queries(today: date) -> list[StatisticsQuery]:
    """What the schedule keeps fresh: each grouping over the page's default period, and the annual report of last
    year and of this one (the page links to the report of its period's last year)."""
    return [StatisticsQuery(services.default_start(today), today, grouping, today) for grouping in GROUPINGS] + [
        report.report_query(today.year - 1, today), report.report_query(today.year, today)]


def refresh_defaults() -> list[int]:
    """The beat's tick: a recompute of each default query (none where one is running), then the pruning."""
    today = schedule.today()
    started = [job.pk for job, new in (request_recompute(None, query, trigger=Trigger.SCHEDULE)
                                       for query in default_queries(today)) if new]
    prune()
    return started


def prune(now: datetime | None = None) -> int:
    """Bounded storage: drop snapshots superseded for a day and failed jobs older than a day, and a query's latest
    snapshot once nobody has asked for that query for 30 days. Running jobs are kept."""
    now = now or timezone.now()
    newest_of_query = (StatisticsSnapshot.objects.filter(start=OuterRef("start"), end=OuterRef("end"),
                                                         grouping=OuterRef("grouping"), state=SnapshotState.READY)
                       .order_by("-computed_at", "-pk").values("pk")[:1])
    superseded = Q(state=SnapshotState.READY, computed_at__lt=now - KEEP_SUPERSEDED) & ~Q(pk=Subquery(newest_of_query))
    failed = Q(state=SnapshotState.FAILED, requested_at__lt=now - KEEP_SUPERSEDED)
    unused = Q(state=SnapshotState.READY, computed_at__lt=now - KEEP_UNUSED)
    deleted, _ = StatisticsSnapshot.objects.filter(superseded | failed | unused).delete()
    return deleted


# Tables as JSON: dates tagged, everything else a JSON value already (counts, labels, None).

def encode(tables: list[Table]) -> list[dict]:
    return [{**asdict(table), "rows": [[_value(value) for value in row] for row in table.rows]} for table in tables]


def _value(value):
    return {"date": value.isoformat()} if isinstance(value, date) else value


def decode(stored: list[dict]) -> list[Table]:
    return [Table(key=item["key"], title=item["title"], clause=item["clause"],
                  columns=tuple(Column(**column) for column in item["columns"]),
                  rows=tuple(tuple(_read(value) for value in row) for row in item["rows"]),
                  chart=_chart(item["chart"]), notes=tuple(item["notes"]), links=tuple(item["links"]),
                  marking=item["marking"]) for item in stored]


def _chart(stored: dict | None) -> Chart | None:
    return None if stored is None else Chart(tuple(stored["label_columns"]), stored["value_column"],
                                             stored["value_label"])


def _read(value):
    return date.fromisoformat(value["date"]) if isinstance(value, dict) else value
