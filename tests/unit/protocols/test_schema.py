"""The shipped HO–IASC definition, read as the protocol of 13 May 2020 says it should be."""

from datetime import date

import pytest

from accounts.roles import Role
from protocols.loader import load_definition
from protocols.schema import ELEMENT_KEYS, ROLE_VALUES, ProtocolDefinition
from tests.support.protocol_files import SHIPPED


@pytest.fixture(scope="module")
def spec() -> ProtocolDefinition:
    return load_definition(SHIPPED)[0]


def test_schema_knows_exactly_the_roles_of_the_service():
    assert ROLE_VALUES == set(Role.values)


def test_shipped_definition_names_itself_and_both_parties(spec):
    assert (spec.slug, spec.version, spec.last_updated) == ("ho-iasc", "2020-05-13", date(2020, 5, 13))
    assert {party.key: party.organisation for party in spec.parties} == {"ho": "home-office", "iasc": "iasc"}


@pytest.mark.parametrize("key, stem, requester, holder", [
    ("iasc_to_ho", "§6", "iasc", "ho"),
    ("ho_to_iasc", "§8", "ho", "iasc"),
])
def test_each_direction_requires_the_seven_elements_in_order(spec, key, stem, requester, holder):
    direction = spec.direction(key)
    assert (direction.requester_party, direction.holder_party) == (requester, holder)
    assert [element.key for element in direction.required_elements] == list(ELEMENT_KEYS)
    assert [element.clause for element in direction.required_elements] == [f"{stem}({letter})" for letter in "abcdefg"]


def test_iasc_request_states_necessity_in_the_protocols_words(spec):
    necessity = spec.direction("iasc_to_ho").required_elements[0]
    assert necessity.label == ("Why she considers that the information is necessary for the exercise of her "
                               "functions as set out in section 41(1) of the Act")


def test_the_ho_checks_security_marking_and_the_iasc_checks_its_independence(spec):
    ho_checks = [item.key for item in spec.direction("iasc_to_ho").assessment_checklist]
    iasc_checks = [item.key for item in spec.direction("ho_to_iasc").assessment_checklist]
    assert ho_checks == ["necessity", "publication", "access_storage_disposal", "lawfulness", "security_marking"]
    assert iasc_checks == ["necessity", "publication", "access_storage_disposal", "lawfulness", "independence"]


def test_requests_to_the_ho_go_first_to_the_msu_spoc(spec):
    routing = spec.direction("iasc_to_ho").routing
    assert (routing.clause, routing.recipient_organisation, routing.recipient_role, routing.reassign_within) == (
        "§11", "msu", "spoc", "home-office")


def test_requests_to_the_iasc_go_to_the_iasc_office_itself(spec):
    assert spec.direction("ho_to_iasc").routing is None


def test_the_iasc_can_escalate_up_the_section_13_ladder(spec):
    escalation = spec.direction("iasc_to_ho").escalation
    assert escalation.available and escalation.clause == "§13"
    assert [(rung.key, rung.role) for rung in escalation.ladder] == [
        ("working_level", None),
        ("policy_lead", "escalation_policy_lead"),
        ("director", "escalation_director"),
        ("senior_sponsor", "escalation_senior_sponsor"),
        ("ministers", "escalation_minister"),
    ]
    assert "reasonable" in escalation.rung("policy_lead").gate
    assert escalation.rung("ministers").last_resort
    assert escalation.next_rung("policy_lead").key == "director"
    assert escalation.next_rung("ministers") is None


def test_the_ho_cannot_escalate_and_the_iascs_decision_is_final(spec):
    escalation = spec.direction("ho_to_iasc").escalation
    assert (escalation.available, escalation.ladder, escalation.clause) == (False, [], "§14")
    assert "decision on whether to share information with the HO is final" in escalation.final_decision_note


def test_nothing_above_official_sensitive_and_its_approval_falls_to_ho_officials(spec):
    classifications = spec.classifications
    assert classifications.levels == ["OFFICIAL", "OFFICIAL-SENSITIVE"]
    assert classifications.ceiling == "OFFICIAL-SENSITIVE"
    assert not classifications.allows("SECRET")
    assert classifications.needs_approval("OFFICIAL-SENSITIVE", holder_party="ho")
    assert not classifications.needs_approval("OFFICIAL-SENSITIVE", holder_party="iasc")
    assert not classifications.needs_approval("OFFICIAL", holder_party="ho")


def test_acknowledge_in_three_and_provide_in_ten_or_fifteen_working_days(spec):
    timings = spec.timings
    assert (timings.clause, timings.calendar, timings.acknowledge_working_days) == ("§12", "england-and-wales", 3)
    assert timings.provide_days("OFFICIAL") == 10
    assert timings.provide_days("OFFICIAL-SENSITIVE") == 15


def test_personal_data_is_anonymised_by_default_and_ad_hoc_sharing_needs_a_legal_basis(spec):
    personal = spec.personal_data
    assert personal.default == "anonymised" and not personal.is_personal("anonymised")
    assert personal.is_personal("pseudonymised")
    assert personal.requirements(routine=False, holder_party="ho") == [
        "legal_basis", "compliance_check", "senior_official_approval", "ministerial_approval"]
    assert personal.requirements(routine=False, holder_party="iasc") == ["legal_basis", "compliance_check"]
    assert {"data_sharing_arrangement", "impact_assessment"} <= set(personal.requirements(routine=True, holder_party="ho"))


def test_ogds_and_schedule3_bodies_are_routes_outside_the_protocols_timings(spec):
    routes = {route.key: route for route in spec.other_routes}
    ogds, schedule3 = routes["other_government_departments"], routes["schedule3_authorities"]
    assert (ogds.clause, ogds.organisation_kind, ogds.contact_help_from) == (
        "§18", "other_government_department", ["msu", "sponsorship-unit"])
    assert (schedule3.clause, schedule3.organisation_kind) == ("§4 fn 1", "schedule3_authority")
    assert schedule3.bodies == ["UK Visas and Immigration", "Immigration Enforcement", "Border Force"]
    assert {route.timings for route in routes.values()} == {"set by the requester"}


def test_a_stored_definition_reads_back_unchanged(spec):
    stored = spec.model_dump(mode="json")
    assert ProtocolDefinition.model_validate(stored) == spec


def test_an_unknown_direction_is_a_key_error(spec):
    with pytest.raises(KeyError, match="No direction 'dwp_to_ho'"):
        spec.direction("dwp_to_ho")
