"""What the pages read: who a request waits on, what is overdue, what falls due next."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

from django.core.management import call_command

from approvals import services as approval_services
from sharing import queries, services
from sharing.states import Decision, RequestState, StateOwner
from tests.integration.sharing.test_due_dates import LONDON, at
from tests.support.requests import DECIDED, draft, fresh, walk
from workflow import work


def waiting_on(user) -> set[str]:
    return set(queries.my_work(user).values_list("reference", flat=True))


def test_my_work_follows_the_request_from_person_to_person(cast):
    request = draft(cast.iasc_requester)
    assert waiting_on(cast.iasc_requester) == {request.reference} and waiting_on(cast.spoc) == set()
    request = walk(request, cast, RequestState.SUBMITTED)
    assert waiting_on(cast.iasc_requester) == set() and waiting_on(cast.spoc) == {request.reference}
    request = walk(request, cast, RequestState.ACKNOWLEDGED)
    assert waiting_on(cast.spoc) == set() and waiting_on(cast.msu_assessor) == {request.reference}
    assert waiting_on(cast.ho_assessor) == set()
    request = walk(request, cast, RequestState.PROVIDED)
    assert waiting_on(cast.msu_assessor) == set() and waiting_on(cast.iasc_requester) == {request.reference}
    request = walk(request, cast, RequestState.CLOSED)
    assert waiting_on(cast.iasc_requester) == set()


def test_the_commissioner_sees_the_decisions_that_are_hers(cast):
    request = walk(draft(cast.ho_requester, "ho_to_iasc"), cast, RequestState.UNDER_ASSESSMENT)
    assert waiting_on(cast.commissioner) == {request.reference}


def test_an_approver_sees_the_approvals_asked_of_them_not_the_requests(cast):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    assert waiting_on(cast.ho_approver) == set() and work.items_for(cast.ho_approver, date.today()) == []
    [approval] = approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version)
    items = work.items_for(cast.ho_approver, date.today())
    assert [(item.kind, item.reference) for item in items] == [("approval", request.reference)]
    assert [item.kind for item in work.items_for(cast.msu_assessor, date.today())] == ["request"]
    approval_services.approve(approval, by=cast.ho_approver, expected_version=approval.version)
    assert work.items_for(cast.ho_approver, date.today()) == []


def test_a_declined_request_waits_on_its_requester(cast):
    request = walk(draft(cast.iasc_requester), cast, DECIDED, decision=Decision.DECLINED)
    assert queries.owner_of(request) == StateOwner.REQUESTER
    assert waiting_on(cast.iasc_requester) == {request.reference} and waiting_on(cast.msu_assessor) == set()


def test_overdue_is_worked_out_in_the_database_for_the_list(cast):
    request = draft(cast.iasc_requester)
    with at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON)):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    listed = queries.request_list(cast.spoc, today=date(2021, 6, 18)).get()
    assert not listed.is_overdue and queries.next_due(listed) == date(2021, 6, 18)
    assert queries.request_list(cast.spoc, today=date(2021, 6, 21)).get().is_overdue
    request = fresh(request)
    services.acknowledge(request, by=cast.spoc, expected_version=request.version)
    assert not queries.request_list(cast.spoc, today=date(2021, 6, 21)).get().is_overdue
    assert queries.request_list(cast.spoc, today=date(2021, 6, 30)).get().is_overdue  # provision, §12


def test_the_open_question_is_the_last_one_asked(cast):
    request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
    services.request_further_information(request, by=cast.msu_assessor, expected_version=request.version,
                                         question="Which years?")
    detail = queries.request_detail_by_reference(cast.iasc_requester, request.reference)
    assert queries.open_question(detail).note == "Which years?"
    assert [element.clause for element, _ in queries.element_values(detail)][0] == "§6(a)"


def test_the_state_diagram_command_prints_every_state_and_its_owner():
    out = StringIO()
    call_command("sharing_state_diagram", stdout=out)
    assert "| Further information requested | Requester |" in out.getvalue()
