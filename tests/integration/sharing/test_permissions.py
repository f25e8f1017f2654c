"""Who may see and who may act: role × organisation × state, for every transition, as matrices."""

from __future__ import annotations

import pytest

from concordat.errors import NotAllowed, RuleViolation
from sharing import permissions, services
from sharing.cases import REQUESTS
from sharing.models import RequestEvent
from sharing.states import SERVICE_ACTIONS, TRANSITIONS, Action, Decision, RequestState
from tests.support.requests import DECIDED, draft, fresh, walk


def available_actions(user, request):
    return set(REQUESTS.available_actions(user, request))

CAST = ["iasc_requester", "iasc_case_officer", "iasc_assessor", "commissioner", "iasc_approver", "iasc_auditor",
        "spoc", "msu_assessor", "ho_requester", "ho_assessor", "ho_analyst", "ho_approver", "ho_auditor",
        "sponsorship_officer", "dwp_officer", "dwp_assessor", "researcher", "nobody"]

IASC = {"iasc_requester", "iasc_case_officer", "iasc_assessor", "commissioner", "iasc_approver", "iasc_auditor"}
HOME_OFFICE = {"spoc", "msu_assessor", "ho_requester", "ho_assessor", "ho_analyst", "ho_approver", "ho_auditor",
               "sponsorship_officer"}
MSU = {"spoc", "msu_assessor", "ho_requester"}

# The state each action is tried in, and who may take it there, per direction.
ACTION_STATES = {
    Action.UPDATE: RequestState.DRAFT,
    Action.SUBMIT: RequestState.DRAFT,
    Action.ACKNOWLEDGE: RequestState.SUBMITTED,
    Action.REASSIGN: RequestState.SUBMITTED,
    Action.START_ASSESSMENT: RequestState.ACKNOWLEDGED,
    Action.REQUEST_FURTHER_INFORMATION: RequestState.UNDER_ASSESSMENT,
    Action.RESPOND: RequestState.FURTHER_INFORMATION_REQUESTED,
    Action.RECORD_CHECKLIST: RequestState.UNDER_ASSESSMENT,
    Action.REQUEST_APPROVAL: RequestState.UNDER_ASSESSMENT,
    Action.DECIDE: RequestState.UNDER_ASSESSMENT,
    Action.DELIVER: DECIDED,
    Action.CLOSE: RequestState.PROVIDED,
    Action.WITHDRAW: RequestState.SUBMITTED,
    Action.ESCALATE: DECIDED,
}
ALLOWED = {
    "iasc_to_ho": {
        Action.UPDATE: {"iasc_requester", "iasc_case_officer"},
        Action.SUBMIT: {"iasc_requester", "iasc_case_officer"},
        Action.ACKNOWLEDGE: {"spoc"},
        Action.REASSIGN: {"spoc"},
        Action.START_ASSESSMENT: {"msu_assessor"},
        # Approvers ask for more justification through their approval (tests/approvals).
        Action.REQUEST_FURTHER_INFORMATION: {"msu_assessor"},
        Action.RESPOND: {"iasc_requester", "iasc_case_officer"},
        Action.RECORD_CHECKLIST: {"msu_assessor"},
        Action.REQUEST_APPROVAL: {"msu_assessor"},
        Action.DECIDE: {"msu_assessor"},
        Action.DELIVER: {"msu_assessor"},
        Action.CLOSE: {"iasc_requester", "iasc_case_officer"},
        Action.WITHDRAW: {"iasc_requester", "iasc_case_officer"},
        Action.ESCALATE: {"iasc_requester", "iasc_case_officer", "commissioner"},  # §13
    },
    "ho_to_iasc": {
        Action.UPDATE: {"ho_requester"},
        Action.SUBMIT: {"ho_requester"},
        Action.ACKNOWLEDGE: {"iasc_case_officer"},
        Action.REASSIGN: {"iasc_case_officer"},
        Action.START_ASSESSMENT: {"iasc_assessor"},
        Action.REQUEST_FURTHER_INFORMATION: {"iasc_assessor", "commissioner"},
        Action.RESPOND: {"ho_requester"},
        Action.RECORD_CHECKLIST: {"iasc_assessor", "commissioner"},
        Action.REQUEST_APPROVAL: {"iasc_assessor", "commissioner"},
        Action.DECIDE: {"commissioner"},  # §14: the IASC's decision is final
        Action.DELIVER: {"iasc_assessor"},
        Action.CLOSE: {"ho_requester"},
        Action.WITHDRAW: {"ho_requester"},
        # The requesting side, as for any action of its own; the policy then refuses it (§14: no ladder).
        Action.ESCALATE: {"ho_requester"},
    },
}
REQUESTER = {"iasc_to_ho": "iasc_requester", "ho_to_iasc": "ho_requester"}


def request_in(cast, direction: str, state: RequestState, **fields):
    request = draft(getattr(cast, REQUESTER[direction]), direction, **fields)
    if state == RequestState.FURTHER_INFORMATION_REQUESTED:
        request = walk(request, cast, RequestState.UNDER_ASSESSMENT)
        assessor = cast.msu_assessor if direction == "iasc_to_ho" else cast.iasc_assessor
        services.request_further_information(request, by=assessor, expected_version=request.version,
                                             question="Why?")
        return fresh(request)
    return walk(request, cast, state)


def test_every_action_with_a_transition_is_in_the_matrix():
    # SERVICE_ACTIONS: only a service takes them (a rung resolving an escalation), nobody from a page or the API
    assert (set(ACTION_STATES) == set(TRANSITIONS) - SERVICE_ACTIONS == set(ALLOWED["iasc_to_ho"])
            == set(ALLOWED["ho_to_iasc"]))


@pytest.mark.parametrize("direction", ["iasc_to_ho", "ho_to_iasc"])
@pytest.mark.parametrize("action", list(ACTION_STATES), ids=str)
def test_who_may_take_each_action(cast, direction, action):
    request = request_in(cast, direction, ACTION_STATES[action])
    allowed = {name for name in CAST if permissions.user_can(getattr(cast, name), action, request)}
    assert allowed == ALLOWED[direction][action]


@pytest.mark.parametrize("action", [Action.ACKNOWLEDGE, Action.DECIDE, Action.WITHDRAW], ids=str)
def test_a_person_refused_by_role_or_organisation_leaves_no_trace(cast, action):
    request = request_in(cast, "iasc_to_ho", ACTION_STATES[action])
    events = RequestEvent.objects.count()
    service = {Action.ACKNOWLEDGE: services.acknowledge, Action.WITHDRAW: services.withdraw,
               Action.DECIDE: lambda r, **kw: services.decide(r, decision=Decision.AGREED, **kw)}[action]
    for outsider in (cast.ho_assessor, cast.dwp_officer, cast.iasc_assessor):
        with pytest.raises(NotAllowed):
            service(request, by=outsider, expected_version=request.version)
    assert RequestEvent.objects.count() == events and fresh(request).version == request.version


STATES = [RequestState.DRAFT, RequestState.SUBMITTED, RequestState.ACKNOWLEDGED, RequestState.UNDER_ASSESSMENT,
          DECIDED, RequestState.PROVIDED, RequestState.CLOSED]


@pytest.mark.parametrize("state", STATES, ids=str)
def test_what_each_state_allows_the_people_who_own_it(cast, state):
    request = request_in(cast, "iasc_to_ho", state)
    offered = {person: set(available_actions(getattr(cast, person), request))
               for person in ("iasc_requester", "spoc", "msu_assessor", "ho_approver")}
    expected = {
        RequestState.DRAFT: {"iasc_requester": {Action.UPDATE, Action.SUBMIT, Action.WITHDRAW}},
        # §13: the IASC may escalate what is not forthcoming at working level (escalations.services)
        RequestState.SUBMITTED: {"iasc_requester": {Action.WITHDRAW, Action.ESCALATE},
                                 "spoc": {Action.ACKNOWLEDGE, Action.REASSIGN}},
        RequestState.ACKNOWLEDGED: {"iasc_requester": {Action.WITHDRAW, Action.ESCALATE}, "spoc": {Action.REASSIGN},
                                    "msu_assessor": {Action.START_ASSESSMENT}},
        RequestState.UNDER_ASSESSMENT: {"iasc_requester": {Action.WITHDRAW, Action.ESCALATE},
                                        "spoc": {Action.REASSIGN},
                                        "msu_assessor": {Action.REQUEST_FURTHER_INFORMATION, Action.RECORD_CHECKLIST,
                                                         Action.DECIDE}},
        DECIDED: {"iasc_requester": {Action.WITHDRAW, Action.ESCALATE}, "msu_assessor": {Action.DELIVER}},
        # A one-off request once provided waits on its requester alone (ADR 0009).
        RequestState.PROVIDED: {"iasc_requester": {Action.CLOSE}},
        RequestState.CLOSED: {},
    }[state]
    assert offered == {person: expected.get(person, set()) for person in offered}


@pytest.mark.parametrize("action", list(ACTION_STATES), ids=str)
def test_the_right_person_in_the_wrong_state_is_told_what_the_state_allows(cast, action):
    request = request_in(cast, "iasc_to_ho", RequestState.CLOSED)
    assert not REQUESTS.action_allowed(action, request)
    with pytest.raises(RuleViolation) as refused:
        REQUESTS.check_action(action, request)
    assert refused.value.problems[0].message.endswith("while it is closed.")


def test_withdrawal_is_open_in_every_state_before_provision_and_never_after():
    before_provided = {RequestState.DRAFT, RequestState.SUBMITTED, RequestState.ACKNOWLEDGED,
                       RequestState.UNDER_ASSESSMENT, RequestState.FURTHER_INFORMATION_REQUESTED,
                       RequestState.AGREED, RequestState.AGREED_IN_PART, RequestState.DECLINED}
    assert TRANSITIONS[Action.WITHDRAW].sources == before_provided


# --- visibility --------------------------------------------------------------------------------

OFFICIAL_IASC_TO_HO = IASC | HOME_OFFICE
# The Commissioner sees every request her office makes or receives, named or not.
SENSITIVE_IASC_TO_HO = {"iasc_requester", "iasc_case_officer", "commissioner", "iasc_auditor", "spoc",
                        "msu_assessor", "ho_approver", "ho_auditor"}
OFFICIAL_HO_TO_IASC = IASC | MSU | {"ho_auditor"}
SENSITIVE_HO_TO_IASC = {"ho_requester", "iasc_case_officer", "iasc_assessor", "commissioner", "iasc_approver",
                        "iasc_auditor", "ho_auditor"}


@pytest.mark.parametrize(("direction", "classification", "state", "who"), [
    ("iasc_to_ho", "OFFICIAL", RequestState.DRAFT, {"iasc_requester", "iasc_case_officer", "iasc_assessor",
                                                    "commissioner", "iasc_approver", "iasc_auditor"}),
    ("iasc_to_ho", "OFFICIAL", RequestState.SUBMITTED, OFFICIAL_IASC_TO_HO),
    ("iasc_to_ho", "OFFICIAL-SENSITIVE", RequestState.DRAFT, {"iasc_requester", "iasc_case_officer",
                                                              "commissioner", "iasc_auditor"}),
    ("iasc_to_ho", "OFFICIAL-SENSITIVE", RequestState.SUBMITTED, SENSITIVE_IASC_TO_HO),
    ("iasc_to_ho", "OFFICIAL-SENSITIVE", RequestState.CLOSED, SENSITIVE_IASC_TO_HO),
    ("ho_to_iasc", "OFFICIAL", RequestState.DRAFT, MSU | {"ho_auditor"}),
    ("ho_to_iasc", "OFFICIAL", RequestState.SUBMITTED, OFFICIAL_HO_TO_IASC),
    ("ho_to_iasc", "OFFICIAL-SENSITIVE", RequestState.SUBMITTED, SENSITIVE_HO_TO_IASC),
], ids=lambda value: str(value) if not isinstance(value, set) else "")
def test_who_sees_a_request(cast, direction, classification, state, who):
    named = [cast.iasc_case_officer] if direction == "iasc_to_ho" else []
    request = request_in(cast, direction, state, classification=classification, named_people=named)
    seen_by_query = {name for name in CAST
                     if permissions.visible_requests(getattr(cast, name)).filter(pk=request.pk).exists()}
    seen_by_rule = {name for name in CAST if permissions.user_can_view(getattr(cast, name), fresh(request))}
    assert seen_by_query == seen_by_rule == who


def test_reassignment_moves_sensitive_requests_from_one_teams_assessors_to_the_other(cast, orgs):
    request = request_in(cast, "iasc_to_ho", RequestState.ACKNOWLEDGED, classification="OFFICIAL-SENSITIVE")
    services.reassign(request, by=cast.spoc, expected_version=request.version, to_org=orgs["ho-analysis"],
                      reason="Held by Analysis and Insight.")
    moved = fresh(request)
    assert permissions.user_can_view(cast.ho_assessor, moved)
    assert not permissions.user_can_view(cast.msu_assessor, moved)
    assert permissions.user_can_view(cast.spoc, moved)  # still the routed point of contact
    assert not permissions.user_can_view(cast.ho_analyst, moved)


def test_an_inactive_person_sees_nothing(cast):
    request = request_in(cast, "iasc_to_ho", RequestState.SUBMITTED)
    cast.spoc.is_active = False
    cast.spoc.save()
    assert not permissions.visible_requests(cast.spoc).exists()
    assert not permissions.user_can_view(cast.spoc, request)


def test_the_api_hides_a_request_from_people_who_may_not_see_it(cast, api):
    request = request_in(cast, "iasc_to_ho", RequestState.SUBMITTED, classification="OFFICIAL-SENSITIVE")
    assert api(cast.ho_analyst).get(f"/api/requests/{request.pk}/").status_code == 404
    response = api(cast.ho_analyst).post(f"/api/requests/{request.pk}/acknowledge/", {"version": request.version},
                                         format="json")
    assert response.status_code == 404
    assert api(cast.spoc).get(f"/api/requests/{request.pk}/").status_code == 200


def test_a_person_without_the_role_is_refused_with_403_naming_who_may(cast, api):
    request = request_in(cast, "iasc_to_ho", RequestState.SUBMITTED)
    response = api(cast.ho_analyst).post(f"/api/requests/{request.pk}/acknowledge/", {"version": request.version},
                                         format="json")
    assert response.status_code == 403
    assert "single point of contact" in response.json()["errors"][0]["message"]
