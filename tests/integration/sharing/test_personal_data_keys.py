"""Issue 9, item 6: every key of the protocol's `personal_data` requirements is enforced by named code.

For each key the schema allows, the request is given a protocol in which that key alone applies (ad hoc and
routine alike) and the safeguard is left missing: the stage named in sharing.safeguards must refuse, naming its
field. Given a protocol in which the key does not apply, the same request is not refused for it. A key that nothing
enforces fails one or the other.
"""

from __future__ import annotations

import copy
import importlib

import pytest

from accounts.roles import Role
from approvals.states import ApprovalKind
from arrangements.states import DpiaOutcome
from protocols.models import Protocol
from protocols.schema import PERSONAL_DATA_REQUIREMENTS
from sharing import policies, rules, safeguards, services
from sharing.services.drafting import submission_problems
from sharing.states import Decision, RequestState
from tests.support import arrangements as arrangement_support
from tests.support.requests import draft, fresh, walk

pytestmark = pytest.mark.django_db


def with_requirements(request, keys: list[str]):
    """The request as it would be under a protocol requiring exactly `keys` for personal data."""
    data = copy.deepcopy(request.protocol.definition)
    data["personal_data"]["ad_hoc_requires"] = list(keys)
    data["personal_data"]["routine_requires"] = list(keys)
    request.protocol = Protocol(slug=request.protocol.slug, version="walk", title="walk", definition=data,
                                sha256=f"walk:{','.join(keys)}", last_updated=request.protocol.last_updated)
    return request


def stage_problems(stage: str, request) -> list:
    if stage == safeguards.SUBMISSION:
        return submission_problems(request)
    return policies.decision_problems(request, Decision.AGREED, reasons="", provided_scope="", withheld_scope="")


def under_assessment(cast):
    """An IASC request for personal data held by the HO, its checklist all satisfied, nothing approved."""
    request = walk(draft(cast.iasc_requester, personal_data_category="personal"), cast,
                   RequestState.UNDER_ASSESSMENT)
    answers = [services.ChecklistEntry(item.key, True, "") for item in rules.checklist_of(request)]
    return services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version,
                                     answers=answers)


def without_legal_basis(cast):
    request = under_assessment(cast)
    request.personal_data_record.article6_basis = ""  # as if lost after submission: the agreement checks again
    request.personal_data_record.save()
    request.legal_basis = ""
    return fresh(request)


def regular_without_arrangement(cast):
    return arrangement_support.regular_personal_request(cast)


def regular_with_an_arrangement_whose_dpia_stops_it(cast):
    """Covered by an active arrangement whose impact assessment, since reviewed, says the ICO must be consulted."""
    arrangement = arrangement_support.active(cast)
    type(arrangement).objects.filter(pk=arrangement.pk).update(dpia_outcome=DpiaOutcome.PRIOR_CONSULTATION)
    return arrangement_support.regular_personal_request(cast)


# The request each key is tried on, the safeguard missing, and words its refusal must contain.
SCENARIOS = {
    "legal_basis": (without_legal_basis, "legal basis"),
    "compliance_check": (under_assessment, "Confirm that the disclosure complies"),
    "senior_official_approval": (under_assessment, ApprovalKind.PERSONAL_DATA.label.rsplit(" (§", 1)[0]),
    "ministerial_approval": (under_assessment, ApprovalKind.MINISTERIAL.label.rsplit(" (§", 1)[0]),
    "data_sharing_arrangement": (regular_without_arrangement, "data sharing arrangement"),
    "impact_assessment": (regular_with_an_arrangement_whose_dpia_stops_it, "impact assessment"),
}


def test_every_key_the_schema_allows_has_named_code_that_enforces_it():
    assert set(safeguards.ENFORCED) == set(PERSONAL_DATA_REQUIREMENTS) == set(SCENARIOS)
    for key, safeguard in safeguards.ENFORCED.items():
        module, function = safeguard.enforced_by.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), function)), (key, safeguard.enforced_by)


def test_the_shipped_protocol_uses_only_enforced_keys(protocol):
    spec = protocol.spec.personal_data
    assert set(spec.ad_hoc_requires) | set(spec.routine_requires) <= set(safeguards.ENFORCED)


@pytest.mark.parametrize("key", PERSONAL_DATA_REQUIREMENTS)
def test_each_key_refuses_when_it_applies_and_its_safeguard_is_missing(key, cast):
    build, words = SCENARIOS[key]
    safeguard = safeguards.ENFORCED[key]
    request = build(cast)

    refused = [p for p in stage_problems(safeguard.stage, with_requirements(fresh(request), [key]))
               if p.field == safeguard.field and words.lower() in p.message.lower()]
    assert refused, f"{key}: nothing at {safeguard.stage} refused with field {safeguard.field!r} and {words!r}"

    others = [k for k in PERSONAL_DATA_REQUIREMENTS if k != key]
    not_refused = [p for p in stage_problems(safeguard.stage, with_requirements(fresh(request), others))
                   if p.field == safeguard.field and words.lower() in p.message.lower()]
    assert not not_refused, f"{key}: refused even where the protocol does not ask for it: {not_refused}"


def test_the_approvals_each_key_asks_for_go_to_their_own_role(cast):
    request = under_assessment(cast)
    assert rules.approvals_required(with_requirements(fresh(request), ["senior_official_approval"])) == [
        ApprovalKind.PERSONAL_DATA]
    assert rules.approvals_required(with_requirements(fresh(request), ["ministerial_approval"])) == [
        ApprovalKind.MINISTERIAL]
    from approvals.services import ROLE_FOR_KIND
    assert (ROLE_FOR_KIND[ApprovalKind.PERSONAL_DATA], ROLE_FOR_KIND[ApprovalKind.MINISTERIAL]) == (
        Role.APPROVER, Role.MINISTER)
