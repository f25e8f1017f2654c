"""Builders for research projects (issue 11): a cast of researchers, the contracts team and suppliers' people,
participant keys for the suppliers (held outside the database, here in settings), and projects at each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from research import services

KEYS = {"salvation-army": "11" * 32, "survivor-support": "22" * 32}


@pytest.fixture(autouse=True)
def participant_keys(settings):
    settings.RESEARCH_PARTICIPANT_KEYS = KEYS


@dataclass
class ResearchCast:
    researcher: object  # Rights Lab
    colleague: object  # Rights Lab, a second researcher
    other_researcher: object  # Northern University
    contracts: object  # the SCA contracts team (Home Office unit)
    tsa_reviewer: object  # The Salvation Army: supplier reviewer and service provider
    ssp_provider: object  # Survivor Support: service provider and supplier reviewer
    ho_approver: object
    iasc_requester: object


def research_cast(person, cast) -> ResearchCast:
    return ResearchCast(
        researcher=person("rights-lab", Role.RESEARCHER, email="maya@rightslab.example"),
        colleague=person("rights-lab", Role.RESEARCHER, email="colleague@rightslab.example"),
        other_researcher=person("northern-university", Role.RESEARCHER, email="dan@nu.example"),
        contracts=person("sca-contracts", Role.CONTRACTS_TEAM, email="contracts@homeoffice.example"),
        tsa_reviewer=person("salvation-army", Role.SUPPLIER_REVIEWER, Role.SERVICE_PROVIDER, email="r@tsa.example"),
        ssp_provider=person("survivor-support", Role.SERVICE_PROVIDER, Role.SUPPLIER_REVIEWER,
                            email="j@ssp.example"),
        ho_approver=cast.ho_approver, iasc_requester=cast.iasc_requester)


def today() -> date:
    return timezone.localdate()


def contract_fields(**overrides) -> dict:
    """The ESRC-funded project on survivors' journeys: personal victim data held under the MSVC contract."""
    return {"title": "Survivors' journeys outside the NRM", "funder": "ESRC", "ethics_reference": "RL-ETH-2021-07",
            "summary": "Interviews with survivors supported under the MSVC contract, and their support records.",
            "data_sources": ["msvc_contract"], "personal_data_categories": ["personal", "special_category"],
            "processes_contract_personal_data": True, "lawful_basis": "e",
            "lawful_basis_detail": "Art 9(2)(j): research, with safeguards.", "dpia_reference": "RL-DPIA-12",
            "dpia_completed_on": date(2021, 1, 20), "partner": Organisation.objects.get(slug="iasc"), **overrides}


def statistics_fields(**overrides) -> dict:
    """Research on anonymised statistics: never blocked."""
    return {"title": "Re-trafficking: the evidence base", "funder": "IASC and Rights Lab",
            "ethics_reference": "RL-ETH-2021-11", "summary": "Anonymised NRM statistics by year and region.",
            "data_sources": ["official_statistics", "msvc_contract"], "personal_data_categories": ["anonymised"],
            "processes_contract_personal_data": False, **overrides}


def suppliers() -> list[Organisation]:
    return list(Organisation.objects.filter(slug__in=["salvation-army", "survivor-support"]).order_by("slug"))


def proposed(rc: ResearchCast, **overrides):
    return services.propose(by=rc.researcher, fields=contract_fields(**overrides), suppliers=suppliers())


def under_review(rc: ResearchCast, **overrides):
    project = proposed(rc, **overrides)
    return services.submit(project, by=rc.researcher, expected_version=project.version)


def reviewed(rc: ResearchCast, project, *, suppliers_too: bool = True):
    from approvals.models import Approval
    from approvals.states import ApprovalState

    for review in Approval.objects.filter(research_project=project, state=ApprovalState.REQUESTED).order_by("pk"):
        who = {"sca-contracts": rc.contracts, "home-office": rc.contracts, "salvation-army": rc.tsa_reviewer,
               "survivor-support": rc.ssp_provider}[review.deciding_organisation.slug]
        if who is not rc.contracts and not suppliers_too:
            continue
        services.review(review, by=who, expected_version=review.version, outcome="approve",
                        conditions="Data kept on the university's secure server; deleted at the end.")
    return project


def approved(rc: ResearchCast, **overrides):
    project = reviewed(rc, under_review(rc, **overrides))
    project.refresh_from_db()
    return services.approve(project, by=rc.contracts, expected_version=project.version)


def fresh(project):
    project.refresh_from_db()
    return project


def signed_pdf(name: str = "signed-nda.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def a_year() -> timedelta:
    return timedelta(days=365)
