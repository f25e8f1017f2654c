"""What the protocol definition says about a request: its elements, checklist, classification rules,
timings, routing and approvals. Every protocol rule the sharing app applies is read through here,
never written as a literal.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import OrganisationKind, Role
from concordat.errors import Problem
from protocols import markings
from protocols.schema import APPROVAL_REQUIREMENTS, Direction, OtherRoute, ProtocolDefinition
from sharing.states import ApprovalKind, PublicationIntent, RouteKind

# The model field that holds each of the seven elements (§6 a–g, §8 a–g).
ELEMENT_FIELDS = {
    "necessity": "necessity",
    "information": "information_requested",
    "purpose": "purpose",
    "publication": "publication_intent",
    "access": "access",
    "storage_retention": "storage_retention",
    "disposal": "disposal",
}

# Other routes (§18, §4 fn 1) by the kind of organisation they reach.
ROUTE_FOR_ORGANISATION_KIND = {
    OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT: RouteKind.OGD,
    OrganisationKind.SCHEDULE3_AUTHORITY: RouteKind.SCHEDULE3,
}
# The elements a request outside the protocol must still state: what it asks for.
OTHER_ROUTE_REQUIRED_ELEMENTS = frozenset({"information"})
# The §17 requirement that the disclosure complies with the data protection legislation.
COMPLIANCE_CHECK = "compliance_check"
# §17: "HO officials will seek approval from senior officials and Ministers": one approval of each.
APPROVAL_FOR_REQUIREMENT = {"senior_official_approval": ApprovalKind.PERSONAL_DATA,
                            "ministerial_approval": ApprovalKind.MINISTERIAL}
# Where the protocol sets no routing, the holder's case officers receive the request.
DEFAULT_RECIPIENT_ROLE = Role.CASE_OFFICER


@dataclass(frozen=True)
class ElementField:
    key: str
    field: str
    clause: str
    label: str
    hint: str
    required: bool


def spec_of(request) -> ProtocolDefinition:
    return request.protocol.spec


def direction_of(request) -> Direction | None:
    if request.route != RouteKind.PROTOCOL:
        return None
    return spec_of(request).direction(request.direction)


def other_route(spec: ProtocolDefinition, route: str) -> OtherRoute:
    for candidate in spec.other_routes:
        if ROUTE_FOR_ORGANISATION_KIND.get(candidate.organisation_kind) == route:
            return candidate
    raise KeyError(f"The protocol has no route {route!r}")


def route_clause(request) -> str:
    direction = direction_of(request)
    return direction.clause if direction else other_route(spec_of(request), request.route).clause


def commissioner_direction(spec: ProtocolDefinition, requester_party: str) -> Direction:
    """The direction whose requester is this party; its elements are the template for its other routes."""
    return next(d for d in spec.directions if d.requester_party == requester_party)


def element_fields(spec: ProtocolDefinition, direction_key: str, route: str,
                   requester_party: str | None = None) -> list[ElementField]:
    """The seven elements with their clause and label, in the protocol's order: what the form shows."""
    if route == RouteKind.PROTOCOL:
        elements = spec.direction(direction_key).required_elements
        return [ElementField(e.key, ELEMENT_FIELDS[e.key], e.clause, e.label, e.hint, True) for e in elements]
    clause = other_route(spec, route).clause
    template = commissioner_direction(spec, requester_party).required_elements
    return [ElementField(e.key, ELEMENT_FIELDS[e.key], clause, e.label, e.hint,
                         e.key in OTHER_ROUTE_REQUIRED_ELEMENTS) for e in template]


def requester_party_key(spec: ProtocolDefinition, request) -> str:
    direction = direction_of(request)
    if direction:
        return direction.requester_party
    return party_of_organisation(spec, request.requester_org).key


def request_element_fields(request) -> list[ElementField]:
    spec = spec_of(request)
    return element_fields(spec, request.direction, request.route, requester_party_key(spec, request))


def party_of_organisation(spec: ProtocolDefinition, organisation):
    """The protocol party an organisation belongs to (a unit belongs to its department's party)."""
    slug = organisation.department.slug
    for party in spec.parties:
        if party.organisation == slug:
            return party
    return None


def party_by_key(spec: ProtocolDefinition, key: str):
    return next(party for party in spec.parties if party.key == key)


# --- §10 classification ------------------------------------------------------------------------

def classification_problem(spec: ProtocolDefinition, value: str, field: str = "classification") -> Problem | None:
    rules = spec.classifications
    if value in rules.levels:
        return None
    if markings.is_above_ceiling(value):
        return Problem(rules.above_ceiling_message, field=field, clause=rules.clause)
    return Problem(f"Choose {' or '.join(rules.levels)}.", field=field, clause=rules.clause)


def marking_rank(spec: ProtocolDefinition, level: str) -> int:
    return markings.rank(level)


# --- §15–17 personal data ------------------------------------------------------------------------

def category_problem(spec: ProtocolDefinition, value: str) -> Problem | None:
    rules = spec.personal_data
    if value in rules.categories:
        return None
    return Problem(f"Choose one of: {', '.join(rules.label(c) for c in rules.categories)}.",
                   field="personal_data_category", clause=rules.clause)


def personal_data_requirements(request) -> list[str]:
    spec = spec_of(request)
    if not spec.personal_data.is_personal(request.personal_data_category):
        return []
    direction = direction_of(request)
    holder_party = direction.holder_party if direction else ""
    return spec.personal_data.requirements(routine=request.is_regular, holder_party=holder_party)


def legal_basis_required(request) -> bool:
    return "legal_basis" in personal_data_requirements(request)


def approvals_required(request) -> list[ApprovalKind]:
    """§10: OFFICIAL-SENSITIVE may need senior or ministerial approval; §17: so does personal data."""
    direction = direction_of(request)
    if direction is None:
        return []
    spec = spec_of(request)
    needed = []
    if spec.classifications.needs_approval(request.classification, direction.holder_party):
        needed.append(ApprovalKind.CLASSIFICATION)
    requirements = set(personal_data_requirements(request))
    needed += [kind for key, kind in APPROVAL_FOR_REQUIREMENT.items() if key in requirements]
    if APPROVAL_REQUIREMENTS & requirements:
        # §17: where the holder's officials seek approval, its data protection officer confirms compliance.
        if COMPLIANCE_CHECK in requirements:
            needed.append(ApprovalKind.DATA_PROTECTION)
    return needed


def approval_clause(spec: ProtocolDefinition, kind: ApprovalKind) -> str:
    return spec.classifications.clause if kind == ApprovalKind.CLASSIFICATION else spec.personal_data.clause


# --- §7 / §9 checklist, §11 routing, §13–14 escalation -----------------------------------------

def checklist_of(request) -> list:
    direction = direction_of(request)
    return list(direction.assessment_checklist) if direction else []


def decision_is_final(request) -> bool:
    """§14: where the direction has no escalation, the holder's decision is final."""
    direction = direction_of(request)
    return bool(direction and not direction.escalation.available)


def publication_needs_detail(intent: str) -> bool:
    return intent in {PublicationIntent.YES, PublicationIntent.UNDECIDED}
