"""The personal-data record under races (PostgreSQL): each action locks the request's row first, so a save, a
submission and a confirmation never interleave, and a stale version is told it changed."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import RuleViolation, StaleObject
from dataprotection import rules, services
from dataprotection.models import DataItem, PersonalDataRecord
from sharing import services as sharing_services
from sharing.states import RequestState
from tests.integration.sharing.test_concurrency import run_together
from tests.support.requests import draft, fresh, walk

THREADS = 20


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_first_saves_at_once_make_one_record(cast):
    _needs_postgres()
    request = draft(cast.iasc_requester, personal_data_category="personal", personal_data_record=False)
    audit = AuditEvent.objects.count()

    def save(n):
        return lambda: services.save_record(request.pk, by=cast.iasc_requester, expected_version=0,
                                            fields={"retention": f"Version {n}."},
                                            items=[{"item": f"Item {n}", "reason": "Why."}])

    outcomes = run_together([save(n) for n in range(THREADS)])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    record = PersonalDataRecord.objects.get(request=request)
    assert record.version == 1 and DataItem.objects.filter(record=record).count() == 1
    assert record.retention == winners[0].retention
    assert AuditEvent.objects.count() == audit + 1 and verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_submission_racing_a_change_that_empties_the_basis_never_sends_an_incomplete_record(cast):
    _needs_postgres()
    request = draft(cast.iasc_requester, personal_data_category="special_category")  # complete, version 1
    version = request.version

    def submit():
        return sharing_services.submit(request.pk, by=cast.iasc_requester, expected_version=version)

    def empty_the_basis():
        return services.save_record(request.pk, by=cast.iasc_case_officer, expected_version=1,
                                    fields={"article6_basis": ""})

    outcomes = run_together([submit if n % 2 else empty_the_basis for n in range(THREADS)])
    assert all(isinstance(o, RuleViolation) for o in outcomes if isinstance(o, Exception)), outcomes
    final = fresh(request)
    record = rules.record_of(final)
    if final.state == RequestState.SUBMITTED:
        assert record.article6_basis and record.version == 1  # sent complete; the change came too late
    else:
        assert final.state == RequestState.DRAFT and not record.article6_basis and record.version == 2
    assert verify_stored_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_confirmations_at_once_are_recorded_once(cast):
    _needs_postgres()
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast,
                   RequestState.UNDER_ASSESSMENT)
    audit = AuditEvent.objects.count()
    people = [cast.msu_assessor, cast.ho_dpo]
    outcomes = run_together([lambda n=n: services.confirm(request.pk, by=people[n % 2], expected_version=1)
                             for n in range(THREADS)])
    assert len([o for o in outcomes if not isinstance(o, Exception)]) == 1
    assert all(isinstance(o, RuleViolation) and "already confirmed" in str(o)
               for o in outcomes if isinstance(o, Exception)), outcomes
    assert rules.record_of(fresh(request)).is_confirmed
    assert AuditEvent.objects.count() == audit + 1 and verify_stored_chain().ok
