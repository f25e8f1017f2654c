"""The organisations the HO–IASC protocol involves, used by the demo and the tests."""

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role

STANDARD_ORGANISATIONS = [
    # slug, name, short name, kind, parent slug
    ("home-office", "Home Office", "HO", OrganisationKind.GOVERNMENT_DEPARTMENT, None),
    ("msu", "Modern Slavery Unit", "MSU", OrganisationKind.DEPARTMENT_UNIT, "home-office"),  # §11
    ("sponsorship-unit", "Home Office Sponsorship Unit", "Sponsorship Unit", OrganisationKind.DEPARTMENT_UNIT,
     "home-office"),  # §18
    ("ho-analysis", "Home Office Analysis and Insight", "HO Analysis", OrganisationKind.DEPARTMENT_UNIT,
     "home-office"),
    ("iasc", "Office of the Independent Anti-Slavery Commissioner", "IASC", OrganisationKind.COMMISSIONER_OFFICE,
     None),
    ("dwp", "Department for Work and Pensions", "DWP", OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT, None),  # §18
    ("ukvi", "UK Visas and Immigration", "UKVI", OrganisationKind.SCHEDULE3_AUTHORITY, None),  # §4 fn 1
    ("salvation-army", "The Salvation Army (MSVC prime supplier)", "The Salvation Army",
     OrganisationKind.VICTIM_CARE_SUPPLIER, None),
    ("rights-lab", "Rights Lab, University of Nottingham", "Rights Lab", OrganisationKind.RESEARCH_INSTITUTION,
     None),
]

# username, full name, job title, organisation slug, roles — the demo's cast.
DEMO_PEOPLE = [
    ("iasc.requester", "Priya Shah", "Head of Research", "iasc", [Role.REQUESTER, Role.CASE_OFFICER]),
    ("iasc.commissioner", "The Commissioner", "Independent Anti-Slavery Commissioner", "iasc",
     [Role.COMMISSIONER, Role.ASSESSOR]),
    ("iasc.caseofficer", "Tom Ellis", "Policy and Research Officer", "iasc", [Role.CASE_OFFICER, Role.ASSESSOR]),
    ("msu.spoc", "Ana Costa", "MSU data sharing lead", "msu", [Role.SPOC, Role.CASE_OFFICER]),
    ("ho.assessor", "Gareth Lloyd", "Senior Analyst", "ho-analysis", [Role.ASSESSOR]),
    ("ho.requester", "Helen Brooks", "Modern Slavery Strategy lead", "msu", [Role.REQUESTER, Role.CASE_OFFICER]),
    ("ho.approver", "Deputy Director", "Deputy Director, Modern Slavery Unit", "msu", [Role.APPROVER]),
    ("ho.dpo", "Rachel Kim", "Data Protection Officer", "home-office", [Role.DPO]),
    ("ho.policylead", "Sam Patel", "HO Policy lead on Modern Slavery", "msu", [Role.ESCALATION_POLICY_LEAD]),
    ("ho.director", "Director TSE", "Director for Tackling Slavery and Exploitation", "home-office",
     [Role.ESCALATION_DIRECTOR]),
    ("ho.checker", "Lee Morgan", "Statistician", "ho-analysis", [Role.OUTPUT_CHECKER]),
    ("auditor", "Jo Walsh", "Internal auditor", "iasc", [Role.AUDITOR]),
    ("admin", "Service Administrator", "Administrator", "home-office", [Role.ADMINISTRATOR]),
]


def ensure_standard_organisations() -> dict[str, Organisation]:
    made: dict[str, Organisation] = {}
    for slug, name, short, kind, parent in STANDARD_ORGANISATIONS:
        made[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind,
                                 "parent": made.get(parent) if parent else None},
        )
    return made
