"""The IASC's escalation ladder (§13) through the services: the full ladder to Ministers and back to provision,
the gate at the first rung, and each bad input the issue names (no rung skipped, the gate passed only by the
Policy lead's role, Ministers only with exceptional circumstances, no escalation from the HO side (§14), the
wrong organisation, a stale version), each refused naming the field and clause, nothing half-saved."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from audit.verify import verify_stored_chain
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from escalations import ladder
from escalations import services as esc
from escalations.cases import ESCALATIONS, waited
from escalations.models import Escalation, EscalationEvent, EscalationStep
from escalations.states import EscalationState, Outcome
from sharing import permissions, services
from sharing.models import RequestEvent
from sharing.states import Action, Decision, RequestState
from tests.support.escalations import RECORD, declined_request, escalated, submitted_request
from tests.support.requests import DECIDED, draft, fresh, walk
from workflow.work import items_for

pytestmark = pytest.mark.django_db


def _problems(error) -> list[tuple]:
    return [(p.field, p.clause) for p in error.value.problems]


def _decide(escalation, by, outcome, note="Considered."):
    escalation = Escalation.objects.get(pk=escalation.pk)
    return esc.decide(escalation, by=by, outcome=outcome, note=note, expected_version=escalation.version)


def _go_up(escalation, by, **extra):
    escalation = Escalation.objects.get(pk=escalation.pk)
    return esc.go_up(escalation, by=by, expected_version=escalation.version, **extra)


def test_the_ladder_is_read_from_the_protocol(protocol, cast):
    request = declined_request(cast)
    rungs = ladder.ladder_of(request)
    assert [r.key for r in rungs] == ["policy_lead", "director", "senior_sponsor", "ministers"]
    assert rungs[0].gate and not any(r.gate for r in rungs[1:])
    assert [r.last_resort for r in rungs] == [False, False, False, True]
    assert all(r.target_working_days is None for r in rungs)  # this protocol sets none


def test_full_ladder_to_ministers_and_back_to_provision(cast, ladder_people):
    request = declined_request(cast)
    escalation = escalated(cast, request)
    assert escalation.state == EscalationState.AT_RUNG and escalation.position == 1
    assert fresh(request).state == RequestState.DECLINED  # recorded on the request, its state unchanged
    assert RequestEvent.objects.filter(request=request, action=Action.ESCALATE).count() == 1
    # the Policy lead sees the OFFICIAL-SENSITIVE request only now... (OFFICIAL here: by organisation)
    assert ESCALATIONS.may_act(ladder_people.policy_lead, "decide", escalation)
    assert not ESCALATIONS.may_act(ladder_people.director, "decide", escalation)

    escalation = _decide(escalation, ladder_people.policy_lead, Outcome.NOT_RESOLVED, "Reasonable, but not mine.")
    assert escalation.state == EscalationState.NOT_RESOLVED
    assert EscalationEvent.objects.filter(escalation=escalation, action="decide").get().details["gate_passed"]
    escalation = _go_up(escalation, cast.iasc_requester)
    assert (escalation.position, escalation.rung_key) == (2, "director")
    escalation = _decide(escalation, ladder_people.director, Outcome.NOT_RESOLVED)
    escalation = _go_up(escalation, cast.iasc_requester)
    escalation = _decide(escalation, ladder_people.sponsor, Outcome.NOT_RESOLVED)
    escalation = _go_up(escalation, cast.iasc_requester,
                        exceptional_circumstances="Three years without an answer on re-trafficking.")
    assert (escalation.position, escalation.rung_key) == (4, "ministers")
    escalation = _decide(escalation, ladder_people.minister, Outcome.RESOLVED, "The HO will provide the counts.")
    assert escalation.state == EscalationState.RESOLVED and escalation.finished_at is not None
    assert list(EscalationStep.objects.filter(escalation=escalation).values_list("outcome", flat=True)) == [
        "not_resolved", "not_resolved", "not_resolved", "resolved"]

    # back to the holder: the refusal is decided again, and this time agreed and provided
    request = fresh(request)
    assert request.state == RequestState.UNDER_ASSESSMENT and request.decision == ""
    resolved = RequestEvent.objects.get(request=request, action=Action.ESCALATION_RESOLVED)
    assert resolved.details["previous_decision"] == "declined" and resolved.note == "The HO will provide the counts."
    provided = walk(request, cast, RequestState.PROVIDED)
    assert provided.state == RequestState.PROVIDED
    assert verify_stored_chain().ok
    from audit.replay import verify_state
    report = verify_state()  # the chain replayed against every escalation, step and request row (ADR 17)
    assert report.ok, report


def test_resolving_a_request_not_forthcoming_keeps_it_where_it_is(cast, ladder_people):
    request = submitted_request(cast)
    escalation = esc.escalate(request, by=cast.iasc_requester, grounds="not_forthcoming",
                              expected_version=request.version, **RECORD)
    version = fresh(request).version
    _decide(escalation, ladder_people.policy_lead, Outcome.RESOLVED)
    request = fresh(request)
    assert request.state == RequestState.SUBMITTED and request.version == version + 1
    assert RequestEvent.objects.filter(request=request, action=Action.ESCALATION_RESOLVED).count() == 1
    from audit.replay import verify_state
    assert verify_state().ok


def test_the_gate_at_rung_one_refuses_and_ends_it(cast, ladder_people):
    escalation = escalated(cast)
    escalation = _decide(escalation, ladder_people.policy_lead, Outcome.REFUSED_AT_GATE,
                         "Not shown to be reasonable: the same figures are published.")
    assert escalation.state == EscalationState.REFUSED_AT_GATE
    with pytest.raises(RuleViolation) as error:
        _go_up(escalation, cast.iasc_requester)
    assert _problems(error) == [("state", None)]
    assert fresh(escalation.request).state == RequestState.DECLINED


def test_only_a_gate_rung_refuses_at_the_gate(cast, ladder_people):
    escalation = escalated(cast)
    escalation = _go_up(_decide(escalation, ladder_people.policy_lead, Outcome.NOT_RESOLVED), cast.iasc_requester)
    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as error:
        _decide(escalation, ladder_people.director, Outcome.REFUSED_AT_GATE, "No.")
    assert _problems(error) == [("outcome", "§13")]
    assert "HO Policy lead on Modern Slavery" in str(error.value)
    assert AuditEvent.objects.count() == events


def test_a_rung_is_never_skipped(cast, ladder_people):
    escalation = _decide(escalated(cast), ladder_people.policy_lead, Outcome.NOT_RESOLVED)
    with pytest.raises(RuleViolation) as error:
        _go_up(escalation, cast.iasc_requester, rung="senior_sponsor")
    assert _problems(error) == [("rung", "§13")]
    assert Escalation.objects.get(pk=escalation.pk).position == 1
    # nor can the next rung's people decide before it reaches them
    escalation = _go_up(escalation, cast.iasc_requester, rung="director")
    with pytest.raises(NotAllowed):
        _decide(escalation, ladder_people.sponsor, Outcome.RESOLVED)


def test_the_gate_is_passed_only_by_the_policy_leads_role(cast, ladder_people):
    escalation = escalated(cast)
    for someone in (ladder_people.director, cast.msu_assessor, cast.ho_approver, ladder_people.iasc_policy_lead,
                    cast.iasc_requester):
        with pytest.raises(NotAllowed) as error:
            _decide(escalation, someone, Outcome.NOT_RESOLVED, "Reasonable.")
        assert "§13" in str(error.value)
    assert Escalation.objects.get(pk=escalation.pk).state == EscalationState.AT_RUNG
    assert EscalationStep.objects.get(escalation=escalation).decided_at is None


def test_ministers_need_exceptional_circumstances(cast, ladder_people):
    escalation = escalated(cast)
    for decider in (ladder_people.policy_lead, ladder_people.director):
        escalation = _go_up(_decide(escalation, decider, Outcome.NOT_RESOLVED), cast.iasc_requester)
    escalation = _decide(escalation, ladder_people.sponsor, Outcome.NOT_RESOLVED)
    with pytest.raises(RuleViolation) as error:
        _go_up(escalation, cast.iasc_requester, exceptional_circumstances="   ")
    assert _problems(error) == [("exceptional_circumstances", "§13")]
    assert Escalation.objects.get(pk=escalation.pk).position == 3
    assert EscalationStep.objects.filter(escalation=escalation).count() == 3


def test_no_rung_above_the_last(cast, ladder_people):
    escalation = escalated(cast)
    for decider in (ladder_people.policy_lead, ladder_people.director, ladder_people.sponsor):
        escalation = _go_up(_decide(escalation, decider, Outcome.NOT_RESOLVED), cast.iasc_requester,
                            exceptional_circumstances="Exceptional.")
    escalation = _decide(escalation, ladder_people.minister, Outcome.NOT_RESOLVED)
    with pytest.raises(RuleViolation) as error:
        _go_up(escalation, cast.iasc_requester)
    assert _problems(error) == [("rung", "§13")]
    esc.close(escalation, by=cast.iasc_requester, expected_version=escalation.version)
    assert Escalation.objects.get(pk=escalation.pk).state == EscalationState.CLOSED


def test_the_ho_side_cannot_escalate_its_request_to_the_iasc(cast):
    """§14: the Commissioner's decision is final; the refusal quotes the protocol."""
    request = walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, DECIDED, decision=Decision.DECLINED)
    events = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as error:
        esc.escalate(request, by=cast.ho_requester, grounds="declined", expected_version=request.version, **RECORD)
    assert _problems(error) == [("request", "§14")]
    assert "The IASC's decision on whether to share information with the HO is final" in str(error.value)
    assert not Escalation.objects.exists() and AuditEvent.objects.count() == events


def test_the_holder_cannot_escalate_and_nor_can_another_organisation(cast):
    request = declined_request(cast)
    for someone in (cast.msu_assessor, cast.spoc, cast.ho_requester):
        with pytest.raises(NotAllowed):
            esc.escalate(request, by=someone, grounds="declined", expected_version=request.version, **RECORD)
    for outsider in (cast.dwp_officer, cast.nobody):
        with pytest.raises(NotAllowed):
            esc.escalate(request, by=outsider, grounds="declined", expected_version=request.version, **RECORD)
    assert not Escalation.objects.exists()


def test_the_commissioner_may_escalate(cast):
    request = declined_request(cast)
    escalation = esc.escalate(request, by=cast.commissioner, grounds="declined", expected_version=request.version,
                              **RECORD)
    assert escalation.opened_by == cast.commissioner


def test_grounds_must_fit_the_request(cast):
    request = submitted_request(cast)  # not declined, not overdue (just sent)
    for grounds in ("declined", "declined_in_part", "overdue", "whim"):
        with pytest.raises(RuleViolation) as error:
            esc.escalate(request, by=cast.iasc_requester, grounds=grounds, expected_version=request.version,
                         **RECORD)
        assert _problems(error) == [("grounds", "§13")]
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    with pytest.raises(RuleViolation):
        esc.escalate(provided, by=cast.iasc_requester, grounds="not_forthcoming",
                     expected_version=provided.version, **RECORD)
    assert not Escalation.objects.exists()


def test_the_record_section_13_asks_for_is_required(cast):
    request = declined_request(cast)
    with pytest.raises(RuleViolation) as error:
        esc.escalate(request, by=cast.iasc_requester, grounds="declined", expected_version=request.version,
                     reasons=" ", ho_objections="", attempts="")
    assert _problems(error) == [("reasons", "§13"), ("ho_objections", "§13"), ("attempts_to_resolve", "§13")]
    with pytest.raises(RuleViolation) as error:
        esc.escalate(request, by=cast.iasc_requester, grounds="declined", expected_version=request.version,
                     **{**RECORD, "reasons": "x" * 10_001})
    assert _problems(error) == [("reasons", None)]
    assert not Escalation.objects.exists()


def test_one_open_escalation_per_request(cast):
    escalation = escalated(cast)
    with pytest.raises(RuleViolation) as error:
        escalated(cast, escalation.request)
    assert ("request", "§13") in _problems(error)


def test_a_stale_version_is_refused(cast, ladder_people):
    request = declined_request(cast)
    with pytest.raises(StaleObject):
        esc.escalate(request, by=cast.iasc_requester, grounds="declined", expected_version=request.version - 1,
                     **RECORD)
    escalation = escalated(cast, request)
    with pytest.raises(StaleObject):
        esc.decide(escalation, by=ladder_people.policy_lead, outcome="resolved", expected_version=99)


def test_the_request_is_neither_closed_nor_withdrawn_while_escalated(cast):
    escalation = escalated(cast)
    request = fresh(escalation.request)
    for act in (services.close, services.withdraw):
        with pytest.raises(RuleViolation) as error:
            act(request, by=cast.iasc_requester, expected_version=request.version)
        assert _problems(error) == [("state", "§13")]
    esc.withdraw(escalation, by=cast.iasc_requester, expected_version=escalation.version)
    services.close(fresh(request), by=cast.iasc_requester, expected_version=fresh(request).version)
    assert fresh(request).state == RequestState.CLOSED


def test_rung_people_see_an_official_sensitive_request_only_once_it_reaches_them(cast, ladder_people):
    request = declined_request(cast, classification="OFFICIAL-SENSITIVE")
    assert not permissions.user_can_view(ladder_people.policy_lead, request)
    escalation = escalated(cast, request)
    request = fresh(request)
    for person, sees in ((ladder_people.policy_lead, True), (ladder_people.director, False),
                         (ladder_people.iasc_policy_lead, False)):
        assert permissions.user_can_view(person, request) is sees
        assert permissions.visible_requests(person).filter(pk=request.pk).exists() is sees
    _go_up(_decide(escalation, ladder_people.policy_lead, Outcome.NOT_RESOLVED), cast.iasc_requester)
    assert permissions.user_can_view(ladder_people.director, fresh(request))
    assert not permissions.user_can_view(ladder_people.sponsor, fresh(request))


def test_my_work_shows_each_rung_its_escalations_with_working_days_waited(cast, ladder_people):
    from sharing import schedule

    escalation = escalated(cast)
    today = schedule.today()
    [item] = [i for i in items_for(ladder_people.policy_lead, today) if i.kind == "escalation"]
    assert "waited 0 working days" in item.what and item.due_on is None
    assert not [i for i in items_for(ladder_people.director, today) if i.kind == "escalation"]
    escalation = _decide(escalation, ladder_people.policy_lead, Outcome.NOT_RESOLVED)
    assert [i for i in items_for(cast.iasc_requester, today) if i.kind == "escalation"]
    assert not [i for i in items_for(ladder_people.policy_lead, today) if i.kind == "escalation"]
    assert waited(escalation, today).days == 0
    # "My work" agrees with what each person may do
    assert ESCALATIONS.owner_actions(cast.iasc_requester, escalation) == ["go_up", "close"]


def test_a_protocol_with_another_ladder(protocol, cast, definition, write_definition, person):
    """Nothing in code knows the four rungs: a toy protocol with two, the second a last resort with a target."""
    from accounts.roles import Role
    from protocols.services import load_protocol

    definition.update(version="2031-01-01", last_updated="2031-01-01")
    direction = next(d for d in definition["directions"] if d["key"] == "iasc_to_ho")
    direction["escalation"]["ladder"] = [
        {"key": "desk", "title": "Desk officer", "role": None, "clause": "§13"},
        {"key": "board", "title": "The Board", "role": "escalation_director", "clause": "§13",
         "gate": "The Board is satisfied.", "must_record": ["Why"], "target_working_days": 5},
        {"key": "secretary", "title": "Permanent Secretary", "role": "escalation_minister", "clause": "§13",
         "last_resort": True, "target_working_days": 3},
    ]
    load_protocol(write_definition(definition, "ho-iasc-2031-01-01.yaml"))
    request = declined_request(cast)
    assert [(r.key, r.position, r.target_working_days) for r in ladder.ladder_of(request)] == [
        ("board", 1, 5), ("secretary", 2, 3)]
    board = person("home-office", Role.ESCALATION_DIRECTOR)
    secretary = person("home-office", Role.ESCALATION_MINISTER)
    escalation = escalated(cast, request)
    assert escalation.rung_role == "escalation_director"
    from sharing import schedule
    [item] = [i for i in items_for(board, schedule.today()) if i.kind == "escalation"]
    assert item.due_on is not None  # the target the toy sets
    escalation = _decide(escalation, board, Outcome.NOT_RESOLVED)
    with pytest.raises(RuleViolation) as error:
        _go_up(escalation, cast.iasc_requester)
    assert _problems(error) == [("exceptional_circumstances", "§13")]
    escalation = _go_up(escalation, cast.iasc_requester, exceptional_circumstances="Exceptional.")
    assert _decide(escalation, secretary, Outcome.RESOLVED).state == EscalationState.RESOLVED


def test_machine_is_sound():
    assert ESCALATIONS.machine.problems() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_one_wins(cast, ladder_people, person):
    from django.db import connection

    from accounts.roles import Role
    from tests.integration.sharing.test_concurrency import run_together

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (SELECT ... FOR UPDATE) between concurrent connections")
    second_lead = person("msu", Role.ESCALATION_POLICY_LEAD)
    escalation = escalated(cast)
    version, events = escalation.version, EscalationEvent.objects.count()

    def by(who, outcome):
        return lambda: esc.decide(escalation.pk, by=who, outcome=outcome, note="Decided.", expected_version=version)

    outcomes = run_together([by(ladder_people.policy_lead, Outcome.RESOLVED),
                             by(second_lead, Outcome.NOT_RESOLVED)] * 3)
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, StaleObject) for o in outcomes if isinstance(o, Exception)), outcomes
    assert EscalationEvent.objects.count() == events + 1
    assert EscalationStep.objects.get(escalation=escalation).decided_by in (ladder_people.policy_lead, second_lead)
    assert verify_stored_chain().ok


def test_an_overdue_request_may_be_escalated_as_overdue(cast, monkeypatch):
    from datetime import timedelta

    from sharing import schedule

    request = submitted_request(cast)
    later = request.next_due_on + timedelta(days=1)
    monkeypatch.setattr(schedule, "today", lambda: later)
    escalation = esc.escalate(request, by=cast.iasc_requester, grounds="overdue", expected_version=request.version,
                              **RECORD)
    assert escalation.get_grounds_display() == "The information is overdue (§12)"
