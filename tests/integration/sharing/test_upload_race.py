"""Two deliveries of one agreed request at once, each with files that pass the checks (ADR 28): one wins, the other
is told the request changed, and only the winner's files are stored (the loser's checked upload leaves nothing in
the vault); the flagged cells on the winner's event are its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from audit.models import AuditEvent
from concordat.errors import StaleObject
from sharing import services
from sharing.models import DeliveryFile
from sharing.states import RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.requests import draft, fresh, walk
from vault import services as vault_services

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_store_only_the_winners_files(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    version = request.version

    def deliver(number):
        def call():
            upload = SimpleUploadedFile(f"tables-{number}.csv", f"region,note\nWales,=cmd|' /C calc'!A{number}\n".encode())
            return services.deliver(request.pk, by=cast.msu_assessor, expected_version=version,
                                    description=f"Tables {number}", marking="OFFICIAL", uploads=[upload])
        return call

    outcomes = run_together([deliver(n) for n in range(THREADS)])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1 and all(isinstance(o, StaleObject) for o in outcomes if o is not winners[0])
    stored = DeliveryFile.objects.get()
    root = Path(vault_services.storage().location)  # deliveries are stored in the vault (ADR 27)
    assert [path.name for path in root.rglob("*") if path.is_file()] == [Path(stored.vault_file.storage_name).name]
    number = int(stored.original_name.removeprefix("tables-").removesuffix(".csv"))
    event = AuditEvent.objects.get(action="sharing.deliver")
    assert event.details["files"][0]["flagged"]["cells"][0]["starts"] == f"=cmd|' /C calc'!A{number}"
    assert fresh(request).state == RequestState.PROVIDED
