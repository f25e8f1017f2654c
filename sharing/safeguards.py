"""§15–17: each requirement a protocol's `personal_data` block may name, and the code that enforces it.

A protocol definition says which safeguards apply to ad hoc and to routine sharing of personal data
(`ad_hoc_requires`, `routine_requires`; the keys it may use are `protocols.schema.PERSONAL_DATA_REQUIREMENTS`).
`sharing.rules.personal_data_requirements(request)` reads them for a request; the code named here turns each into
a refusal at the stage where it stands in the way. tests/integration/sharing/test_personal_data_keys.py walks every
key: a key with no entry here fails, and so does an entry whose code does not refuse when the key applies and the
safeguard is missing (and only then).
"""

from __future__ import annotations

from dataclasses import dataclass

SUBMISSION = "submission"  # sharing.services.drafting.submission_problems
AGREEMENT = "agreement"  # sharing.policies.decision_problems, for an agreement in whole or in part


@dataclass(frozen=True)
class Safeguard:
    stage: str
    field: str  # the field the refusal names
    clause: str
    enforced_by: str  # the function that refuses, "module.function"
    what: str


ENFORCED: dict[str, Safeguard] = {
    "legal_basis": Safeguard(
        AGREEMENT, "legal_basis", "§17", "dataprotection.rules.has_legal_basis",
        "a legal basis for sharing: the record's UK GDPR Article 6 basis (asked at submission with the rest of "
        "the Annex B record, dataprotection.rules.record_problems), checked again before agreement"),
    "compliance_check": Safeguard(
        AGREEMENT, "confirmation", "§17", "dataprotection.rules.confirmation_problems",
        "the holder confirms the disclosure complies with data protection law, on the record as it stands; where "
        "the holder's officials seek approvals, its data protection officer's approval too "
        "(approvals.ApprovalKind.DATA_PROTECTION, sharing.rules.approvals_required)"),
    "senior_official_approval": Safeguard(
        AGREEMENT, "approvals", "§15–17", "sharing.policies.approval_problems",
        "approval by a senior official (sharing.rules.APPROVAL_FOR_REQUIREMENT: ApprovalKind.PERSONAL_DATA)"),
    "ministerial_approval": Safeguard(
        AGREEMENT, "approvals", "§15–17", "sharing.policies.approval_problems",
        "approval by a Minister's office (sharing.rules.APPROVAL_FOR_REQUIREMENT: ApprovalKind.MINISTERIAL)"),
    "data_sharing_arrangement": Safeguard(
        SUBMISSION, "data_sharing_arrangement", "§16", "arrangements.coverage.problems",
        "an active data sharing arrangement covering the parties, the category and the request's period"),
    "impact_assessment": Safeguard(
        SUBMISSION, "impact_assessment", "§16", "arrangements.coverage.problems",
        "a data protection impact assessment on that arrangement that lets the sharing go ahead"),
}
