"""Statistics for the real-worker test (ADR 53), made and read in processes of their own against the stack's database:

    python -m tests.slow.statistics_world old     -> JSON: a snapshot computed inline (no broker), then made stale
    python -m tests.slow.statistics_world ask     -> JSON: "Recompute now" twice (one job), with the stack's broker
    python -m tests.slow.statistics_world again   -> JSON: the newest job sent once more, as a redelivery would be
    python -m tests.slow.statistics_world state   -> JSON: the jobs, what the page serves, the audit events"""

from __future__ import annotations

import itertools
import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.slow.statistics_settings")
django.setup()

from django.utils import timezone  # noqa: E402

from accounts.directory import ensure_standard_organisations  # noqa: E402
from accounts.models import User  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from scrutiny import services, snapshots, tasks  # noqa: E402
from scrutiny.models import StatisticsSnapshot, Trigger  # noqa: E402
from sharing.states import RequestState  # noqa: E402
from tests.factories import make_person  # noqa: E402
from tests.support.requests import draft, walk  # noqa: E402
from tests.support.sharing_fixtures import Cast  # noqa: E402

ANALYST = "stats-analyst"


def _query():
    today = timezone.localdate()
    return services.parse_query({"by": "classification", "from": (today - timedelta(days=30)).isoformat()}, today)


def old() -> dict:
    orgs = ensure_standard_organisations()
    counter = itertools.count(1)

    def person(slug, *roles, **extra):
        return make_person(orgs[slug] if slug else None, *roles, username=f"stats{next(counter)}", **extra)

    cast = Cast(person)
    User.objects.filter(pk=cast.ho_analyst.pk).update(username=ANALYST)
    walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.PROVIDED)
    walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    job, _ = snapshots.request_recompute(cast.ho_analyst, _query(), trigger=Trigger.BUTTON)  # eager: computed
    StatisticsSnapshot.objects.filter(pk=job.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    return {"old": job.pk, "state": StatisticsSnapshot.objects.get(pk=job.pk).state}


def ask() -> dict:
    analyst = User.objects.get(username=ANALYST)
    first, started = snapshots.request_recompute(analyst, _query(), trigger=Trigger.BUTTON)
    second, again = snapshots.request_recompute(analyst, _query(), trigger=Trigger.BUTTON)
    return {"job": first.pk, "started": [started, again], "same": first.pk == second.pk}


def again() -> dict:
    """The newest job delivered once more, as a duplicate or late redelivery would be."""
    job = StatisticsSnapshot.objects.latest("pk")
    return {"task": tasks.recompute_statistics.delay(job.pk).id}


def state() -> dict:
    analyst = User.objects.get(username=ANALYST)
    shown = snapshots.figures(analyst, _query()) if snapshots.on_worker() else None
    return {"jobs": {row.pk: row.state for row in StatisticsSnapshot.objects.order_by("pk")},
            "served": shown.snapshot_id if shown else None,
            "audited": AuditEvent.objects.filter(action="scrutiny.statistics_recompute").count()}


if __name__ == "__main__":
    json.dump({"old": old, "ask": ask, "again": again, "state": state}[sys.argv[1]](), sys.stdout)
