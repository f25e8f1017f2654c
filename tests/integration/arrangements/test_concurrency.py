"""Two signatories sign off one draft arrangement at once (§16): one wins, the other is told it changed under
them; one timeline entry, one audit event, and the chain still verifies. Needs PostgreSQL's row locks."""

from __future__ import annotations

import pytest
from django.db import connection

from arrangements import services
from arrangements.models import Arrangement, ArrangementEvent
from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import StaleObject
from tests.integration.sharing.test_concurrency import run_together
from tests.support.arrangements import drafted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_at_once_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    arrangement = drafted(cast)
    events, audit = ArrangementEvent.objects.count(), AuditEvent.objects.count()
    signatories = [cast.ho_dpo, cast.ho_approver, cast.iasc_approver] * 2
    outcomes = run_together([
        (lambda who=who: services.sign_off(arrangement.pk, by=who, expected_version=1, note="Signed."))
        for who in signatories])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    final = Arrangement.objects.get(pk=arrangement.pk)
    assert (final.state, final.version, final.signed_off_by) == ("active", 2, winners[0].signed_off_by)
    assert ArrangementEvent.objects.count() == events + 1 and AuditEvent.objects.count() == audit + 1
    assert verify_stored_chain().ok
