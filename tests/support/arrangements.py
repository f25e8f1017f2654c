"""Builders for data sharing arrangements (§16): a complete draft, signed off, and a regular personal-data
request it would cover."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation
from arrangements import services
from arrangements.models import Arrangement
from tests.support.requests import draft


def today():
    return timezone.localdate()


def complete_fields(**overrides) -> dict:
    day = today()
    return {
        "title": "NRM referrals for the re-trafficking research",
        "purpose": "Routine quarterly sharing for the IASC's scrutiny of re-trafficking (s41(1)).",
        "data_items": "NRM reference, referral date, region, nationality band: each needed to link referrals.",
        "personal_data_categories": ["personal", "pseudonymised"],
        "lawful_basis": "UK GDPR Art 6(1)(e); Modern Slavery Act 2015 s41 and s43.",
        "starts_on": day - timedelta(days=30), "review_on": day + timedelta(days=180),
        "ends_on": day + timedelta(days=730),
        "dpia_reference": "HO-DPIA-2026-017", "dpia_completed_on": day - timedelta(days=40),
        "dpia_outcome": "mitigated",
        **overrides,
    }


def parties(*slugs: str) -> list[int]:
    return list(Organisation.objects.filter(slug__in=slugs or ("iasc", "home-office")).values_list("pk", flat=True))


def drafted(cast, *, by=None, party_slugs=("iasc", "home-office"), **overrides) -> Arrangement:
    return services.create(by=by or cast.iasc_case_officer, parties=parties(*party_slugs),
                           fields=complete_fields(**overrides))


def active(cast, *, by=None, **overrides) -> Arrangement:
    made = drafted(cast, by=by, **overrides)
    return services.sign_off(made, by=cast.ho_dpo, expected_version=made.version, note="Signed.")


def regular_personal_request(cast, *, category: str = "personal", **fields):
    day = today()
    return draft(cast.iasc_requester, provision="regular", frequency="quarterly", period_start=day,
                 period_end=day + timedelta(days=360), personal_data_category=category,
                 legal_basis="UK GDPR Art 6(1)(e).", **fields)
