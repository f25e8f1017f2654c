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
            target = states.target_state(action, state)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(RequestState)


def test_assessment_and_further_information_go_back_and_forth():
    assert TRANSITIONS[Action.REQUEST_FURTHER_INFORMATION].target == RequestState.FURTHER_INFORMATION_REQUESTED
    assert TRANSITIONS[Action.RESPOND].target == RequestState.UNDER_ASSESSMENT


def test_the_state_diagram_shows_every_transition():
    diagram = states.state_diagram()
    assert diagram.startswith("stateDiagram-v2")
    assert "under_assessment --> further_information_requested: request_further_information" in diagram
    assert "decided --> provided: deliver" in diagram
    assert "provided --> withdrawn" not in diagram
