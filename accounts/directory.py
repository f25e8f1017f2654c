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
    # Research access (issue 11): the department's contracts team for the MSVC contract, a sub-contractor of the
    # prime supplier (a service provider that supports survivors), and a second research institution.
    ("sca-contracts", "Single Competent Authority Contracts and Service Delivery Team", "SCA Contracts",
     OrganisationKind.DEPARTMENT_UNIT, "home-office"),
    ("survivor-support", "Survivor Support Partnership (MSVC sub-contractor)", "Survivor Support",
     OrganisationKind.VICTIM_CARE_SUPPLIER, None),
    ("northern-university", "Northern University, Centre for Survivor Research", "Northern University",
     OrganisationKind.RESEARCH_INSTITUTION, None),
]

# username, full name, email, job title, organisation slug, roles — the demo's cast. Addresses are on the
# reserved .example domains (RFC 2606), so that no demo email can reach a real inbox.
DEMO_PEOPLE = [
    ("iasc.requester", "Priya Shah", "priya.shah@iasc.example", "Head of Research", "iasc",
     [Role.REQUESTER, Role.CASE_OFFICER]),
    ("iasc.commissioner", "The Commissioner", "commissioner@iasc.example", "Independent Anti-Slavery Commissioner",
     "iasc", [Role.COMMISSIONER, Role.ASSESSOR]),
    ("iasc.caseofficer", "Tom Ellis", "tom.ellis@iasc.example", "Policy and Research Officer", "iasc",
     [Role.CASE_OFFICER, Role.ASSESSOR]),
    ("msu.spoc", "Ana Costa", "ana.costa@homeoffice.example", "MSU data sharing lead", "msu",
     [Role.SPOC, Role.CASE_OFFICER]),
    ("ho.assessor", "Gareth Lloyd", "gareth.lloyd@homeoffice.example", "Senior Analyst", "ho-analysis",
     [Role.ASSESSOR]),
    ("ho.requester", "Helen Brooks", "helen.brooks@homeoffice.example", "Modern Slavery Strategy lead", "msu",
     [Role.REQUESTER, Role.CASE_OFFICER]),
    ("ho.approver", "Deputy Director", "deputy.director.msu@homeoffice.example",
     "Deputy Director, Modern Slavery Unit", "msu", [Role.APPROVER]),
    ("ho.ministersoffice", "Alex Reid", "alex.reid@homeoffice.example",
     "Private Secretary to the Minister for Safeguarding", "home-office", [Role.MINISTER]),  # §17
    ("ho.dpo", "Rachel Kim", "rachel.kim@homeoffice.example", "Data Protection Officer", "home-office",
     [Role.DPO]),
    ("ho.policylead", "Sam Patel", "sam.patel@homeoffice.example", "HO Policy lead on Modern Slavery", "msu",
     [Role.ESCALATION_POLICY_LEAD]),
    ("ho.director", "Director TSE", "director.tse@homeoffice.example",
     "Director for Tackling Slavery and Exploitation", "home-office", [Role.ESCALATION_DIRECTOR]),
    ("ho.sponsor", "Director General SOC", "dg.soc@homeoffice.example",
     "Senior Sponsor of the IASC (DG Serious and Organised Crime)", "home-office", [Role.ESCALATION_SENIOR_SPONSOR]),
    ("ho.minister", "Minister's Private Office", "minister.office@homeoffice.example",
     "Private Secretary to the Minister for Safeguarding", "home-office", [Role.ESCALATION_MINISTER]),
    ("ho.sponsorship", "Marcus Reid", "marcus.reid@homeoffice.example", "Sponsorship Unit lead for the IASC",
     "sponsorship-unit", [Role.CASE_OFFICER]),  # keeps the §18 directory of contacts with the MSU
    ("ho.checker", "Lee Morgan", "lee.morgan@homeoffice.example", "Statistician", "ho-analysis",
     [Role.OUTPUT_CHECKER]),
    ("ho.checker2", "Nadia Okafor", "nadia.okafor@homeoffice.example", "Statistician", "home-office",
     [Role.OUTPUT_CHECKER]),  # releases are checked by two (§15, ADR 34)
    ("auditor", "Jo Walsh", "jo.walsh@iasc.example", "Internal auditor", "iasc", [Role.AUDITOR]),
    ("rl.researcher", "Dr Maya Okafor", "maya.okafor@rightslab.example", "Research Fellow, Rights Lab",
     "rights-lab", [Role.RESEARCHER]),
    ("nu.researcher", "Prof. Daniel Hart", "daniel.hart@northern-university.example", "Professor of Social Policy",
     "northern-university", [Role.RESEARCHER]),
    ("ho.contracts", "Kim Greaves", "kim.greaves@homeoffice.example",
     "Head, SCA Contracts and Service Delivery Team", "sca-contracts", [Role.CONTRACTS_TEAM]),
    ("tsa.reviewer", "Ruth Adeyemi", "ruth.adeyemi@salvationarmy.example", "Research and Data Lead, MSVC contract",
     "salvation-army", [Role.SUPPLIER_REVIEWER, Role.SERVICE_PROVIDER]),
    ("ssp.provider", "Jordan Blake", "jordan.blake@survivorsupport.example", "Support Worker Team Leader",
     "survivor-support", [Role.SERVICE_PROVIDER, Role.SUPPLIER_REVIEWER]),
    ("admin", "Service Administrator", "concordat.admin@homeoffice.example", "Administrator", "home-office",
     [Role.ADMINISTRATOR]),
]


def ensure_standard_organisations() -> dict[str, Organisation]:
    made: dict[str, Organisation] = {}
    for slug, name, short, kind, parent in STANDARD_ORGANISATIONS:
        made[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind,
                                 "parent": made.get(parent) if parent else None},
        )
    return made
