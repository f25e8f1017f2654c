"""My work and each role's dashboard cost the same number of queries with one case of each type waiting or with
sixty (past the dashboard's fifty and My work's page of twenty-five): requests, approvals (§10), escalations at a
rung (§13) and processing holds past their review date (issue 11). Counts, not times (ADR 45)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Approval
from escalations.models import Escalation, EscalationStep
from holds.models import Hold
from sharing.models import Request
from sharing.states import RequestState
from tests.integration.sharing.test_query_counts import copies_of
from tests.support.escalations import escalated
from tests.support.holds import overdue, placed
from tests.support.requests import draft, walk
from workflow import registry, work

pytestmark = pytest.mark.django_db
PAGES = ("/my-work/", "/scrutiny/dashboard/")


def queries_for(client, path: str) -> int:
    client.get(path)  # the first view of a session warms per-process caches (protocol, calendar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def waiting(cast, ladder_people):
    """One case of each type waiting on someone, and a way to add `n` more of each like it."""
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)  # the point of contact's (§11)
    escalation = escalated(cast)  # at the policy lead's rung
    hold = overdue(placed(cast))  # the approver's, owner and keeper, and the DPO's
    _approval_on(submitted, cast)

    def more(n: int, batch: str) -> None:
        copies_of(submitted, n, batch)
        copies = list(Request.objects.filter(reference__contains=f"-{batch}"))
        for request in copies:
            _approval_on(request, cast)
        _escalations_like(escalation, copies)
        Hold.objects.bulk_create([Hold(**{**_fields(hold), "title": f"Hold {batch}{n}"}) for n in range(n)])

    return more


def _approval_on(request, cast) -> Approval:
    return Approval.objects.create(request=request, kind="classification", clause="§10", role_required="approver",
                                   state="requested", requested_by=cast.ho_assessor, requested_at=timezone.now())


def _escalations_like(escalation, requests) -> None:
    for request in requests:
        copy = Escalation.objects.get(pk=escalation.pk)
        copy.pk, copy.id, copy.request = None, None, request
        copy.save()
        EscalationStep.objects.bulk_create([
            EscalationStep(**{**_fields(step), "escalation_id": copy.pk,
                              "reached_at": step.reached_at - timedelta(days=3)})
            for step in escalation.steps.all()])


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
            if not field.primary_key}


# The idle expiry's renewal (three queries at most once a minute, ADR 50) must not land inside a measured page.
@override_settings(SESSION_REFRESH_SECONDS=10**10)
def test_my_work_and_every_dashboard_cost_a_bounded_number_of_queries_whatever_the_cases(cast, ladder_people,
                                                                                        waiting, signed_in):
    people = {"point of contact": cast.spoc, "approver": cast.ho_approver, "DPO": cast.ho_dpo,
              "policy lead": ladder_people.policy_lead, "requester": cast.iasc_requester,
              "Commissioner": cast.commissioner, "assessor": cast.ho_assessor}
    clients = {role: signed_in(person) for role, person in people.items()}

    def costs() -> dict:
        return {(role, path): queries_for(client, path) for role, client in clients.items() for path in PAGES}

    one = costs()
    waiting(60, "M")
    sixty = costs()
    waiting(5, "N")
    assert costs() == sixty  # past the pages' limits, more cases cost nothing more
    # A page counts in Python what it already holds whole (ADR 50): a case type asks one count query only once it
    # has more waiting than the page shows.
    counted_apart = sum(case_type.counts_follow_items for case_type in registry.case_types())
    assert all(one[key] <= sixty[key] <= one[key] + counted_apart for key in one), (one, sixty)
    assert max(sixty.values()) <= 22, sixty  # ADR 50: was 27-33 before
    # and each of them had something of its own to show: the counts grew, the queries did not
    page = clients["policy lead"].get("/scrutiny/dashboard/").content.decode()
    assert "66" in page and "waiting on you" in page



@override_settings(SESSION_REFRESH_SECONDS=10**10)
@pytest.mark.parametrize("limit", [1, 2, 25, 500])
def test_counts_taken_from_the_items_equal_the_counts_asked_of_the_database(cast, ladder_people, waiting, limit):
    """work.items_and_counts counts in Python what it holds whole: the same figures as each case type's own
    work_counts, for everyone, whether the limit cuts the items short or not."""
    waiting(3, "Q")
    today = timezone.localdate()
    for person in (cast.spoc, cast.ho_approver, cast.ho_dpo, ladder_people.policy_lead, cast.iasc_requester,
                   cast.commissioner, cast.ho_assessor):
        items, counts = work.items_and_counts(person, today, limit)
        assert counts == work.counts(person, today), person
        assert [item.reference for item in items] == [item.reference for item in work.items_for(person, today, limit)]
