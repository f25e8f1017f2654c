"""Organisation kinds and the roles people hold, with the authority each rests on."""

from django.db import models


class OrganisationKind(models.TextChoices):
    COMMISSIONER_OFFICE = "commissioner_office", "Commissioner's office"  # MSA 2015 Part 4
    GOVERNMENT_DEPARTMENT = "government_department", "Government department"
    DEPARTMENT_UNIT = "department_unit", "Department unit"  # e.g. the Modern Slavery Unit (§11)
    OTHER_GOVERNMENT_DEPARTMENT = "other_government_department", "Other government department"  # §18
    SCHEDULE3_AUTHORITY = "schedule3_authority", "Schedule 3 authority (s43 duty to co-operate)"  # §4 fn 1
    VICTIM_CARE_SUPPLIER = "victim_care_supplier", "Victim care contract supplier"
    RESEARCH_INSTITUTION = "research_institution", "Research institution"


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"  # drafts and submits requests (§5, §8)
    CASE_OFFICER = "case_officer", "Case officer"  # works requests for their organisation
    SPOC = "spoc", "Single point of contact"  # receives requests to the HO first (§11)
    ASSESSOR = "assessor", "Assessor"  # works the §7 or §9 checklist and decides
    APPROVER = "approver", "Approver"  # a senior official (§10, §17)
    MINISTER = "minister", "Minister's office: approvals"  # §17: "approval from senior officials and Ministers"
    ESCALATION_POLICY_LEAD = "escalation_policy_lead", "Escalation: HO Policy lead on Modern Slavery"  # §13
    ESCALATION_DIRECTOR = "escalation_director", "Escalation: Director for Tackling Slavery and Exploitation"  # §13
    ESCALATION_SENIOR_SPONSOR = "escalation_senior_sponsor", "Escalation: Senior Sponsor (DG SOC)"  # §13
    ESCALATION_MINISTER = "escalation_minister", "Escalation: Ministers"  # §13, last resort
    COMMISSIONER = "commissioner", "Commissioner"  # final say on IASC disclosures (§14)
    # Named by the Commissioner to decide on her behalf (§14), only through accounts.delegation, which keeps the record.
    COMMISSIONER_DELEGATE = "commissioner_delegate", "Decides on the Commissioner's behalf (§14)"
    DPO = "dpo", "Data protection officer"  # §15–17
    OUTPUT_CHECKER = "output_checker", "Output checker"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"
    # Research access (issue 11; the letters of November 2021): research institutions, the department's contracts
    # team, and the Modern Slavery Victim Care contract's prime supplier and sub-contractors.
    RESEARCHER = "researcher", "Researcher (proposes research projects)"
    CONTRACTS_TEAM = "contracts_team", "Contracts team: reviews research on contract personal data"
    SUPPLIER_REVIEWER = "supplier_reviewer", "Supplier reviewer: reviews research for a victim care supplier"
    SERVICE_PROVIDER = "service_provider", "Service provider: tells survivors of research, records their choice"


ESCALATION_ROLES = (
    Role.ESCALATION_POLICY_LEAD,
    Role.ESCALATION_DIRECTOR,
    Role.ESCALATION_SENIOR_SPONSOR,
    Role.ESCALATION_MINISTER,
)

RESEARCH_ROLES = (Role.RESEARCHER, Role.CONTRACTS_TEAM, Role.SUPPLIER_REVIEWER, Role.SERVICE_PROVIDER)
