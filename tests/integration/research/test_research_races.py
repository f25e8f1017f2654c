"""Races on research projects, on PostgreSQL: two providers record the same survivor's choice at once, and the
contracts team approves twice at once; exactly one wins each time, the others are told the project changed."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEvent
from concordat.errors import StaleObject
from research import services
from research.models import Participation
from tests.integration.sharing.test_concurrency import run_together
from tests.support.research import approved, fresh, reviewed, today, under_review

RACERS = 6


def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_choices_for_one_survivor_record_exactly_one(rc):
    needs_postgres()
    project = approved(rc)
    version = fresh(project).version
    outcomes = run_together([lambda: services.record_choice(
        project.pk, by=rc.tsa_reviewer, expected_version=version, case_identifier="TSA-2021-0001",
        told_on=today(), agreed=True, scope="interview") for _ in range(RACERS)])
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1 and Participation.objects.count() == 1, outcomes
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_approvals_approve_once(rc):
    needs_postgres()
    project = reviewed(rc, under_review(rc))
    version = fresh(project).version
    outcomes = run_together([lambda: services.approve(project.pk, by=rc.contracts, expected_version=version)
                             for _ in range(RACERS)])
    assert len([o for o in outcomes if not isinstance(o, Exception)]) == 1, outcomes
    assert AuditEvent.objects.filter(action="research.approve").count() == 1
