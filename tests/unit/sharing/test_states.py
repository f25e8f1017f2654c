"""The lifecycle tables: every state has an owner, every transition leads somewhere known."""

from sharing import states
from sharing.states import STATE_OWNERS, TRANSITIONS, Action, RequestState, StateOwner


def test_every_state_has_an_owner():
    assert set(STATE_OWNERS) == set(RequestState)
    finished = {state for state, owner in STATE_OWNERS.items() if owner == StateOwner.NOBODY}
    assert finished == {RequestState.CLOSED, RequestState.WITHDRAWN}


def test_every_state_but_the_final_ones_can_be_left():
    reachable_from = {state for transition in TRANSITIONS.values() for state in transition.sources}
    assert reachable_from == set(RequestState) - {RequestState.CLOSED, RequestState.WITHDRAWN}


def test_every_state_can_be_reached_from_a_draft():
    reached, frontier = {RequestState.DRAFT}, [RequestState.DRAFT]
    while frontier:
        state = frontier.pop()
        for action in states.actions_from(state):
            for target in TRANSITIONS[action].lands_on(state):
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
    assert reached == set(RequestState)


def test_assessment_and_further_information_go_back_and_forth():
    assert TRANSITIONS[Action.REQUEST_FURTHER_INFORMATION].targets == (RequestState.FURTHER_INFORMATION_REQUESTED,)
    assert TRANSITIONS[Action.RESPOND].targets == (RequestState.UNDER_ASSESSMENT,)


def test_a_decision_lands_on_its_own_state_and_a_declined_request_goes_nowhere_but_closed():
    """...or, escalated (§13) and resolved by a rung, back under assessment for the holder to decide again."""
    assert set(TRANSITIONS[Action.DECIDE].targets) == {RequestState.AGREED, RequestState.AGREED_IN_PART,
                                                        RequestState.DECLINED}
    assert states.actions_from(RequestState.DECLINED) == [Action.CLOSE, Action.WITHDRAW, Action.ESCALATE,
                                                          Action.ESCALATION_RESOLVED]
    assert TRANSITIONS[Action.ESCALATE].targets == ()  # recorded on the request, which stays where it is
    assert TRANSITIONS[Action.ESCALATION_RESOLVED].targets == (RequestState.UNDER_ASSESSMENT,)
    assert RequestState.DECLINED not in TRANSITIONS[Action.DELIVER].sources


def test_a_regular_request_owes_provision_to_the_holder_until_its_last_occasion():
    assert STATE_OWNERS[RequestState.PROVISION_OWED] == StateOwner.HOLDER
    assert set(TRANSITIONS[Action.DELIVER].targets) == {RequestState.PROVIDED, RequestState.PROVISION_OWED}


def test_the_state_diagram_shows_every_transition():
    diagram = states.state_diagram()
    assert diagram.startswith("stateDiagram-v2")
    assert "under_assessment --> further_information_requested: request_further_information" in diagram
    assert "agreed --> provided: deliver" in diagram
    assert "agreed_in_part --> provision_owed: deliver" in diagram
    assert "declined --> provided" not in diagram
    assert "provided --> withdrawn" not in diagram
