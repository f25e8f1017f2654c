"""Requests inside a processing hold (issue 11): each request, and each part of one, shows "blocked by hold" or
"not blocked" with the reason; a blocked request is submitted, assessed and decided but not provided while the hold
stands; the hold's page lists the requests it blocks to those who may see them; lifting tells their people."""

from __future__ import annotations

import pytest
from django.core import mail

from concordat.errors import RuleViolation
from holds import coverage, services
from sharing import hold_scope
from sharing import services as sharing_services
from sharing.states import RequestState
from tests.support.holds import ANONYMISED_STATISTICS, JUNE_2021_PARTS, PERSONAL_RESEARCH, placed
from tests.support.requests import DECIDED, draft, fresh, pdf, walk


def deliver(request, cast):
    return sharing_services.deliver(request, by=cast.msu_assessor, expected_version=request.version,
                                    description="Tables", marking=request.classification, uploads=[pdf()])


def test_a_request_inside_a_hold_is_submitted_assessed_and_decided_but_not_provided(cast):
    hold = placed(cast)
    request = walk(draft(cast.iasc_requester, **PERSONAL_RESEARCH), cast, DECIDED)
    assert request.state == RequestState.AGREED
    [scope] = hold_scope.verdicts(request)
    assert scope.verdict.blocked and scope.verdict.holds == [hold] and scope.label == "The request"
    with pytest.raises(RuleViolation, match="Blocked by a processing hold") as refused:
        deliver(request, cast)
    assert refused.value.problems[0].field == "hold" and hold.reference in refused.value.problems[0].message
    assert fresh(request).state == RequestState.AGREED and "deliver" not in fresh(request).events.values_list(
        "action", flat=True)
    services.lift(hold, by=cast.ho_dpo, expected_version=hold.version, lifted_because="Contract Change Notice 14")
    assert deliver(fresh(request), cast).request.state == RequestState.PROVIDED


def test_anonymised_statistics_go_through_untouched_and_say_why(cast):
    placed(cast)
    request = walk(draft(cast.iasc_requester, **ANONYMISED_STATISTICS), cast, RequestState.PROVIDED)
    [scope] = hold_scope.verdicts(request)
    assert not scope.verdict.blocked and scope.verdict.status == "not blocked"
    assert "no hold in force covers data from this source" in scope.verdict.reason


def test_the_june_2021_joint_request_shows_which_of_its_parts_are_blocked(cast):
    hold = placed(cast)
    request = draft(cast.iasc_requester, parts=JUNE_2021_PARTS, **PERSONAL_RESEARCH)
    first, second = hold_scope.verdicts(request)
    assert (first.label, first.verdict.blocked) == (f"Part 1: {JUNE_2021_PARTS[0]['what']}", False)
    assert first.verdict.reason.startswith("Anonymised")
    assert (second.verdict.blocked, second.verdict.holds) == (True, [hold])
    assert hold_scope.blocking_holds(request) == [hold]


def test_the_hold_lists_the_requests_it_blocks_to_those_who_may_see_them(cast):
    hold = placed(cast)
    blocked = draft(cast.iasc_requester, **PERSONAL_RESEARCH)
    walk(blocked, cast, RequestState.SUBMITTED)
    outside = draft(cast.iasc_requester, **ANONYMISED_STATISTICS)
    joint = draft(cast.iasc_requester, parts=JUNE_2021_PARTS)
    found = [item.reference for item in coverage.blocked_work(hold)]
    assert found == [blocked.reference, joint.reference] and outside.reference not in found
    assert [i.reference for i in coverage.blocked_work(hold, cast.iasc_requester)] == found
    # The joint request is still the IASC's draft: the Home Office does not see it, nor its place on the hold.
    assert [i.reference for i in coverage.blocked_work(hold, cast.spoc)] == [blocked.reference]
    assert coverage.blocked_work(hold, cast.dwp_officer) == []


def test_lifting_tells_everyone_whose_work_the_hold_blocked(cast, django_capture_on_commit_callbacks):
    hold = placed(cast)
    walk(draft(cast.iasc_requester, **PERSONAL_RESEARCH), cast, RequestState.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lift(hold, by=cast.ho_dpo, expected_version=hold.version, lifted_because="CCN 14")
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == ["ho.approver@example.org", "iasc.requester@example.org"]
    assert all(m.subject == f"OFFICIAL: processing hold {hold.reference} lifted" for m in mail.outbox)
    lifted = fresh_hold(hold)
    assert lifted.events.last().details["blocked"] == [f"request:{r}" for r in lifted_refs(lifted)]


def fresh_hold(hold):
    return type(hold).objects.get(pk=hold.pk)


def lifted_refs(hold):
    return [item.reference for item in coverage.blocked_work(hold)]


@pytest.mark.parametrize("parts", [
    [{"what": "", "data_source": "msvc_contract", "purpose_kind": "research", "personal_data_category": "personal"}],
    [{"what": "x", "data_source": "moon", "purpose_kind": "research", "personal_data_category": "personal"}],
    [{"what": "x", "data_source": "msvc_contract", "purpose_kind": "fun", "personal_data_category": "personal"}],
    [{"what": "x", "data_source": "msvc_contract", "purpose_kind": "research", "personal_data_category": "secret"}],
    [{"what": "x" * 501, "data_source": "msvc_contract", "purpose_kind": "research",
      "personal_data_category": "personal"}],
    ["a part"], "parts", [JUNE_2021_PARTS[0]] * 21,
    [{"what": ["x"], "data_source": ["msvc_contract"], "purpose_kind": {}, "personal_data_category": None}],
])
def test_malformed_parts_are_refused_naming_the_parts(cast, parts):
    request = draft(cast.iasc_requester)
    with pytest.raises(RuleViolation) as refused:
        sharing_services.update_draft(request, by=cast.iasc_requester, expected_version=request.version,
                                      parts=parts)
    assert {p.field for p in refused.value.problems} == {"parts"}
    assert fresh(request).version == request.version and not request.parts.exists()


@pytest.mark.parametrize(("field", "value"), [("data_source", "moon"), ("purpose_kind", "fun"),
                                              ("data_source", ["msvc_contract"])])
def test_a_request_scope_outside_the_vocabulary_is_refused(cast, field, value):
    request = draft(cast.iasc_requester)
    with pytest.raises(RuleViolation) as refused:
        sharing_services.update_draft(request, by=cast.iasc_requester, expected_version=request.version,
                                      fields={field: value})
    assert {p.field for p in refused.value.problems} == {field}


def test_parts_unchanged_are_not_recorded_as_a_change(cast):
    request = draft(cast.iasc_requester, parts=JUNE_2021_PARTS)
    updated = sharing_services.update_draft(request, by=cast.iasc_requester, expected_version=request.version,
                                            parts=JUNE_2021_PARTS, fields={"title": "Joint request"})
    assert updated.events.last().details["changed"] == ["title"]
    updated = sharing_services.update_draft(updated, by=cast.iasc_requester, expected_version=updated.version,
                                            parts=JUNE_2021_PARTS[:1])
    assert updated.events.last().details["changed"] == ["parts"] and updated.parts.count() == 1
