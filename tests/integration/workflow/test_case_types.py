"""What every case type gets from the workflow core, checked for each one registered (requests, approvals,
and a toy that exists only in the tests): a sound machine, a current diagram in docs/, and the acting
wrapper: lock, version, who may act, what the state allows, one timeline entry and one audit event."""

from datetime import date

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from tests.toy.cases import TOYS
from tests.toy.models import Toy
from workflow import diagrams, registry, work
from workflow.cases import timeline_digest

CASE_TYPES = registry.case_types()


def test_requests_approvals_and_the_toy_are_registered():
    assert {"request", "approval", "toy"} <= {case_type.kind for case_type in CASE_TYPES}


@pytest.mark.parametrize("case_type", CASE_TYPES, ids=lambda c: c.kind)
def test_every_state_has_an_owner_and_can_be_reached(case_type):
    assert case_type.machine.problems() == []


@pytest.mark.parametrize("case_type", CASE_TYPES, ids=lambda c: c.kind)
def test_its_diagram_in_the_docs_is_current(case_type):
    assert case_type.diagram_path, "every case type keeps its diagram in docs/"
    assert diagrams.render(case_type) in diagrams.path_of(case_type).read_text(), (
        f"{case_type.diagram_path} is stale: run manage.py case_diagram {case_type.kind} --write")


@pytest.mark.parametrize("case_type", CASE_TYPES, ids=lambda c: c.kind)
def test_each_action_reads_in_a_sentence(case_type):
    for action in case_type.machine.transitions:
        assert case_type.phrase(action).strip()
    for state in case_type.machine.states:
        assert case_type.state_label(state).strip()


@pytest.fixture
def maker(person):
    return person("iasc", Role.REQUESTER)


@pytest.fixture
def checker(person):
    return person("home-office", Role.AUDITOR)


def test_the_toy_gets_the_acting_wrapper_for_free(db, maker, checker):
    toy = Toy.objects.create(title="A toy", maker=maker)
    with TOYS.acting(toy, by=maker, action="check", expected_version=1) as locked:
        TOYS.advance(locked, maker, "check", "Looks right.", details={"why": "test"})
    toy.refresh_from_db()
    assert (toy.state, toy.version) == ("checked", 2)
    entry = toy.events.get()
    assert (entry.action, entry.from_state, entry.to_state, entry.note) == ("check", "open", "checked", "Looks right.")
    event = AuditEvent.objects.get(action="toy.check")
    # No free text on the chain: the note is bound by a keyed digest only, beside the audited fields (ADR 17).
    assert event.details == {"reference": f"Toy {toy.pk}", "from_state": "open", "to_state": "checked",
                             "version": 2, "why": "test", "snapshot": {"state": "checked", "maker": maker.pk},
                             "entry": timeline_digest(entry)}
    assert entry.audit_sequence == event.sequence


def test_the_toy_refuses_the_wrong_person_the_wrong_state_and_a_stale_page(db, maker, checker):
    toy = Toy.objects.create(title="A toy", maker=maker)
    with pytest.raises(NotAllowed, match="Only its maker can check this toy."):
        with TOYS.acting(toy, by=checker, action="check", expected_version=1):
            pass
    with pytest.raises(RuleViolation, match="You cannot finish this toy while it is open."):
        with TOYS.acting(toy, by=checker, action="finish", expected_version=1):
            pass
    with pytest.raises(StaleObject, match="Someone else changed Toy"):
        with TOYS.acting(toy, by=maker, action="check", expected_version=7):
            pass
    with pytest.raises(StaleObject):
        with TOYS.acting(toy, by=maker, action="check", expected_version="not a number"):
            pass
    toy.refresh_from_db()
    assert (toy.state, toy.version, toy.events.count()) == ("open", 1, 0)
    assert not AuditEvent.objects.filter(action__startswith="toy.").exists()


def test_a_failure_inside_the_action_leaves_nothing_half_saved(db, maker):
    toy = Toy.objects.create(title="A toy", maker=maker)
    with pytest.raises(RuntimeError):
        with TOYS.acting(toy, by=maker, action="check", expected_version=1) as locked:
            TOYS.advance(locked, maker, "check")
            raise RuntimeError("the disk filled up")
    toy.refresh_from_db()
    assert (toy.state, toy.version, toy.events.count()) == ("open", 1, 0)
    assert not AuditEvent.objects.filter(action__startswith="toy.").exists()


def test_the_toy_joins_my_work_and_its_owner_actions(db, maker, checker):
    toy = Toy.objects.create(title="A toy", maker=maker)
    assert TOYS.owner_actions(maker, toy) == ["check"] and TOYS.owner_actions(checker, toy) == []
    assert [(item.kind, item.case) for item in work.items_for(maker, date.today())] == [("toy", toy)]
    assert work.items_for(checker, date.today()) == []
