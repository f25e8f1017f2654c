"""A release for the real-worker test (ADR 51), made and read in a process of its own against the stack's database:

    python -m tests.slow.release_world draft      -> JSON: the release's id and the version its job is for
    python -m tests.slow.release_world state ID   -> JSON: its protection, version and how many results were saved

`draft` runs with the stack's broker: the job goes to Redis on commit, and is then sent a second time, as a
redelivery would, so the worker receives it twice."""

from __future__ import annotations

import itertools
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.slow.crash_settings")
django.setup()

from accounts.directory import ensure_standard_organisations  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from releases import tasks  # noqa: E402
from releases.models import Release  # noqa: E402
from releases.states import ReleaseAction  # noqa: E402
from tests.factories import make_person  # noqa: E402
from tests.support.releases import csv_upload, drafted, records, uploaded  # noqa: E402
from tests.support.sharing_fixtures import Cast  # noqa: E402


def draft() -> dict:
    orgs = ensure_standard_organisations()
    counter = itertools.count(1)

    def person(slug, *roles, **extra):
        return make_person(orgs[slug] if slug else None, *roles, username=f"rel{next(counter)}", **extra)

    cast = Cast(person)
    dataset = uploaded(cast.msu_assessor, csv_upload(records(2_000)))
    release = drafted(cast, dataset)
    tasks.protect.delay(release.pk, release.protection_version)  # the same job again
    return {"release": release.pk, "version": release.protection_version, "protection": release.protection}


def state(pk: int) -> dict:
    release = Release.objects.get(pk=pk)
    return {"protection": release.protection, "version": release.version, "cells": len(release.result.get("cells", [])),
            "saved": release.events.filter(action=ReleaseAction.PROTECTED).count(),
            "audited": AuditEvent.objects.filter(action="releases.protected", object_id=str(pk)).count()}


if __name__ == "__main__":
    command = sys.argv[1]
    json.dump(draft() if command == "draft" else state(int(sys.argv[2])), sys.stdout)
