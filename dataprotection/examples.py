"""A complete personal-data record (§15–17, Annex B), for the demo and the tests: a research request under the
Commissioner's s41 functions, with the pieces each personal data category needs."""

from __future__ import annotations

from dataprotection.legislation import (
    Article6Basis,
    Article9Condition,
    Article10Authority,
    Schedule1Condition,
)

BASE = {
    "article6_basis": Article6Basis.PUBLIC_TASK.value,
    "statutory_power": "Modern Slavery Act 2015 s41 (the Commissioner's general functions) and s43 (duty to co-operate).",
    "necessity": "Counts alone cannot show whether the same people are re-trafficked: linking referrals by a "
                 "pseudonymous key is the least data that answers the question.",
    "retention": "Two years from receipt, or six months after publication if sooner.",
    "deletion": "Secure deletion from the encrypted store; deletion confirmed in writing to the holder.",
    "dpia_reference": "IASC DPIA 2021-03 (re-trafficking research)",
    "dpo_view": "",
    "individual_rights": "The privacy notices of both parties cover research under s41; requests under Articles "
                         "15-21 are handled by the holder's data protection team.",
}
SPECIAL_CATEGORY = {
    "article9_condition": Article9Condition.SUBSTANTIAL_PUBLIC_INTEREST.value,
    "schedule1_condition": Schedule1Condition.P2_STATUTORY.value,
    "policy_document": "Home Office appropriate policy document, version 3",
}
CRIMINAL_OFFENCE = {
    "article10_authority": Article10Authority.AUTHORISED_BY_LAW.value,
    "criminal_schedule1_condition": Schedule1Condition.P3_EXTENDED_PART2.value,
    "policy_document": "Home Office appropriate policy document, version 3",
}
ITEMS = [
    {"item": "Pseudonymous referral key", "reason": "To link referrals of the same person without a name."},
    {"item": "Year and region of each referral", "reason": "To show where and when re-referrals happen."},
]


def example_fields(category: str) -> dict:
    extra = {"special_category": SPECIAL_CATEGORY, "criminal_offence": CRIMINAL_OFFENCE}.get(category, {})
    return {**BASE, **extra}


def give_example_record(request, by):
    """Save a complete record on a draft, as its requester."""
    from dataprotection import services

    return services.save_record(request, by=by, expected_version=0, fields=example_fields(
        request.personal_data_category), items=ITEMS)
