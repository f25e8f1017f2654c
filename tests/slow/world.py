"""The crash tests' data, made and checked in a process of its own against the stack's database (ADR 40):

    python -m tests.slow.world base                                      -> the protocol and organisations, once
    python -m tests.slow.world prepare PREFIX --submitted N --agreed M   -> JSON: tokens and [id, version] lists
    python -m tests.slow.world check --submitted IDS --agreed IDS        -> JSON: what is not whole, the vault's state
    python -m tests.slow.world notifications --cases IDS                 -> JSON: notification rows of those requests

Each request is either wholly changed or untouched: its state, version, timeline and (for a delivery) its delivery,
file row, stored file and ciphertext all agree. The audit chain is checked by `manage.py verify_audit --state`."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.slow.crash_settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.directory import ensure_standard_organisations  # noqa: E402
from sharing.cases import REQUESTS  # noqa: E402
from sharing.models import Delivery, Request  # noqa: E402
from sharing.states import RequestState  # noqa: E402
from tests.factories import make_person  # noqa: E402
from tests.support.requests import DECIDED, draft, walk  # noqa: E402
from tests.support.sharing_fixtures import Cast  # noqa: E402
from tests.support.tokens import api_token_for  # noqa: E402
from vault import sweep  # noqa: E402
from vault.models import StoredFile  # noqa: E402
from vault.services import storage  # noqa: E402
from workflow.models import Notification  # noqa: E402


def base() -> dict:
    """What every preparation shares, made once before they run side by side."""
    call_command("load_protocol", verbosity=0, stdout=open(os.devnull, "w"))
    return {"organisations": len(ensure_standard_organisations())}


def prepare(prefix: str, submitted: int, agreed: int) -> dict:
    orgs = ensure_standard_organisations()
    counter = itertools.count(1)

    def person(slug, *roles, **extra):
        return make_person(orgs[slug] if slug else None, *roles, username=f"{prefix}{next(counter)}", **extra)

    cast = Cast(person)
    ready = [walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED) for _ in range(submitted)]
    decided = [walk(draft(cast.iasc_requester), cast, DECIDED) for _ in range(agreed)]
    return {
        "spoc_token": api_token_for(cast.spoc), "assessor_token": api_token_for(cast.msu_assessor),
        "submitted": [[r.pk, r.version] for r in ready],
        "agreed": [[r.pk, r.version, r.classification] for r in decided],
    }


def _acknowledge_whole(request: Request, version: int) -> str:
    events = request.events.filter(action="acknowledge").count()
    if (request.state, request.version, events) in {(RequestState.SUBMITTED, version, 0),
                                                     (RequestState.ACKNOWLEDGED, version + 1, 1)}:
        return "changed" if events else "untouched"
    return f"partial: {request.state} v{request.version}, {events} acknowledge entries"


def _delivery_whole(request: Request, version: int) -> str:
    deliveries = list(Delivery.objects.filter(request=request).prefetch_related("files"))
    files = [f for d in deliveries for f in d.files.all()]
    stored = list(StoredFile.objects.filter(delivery_file__in=files))
    events = request.events.filter(action="deliver").count()
    if (request.state, request.version, events, len(deliveries), len(files)) == (
            RequestState.AGREED, version, 0, 0, 0):
        return "untouched"
    if (request.state, request.version, events, len(deliveries), len(files), len(stored)) == (
            RequestState.PROVIDED, version + 1, 1, 1, 1, 1) and storage().exists(stored[0].storage_name):
        return "changed"
    return (f"partial: {request.state} v{request.version}, {events} entries, {len(deliveries)} deliveries, "
            f"{len(files)} files, {len(stored)} stored")


def check(submitted: list[list[int]], agreed: list[list[int]]) -> dict:
    outcomes = {}
    for kind, pairs, judge in [("acknowledge", submitted, _acknowledge_whole), ("deliver", agreed, _delivery_whole)]:
        for pk, version, *_ in pairs:
            outcomes[f"{kind}:{pk}"] = judge(Request.objects.get(pk=pk), version)
    keys_without_ciphertext = [s.storage_name for s in StoredFile.objects.filter(disposed_at__isnull=True)
                               if not storage().exists(s.storage_name)]
    return {"outcomes": outcomes, "keys_without_ciphertext": keys_without_ciphertext,
            "orphan_ciphertexts": sweep.orphans(timedelta(0)), "orphan_keys": [str(k) for k in sweep.orphan_keys()]}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("prefix")
    p.add_argument("--submitted", type=int, default=0)
    p.add_argument("--agreed", type=int, default=0)
    c = sub.add_parser("check")
    c.add_argument("--submitted", default="[]")
    c.add_argument("--agreed", default="[]")
    sub.add_parser("base")
    n = sub.add_parser("notifications")
    n.add_argument("--cases", default="[]")
    args = parser.parse_args()
    if args.command == "prepare":
        result = prepare(args.prefix, args.submitted, args.agreed)
    elif args.command == "base":
        result = base()
    elif args.command == "notifications":
        result = {"count": Notification.objects.filter(case_kind=REQUESTS.kind,
                                                       case_id__in=json.loads(args.cases)).count()}
    else:
        result = check(json.loads(args.submitted), json.loads(args.agreed))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
