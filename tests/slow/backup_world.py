"""The backup test's data (ADR 44), made, changed and checked in processes of their own against whichever database
and vault the environment names:

    python -m tests.slow.backup_world make --deliveries N     -> JSON: each held file's id and SHA-256, the cases
    python -m tests.slow.backup_world dispose RETENTION_ID    -> JSON: the ids of the files it shredded
    python -m tests.slow.backup_world read                    -> JSON: each held file's SHA-256 read through the vault,
                                                                 or "shredded" when its data key is gone

`make` delivers N requests of two files each (every delivery opens a retention case) and has each party sign a
checkpoint of the audit chain, so the backup holds files, audit events and signed checkpoints."""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.slow.crash_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.directory import ensure_standard_organisations  # noqa: E402
from audit.checkpointing import sign_checkpoint  # noqa: E402
from retention import services as retention  # noqa: E402
from retention.models import Retention  # noqa: E402
from sharing import services as sharing  # noqa: E402
from sharing.states import RequestState  # noqa: E402
from tests.factories import make_person  # noqa: E402
from tests.support.requests import draft, walk  # noqa: E402
from tests.support.sharing_fixtures import Cast  # noqa: E402
from vault.datakeys import DataKeyDestroyed  # noqa: E402
from vault.models import StoredFile  # noqa: E402
from vault.services import open_chunks  # noqa: E402


def tables(n: int, rows: int) -> bytes:
    return b"region,count\n" + b"".join(f"Region {n}-{row},{row * n}\n".encode() for row in range(rows))


def make(deliveries: int) -> dict:
    call_command("load_protocol", verbosity=0, stdout=open(os.devnull, "w"))
    orgs = ensure_standard_organisations()
    counter = itertools.count(1)
    cast = Cast(lambda slug, *roles, **extra: make_person(orgs[slug] if slug else None, *roles,
                                                          username=f"bk{next(counter)}", **extra))
    keep_until = timezone.localdate() + timedelta(days=400)
    for n in range(deliveries):
        request = walk(draft(cast.iasc_requester, retain_until=keep_until), cast, RequestState.AGREED)
        uploads = [SimpleUploadedFile(f"tables-{n}.csv", tables(n, 4000 + 500 * n)),  # several chunks each
                   SimpleUploadedFile(f"notes-{n}.txt", f"Notes on delivery {n}.\n".encode())]
        sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                        marking=request.classification, uploads=uploads)
    checkpoints = [sign_checkpoint(party, signed_by="backup test").count for party in settings.AUDIT_PARTIES]
    return {"files": held_files(), "retentions": list(Retention.objects.order_by("pk").values_list("pk", flat=True)),
            "disposer": cast.iasc_requester.pk, "checkpoints": checkpoints}


def held_files() -> dict[str, str]:
    """Each held file's id and the SHA-256 its delivery recorded (the delivery's row, not the vault's)."""
    return {str(stored.pk): stored.delivery_file.sha256
            for stored in StoredFile.objects.filter(disposed_at__isnull=True).select_related("delivery_file")}


def dispose(retention_id: int, disposer: int) -> dict:
    from accounts.models import User

    case = Retention.objects.select_related("delivery").get(pk=retention_id)
    shredded = [str(f.vault_file.pk) for f in case.delivery.files.select_related("vault_file")]
    retention.dispose(case, by=User.objects.get(pk=disposer), expected_version=case.version,
                      method="Disposed of after the backup, to prove it stays disposed.", confirmed=True)
    return {"shredded": shredded}


def read() -> dict:
    """Every held file read through the vault: its SHA-256, or 'shredded' when its data key is gone."""
    found = {}
    for stored in StoredFile.objects.filter(disposed_at__isnull=True).order_by("pk"):
        digest = hashlib.sha256()
        try:
            for chunk in open_chunks(stored):
                digest.update(chunk)
        except DataKeyDestroyed:
            found[str(stored.pk)] = "shredded"
        else:
            found[str(stored.pk)] = digest.hexdigest()
    return {"read": found}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("make").add_argument("--deliveries", type=int, default=6)
    d = sub.add_parser("dispose")
    d.add_argument("retention", type=int)
    d.add_argument("--by", type=int, required=True)
    sub.add_parser("read")
    args = parser.parse_args()
    if args.command == "make":
        result = make(args.deliveries)
    elif args.command == "dispose":
        result = dispose(args.retention, args.by)
    else:
        result = read()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
