"""Demo research projects of 2021 (the letters of November 2021): the ESRC-funded project on survivors' journeys,
suspended by the March 2021 hold on MSVC-contract personal data; the UKRI-funded project on survivors' outcomes,
cancelled; and the IASC and Rights Lab project on re-trafficking, on anonymised statistics, never blocked. Through
the services, so each step is on the timeline and the audit chain. Runs after holds.demo (which places the hold)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.test import override_settings

from accounts.models import Organisation, User
from research import keys, services
from research.models import ResearchProject
from research.states import ProjectState

ESRC = {"title": "Survivors' journeys outside the NRM", "funder": "ESRC", "ethics_reference": "RL-ETH-2020-31",
        "summary": "Interviews with survivors supported under the MSVC contract who left or never entered the "
                   "National Referral Mechanism, and their support records, to learn what helped them.",
        "data_sources": ["msvc_contract"], "personal_data_categories": ["personal", "special_category"],
        "processes_contract_personal_data": True, "lawful_basis": "e",
        "lawful_basis_detail": "Article 9(2)(j): scientific research, with the safeguards of Article 89.",
        "dpia_reference": "RL-DPIA-2020-12", "dpia_completed_on": date(2020, 12, 14)}
UKRI = {"title": "Improving outcomes for survivors of modern slavery in the UK", "funder": "UKRI",
        "ethics_reference": "NU-REC-2020-118",
        "summary": "A longitudinal study of survivors' outcomes in safehouse and outreach support.",
        "data_sources": ["msvc_contract", "nrm_case_records"], "personal_data_categories": ["personal"],
        "processes_contract_personal_data": True, "lawful_basis": "e", "dpia_reference": "NU-DPIA-44",
        "dpia_completed_on": date(2020, 11, 2)}
RETRAFFICKING = {"title": "Re-trafficking: the evidence base", "funder": "IASC and Rights Lab",
                 "ethics_reference": "RL-ETH-2021-05",
                 "summary": "Anonymised NRM statistics on repeat referrals, by year, region and exploitation type.",
                 "data_sources": ["official_statistics"], "personal_data_categories": ["anonymised"],
                 "processes_contract_personal_data": False}


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or ResearchProject.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=[
        "rl.researcher", "nu.researcher", "ho.contracts"])}
    if len(people) < 3:
        return
    suppliers = list(Organisation.objects.filter(slug__in=["salvation-army", "survivor-support"]))
    for supplier in suppliers:
        keys.create_demo_key(supplier)
    iasc = Organisation.objects.filter(slug="iasc").first()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        esrc = services.propose(by=people["rl.researcher"], fields={**ESRC, "partner": iasc}, suppliers=suppliers)
        esrc = services.submit(esrc, by=people["rl.researcher"], expected_version=esrc.version)
        ukri = services.propose(by=people["nu.researcher"], fields=UKRI, suppliers=suppliers[:1])
        ukri = services.submit(ukri, by=people["nu.researcher"], expected_version=ukri.version)
        services.cancel(ukri, by=people["nu.researcher"], expected_version=ukri.version,
                        reason="The funder withdrew: no research on MSVC contract data could start while the hold "
                               "stood, and no date could be had for the end of the review.")
        stats = services.propose(by=people["rl.researcher"], fields={**RETRAFFICKING, "partner": iasc})
        stats = services.submit(stats, by=people["rl.researcher"], expected_version=stats.version)
        services.approve(stats, by=people["ho.contracts"], expected_version=stats.version,
                         note="Anonymised statistics: outside the hold on MSVC contract personal data.")
        services.apply_holds(by=None)
    suspended = ResearchProject.objects.filter(state=ProjectState.SUSPENDED).count()
    stdout.write(f"Demo research projects ready: 3 ({suspended} suspended by a hold).")
