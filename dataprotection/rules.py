"""What the personal-data record must say before a request is sent (§15–17, ICO data sharing code Annex B), and what
the holder must have confirmed before it agrees (§17). Each rule comes as a Problem naming its field and clause, so
the draft page, the record's page and the API show the same words.

Which requests need it: those whose personal data category the protocol lists as personal (`personal_data.
personal_categories`: pseudonymised, personal, special category, criminal offence), on any route: data protection
law applies whoever is asked. The Article 9 pieces are asked only for special category data, the Article 10 pieces
only for criminal offence data.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from concordat.errors import Problem
from dataprotection import legislation
from dataprotection.legislation import Article9Condition, Article10Authority
from dataprotection.models import PersonalDataRecord
from sharing import rules as sharing_rules

SPECIAL_CATEGORY = "special_category"
CRIMINAL_OFFENCE = "criminal_offence"

# Where each piece comes from: the protocol's clause and the law or Annex B point behind it.
CLAUSES = {
    "article6_basis": "§17; UK GDPR Art 6(1)",
    "article9_condition": "§17; UK GDPR Art 9(2)",
    "schedule1_condition": "§17; DPA 2018 s10, Sch 1",
    "policy_document": "§17; DPA 2018 Sch 1 Part 4",
    "article10_authority": "§17; UK GDPR Art 10",
    "criminal_schedule1_condition": "§17; DPA 2018 s10(5), Sch 1",
    "statutory_power": "§17; Annex B",
    "necessity": "§15; Annex B",
    "data_items": "§15; Annex B; UK GDPR Art 5(1)(c)",
    "retention": "§16; Annex B; UK GDPR Art 5(1)(e)",
    "deletion": "§16; Annex B; UK GDPR Art 5(1)(e)",
    "dpia_reference": "§16; Annex B; UK GDPR Art 35",
    "individual_rights": "§16; Annex B; UK GDPR Arts 12–22",
    "confirmation": "§17",
}
# The plain text pieces every personal-data record needs: (field, what to ask).
TEXT_PIECES = (
    ("statutory_power", "Name the statutory power relied on (for example, Modern Slavery Act 2015 s41)."),
    ("necessity", "Say why sharing this personal data is necessary, and why less would not do."),
    ("retention", "Say how long the personal data will be kept."),
    ("deletion", "Say how the personal data will be deleted or destroyed at the end."),
    ("individual_rights", "Say how individuals' rights (to be informed, of access, to object) will be met."),
)


def record_of(request) -> PersonalDataRecord | None:
    try:
        return request.personal_data_record
    except ObjectDoesNotExist:
        return None


def needs_record(request) -> bool:
    """§15–17: the request's category is personal data (pseudonymised data is still personal data)."""
    return sharing_rules.spec_of(request).personal_data.is_personal(request.personal_data_category)


def _problem(field: str, message: str) -> Problem:
    return Problem(message, field=field, clause=CLAUSES[field])


def record_problems(request, record: PersonalDataRecord | None = None) -> list[Problem]:
    """Each missing piece of the record, in the order the page asks them (empty when complete)."""
    record = record if record is not None else record_of(request)
    if record is None:
        record = PersonalDataRecord(request=request)
        items = []
    else:
        items = list(record.items.all()) if record.pk else []
    category = request.personal_data_category
    problems = []
    if not record.article6_basis:
        problems.append(_problem("article6_basis", "Choose the UK GDPR Article 6 lawful basis for sharing."))
    if category == SPECIAL_CATEGORY:
        problems += _special_category_problems(record)
    if category == CRIMINAL_OFFENCE:
        problems += _criminal_offence_problems(record)
    for field, message in TEXT_PIECES:
        if not getattr(record, field).strip():
            problems.append(_problem(field, message))
    if not items:
        problems.append(_problem("data_items", "List each item of personal data asked for, and why it is needed."))
    if not record.dpia_reference.strip() and not record.dpo_view.strip():
        problems.append(_problem("dpia_reference", "Give the data protection impact assessment's reference, or "
                                                   "record the data protection officer's view."))
    return problems


def _special_category_problems(record: PersonalDataRecord) -> list[Problem]:
    condition = record.article9_condition
    if not condition:
        return [_problem("article9_condition", "Choose the UK GDPR Article 9 condition for special category data.")]
    problems = []
    part = legislation.ARTICLE9_NEEDS_SCHEDULE1_PART.get(condition)
    chosen = record.schedule1_condition
    label = Article9Condition(condition).label.split(")")[0] + ")"
    if part is not None and not chosen:
        problems.append(_problem("schedule1_condition", f"Article 9(2){label} needs a condition in Part {part} of "
                                                        "Schedule 1 to the Data Protection Act 2018: choose it."))
    elif part is not None and legislation.schedule1_part(chosen) != part:
        problems.append(_problem("schedule1_condition", f"Article 9(2){label} needs a condition in Part {part} of "
                                                        "Schedule 1, not that one."))
    elif part == 1 and chosen != legislation.ARTICLE9_PART1_PARAGRAPH[condition]:
        problems.append(_problem("schedule1_condition", f"Article 9(2){label} is met by Schedule 1 Part 1 paragraph "
                                                        f"{legislation.ARTICLE9_PART1_PARAGRAPH[condition]}."))
    if part is not None and legislation.needs_policy_document(chosen) and not record.policy_document.strip():
        problems.append(_problem("policy_document", "That Schedule 1 condition needs an appropriate policy "
                                                    "document: give its reference."))
    return problems


def _criminal_offence_problems(record: PersonalDataRecord) -> list[Problem]:
    if not record.article10_authority:
        return [_problem("article10_authority", "Choose the UK GDPR Article 10 authority for criminal offence data.")]
    chosen = record.criminal_schedule1_condition
    problems = []
    if record.article10_authority == Article10Authority.AUTHORISED_BY_LAW and not chosen:
        problems.append(_problem("criminal_schedule1_condition", "Processing authorised by domestic law needs a "
                                                                 "Schedule 1 condition (DPA 2018 s10(5)): choose it."))
    if legislation.needs_policy_document(chosen) and not record.policy_document.strip():
        problems.append(_problem("policy_document", "That Schedule 1 condition needs an appropriate policy "
                                                    "document: give its reference."))
    return problems


def submission_problems(request) -> list[Problem]:
    """sharing.services.drafting.submission_problems asks this: nothing for a request without personal data."""
    return record_problems(request) if needs_record(request) else []


def has_legal_basis(request) -> bool:
    """§17 "a legal basis for sharing" (the protocol's `legal_basis` requirement): the record's Article 6 basis, or
    the free-text legal basis of a request recorded before the record existed."""
    record = record_of(request)
    return bool(record and record.article6_basis) or bool(request.legal_basis.strip())


def needs_confirmation(request) -> bool:
    """§17 "the proposed disclosure complies with the data protection legislation" (the protocol's
    `compliance_check` requirement): the holder confirms the record before agreeing."""
    return sharing_rules.COMPLIANCE_CHECK in sharing_rules.personal_data_requirements(request)


def confirmation_problems(request) -> list[Problem]:
    """What stands between the holder and agreeing, for the record (§17)."""
    if not needs_confirmation(request):
        return []
    record = record_of(request)
    if record is None or record_problems(request, record):
        return [_problem("confirmation", "The personal-data record (Annex B) is not complete: ask the requester "
                                         "for further information.")]
    if not record.is_confirmed:
        return [_problem("confirmation", "Confirm that the disclosure complies with data protection law, on the "
                                         "personal-data record as it now stands.")]
    return []
