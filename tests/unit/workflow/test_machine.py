"""The workflow core's machine, with no database: soundness, targets and the diagram."""

import pytest

from tests.toy.cases import TOYS
from workflow.machine import NOBODY, Machine, Transition


def toy(**changes) -> Machine:
    declared = {"name": "toy", "initial": "open", "owners": {"open": "maker", "checked": "checker", "done": NOBODY},
                "transitions": {"check": Transition({"open"}, "checked"), "finish": Transition({"checked"}, "done")}}
    return Machine(**{**declared, **changes})


def test_a_three_state_toy_is_sound_and_drawn():
    machine = toy()
    assert machine.problems() == []
    assert machine.reachable() == {"open", "checked", "done"}
    assert machine.diagram() == ("stateDiagram-v2\n    [*] --> open\n    open --> checked: check\n"
                                 "    checked --> done: finish\n    done --> [*]\n")
    assert TOYS.machine.problems() == []


def test_an_unowned_state_fails():
    machine = toy(transitions={"check": Transition({"open"}, "checked"), "finish": Transition({"checked"}, "limbo")})
    assert "state 'limbo' has no owner" in machine.problems()
    blank = toy(owners={"open": "maker", "checked": "", "done": NOBODY})
    assert "state 'checked' has no owner" in blank.problems()


def test_an_unreachable_state_fails():
    machine = toy(owners={"open": "maker", "checked": "checker", "orphan": "checker", "done": NOBODY},
                  transitions={"check": Transition({"open"}, "checked"), "finish": Transition({"checked", "orphan"},
                                                                                             "done")})
    assert machine.problems() == ["state 'orphan' cannot be reached from 'open'"]


def test_an_open_state_with_no_way_on_and_a_final_state_with_a_way_out_fail():
    stuck = toy(transitions={"check": Transition({"open"}, "checked")})
    assert "open state 'checked' has no way on" in stuck.problems()
    leaky = toy(transitions={**toy().transitions, "reopen": Transition({"done"}, "open")})
    assert "finished state 'done' has a way out (reopen)" in leaky.problems()


def test_an_action_with_several_targets_needs_one_chosen():
    machine = toy(owners={"open": "maker", "yes": NOBODY, "no": NOBODY},
                  transitions={"decide": Transition({"open"}, ("yes", "no"))})
    assert machine.problems() == []
    assert machine.target("decide", "open", "no") == "no"
    with pytest.raises(ValueError, match="decide leads to one of yes, no"):
        machine.target("decide", "open")
    with pytest.raises(ValueError):
        machine.target("decide", "open", "maybe")
    assert "open --> yes: decide" in machine.diagram() and "open --> no: decide" in machine.diagram()


def test_an_action_that_records_stays_where_it_is():
    machine = toy(transitions={**toy().transitions, "note": Transition({"open", "checked"})})
    assert machine.target("note", "checked") == "checked"
    assert machine.allows("note", "open") and not machine.allows("note", "done")
    assert machine.actions_from("open") == ["check", "note"]


def test_owners_and_open_states():
    machine = toy()
    assert machine.states_owned_by("checker") == ["checked"]
    assert machine.open_states == ["open", "checked"] and machine.finals == {"done"}


def test_a_case_type_that_does_not_say_who_may_act_lets_nobody_act():
    from workflow.cases import CaseType

    allowed, who = CaseType().who_may("anything", case=None)
    assert who == "nobody" and allowed(object(), None) is False
