"""The demo's register (§16): one active HO–IASC arrangement for routine sharing of pseudonymised and personal
NRM data, drafted by the IASC's Head of Research and signed off by the Home Office's data protection officer,
its review falling due within the reminder window so that it shows in the DPO's "My work"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation, User
from arrangements import services
from arrangements.models import Arrangement

TITLE = "Routine sharing of NRM referral data for re-trafficking research"


def seed_demo_arrangement() -> Arrangement | None:
    if Arrangement.objects.filter(title=TITLE).exists():
        return None
    drafter = User.objects.filter(username="iasc.requester").first()
    dpo = User.objects.filter(username="ho.dpo").first()
    if drafter is None or dpo is None:
        return None
    today = timezone.localdate()
    arrangement = services.create(
        by=drafter, parties=Organisation.objects.filter(slug__in=("iasc", "home-office")).values_list("pk", flat=True),
        fields={
            "title": TITLE,
            "purpose": "The IASC's scrutiny of re-trafficking (Modern Slavery Act 2015 s41(1)) with the Rights Lab: "
                       "quarterly extracts to link repeat referrals.",
            "data_items": "NRM reference (pseudonymised), referral date, region, age band, nationality band, "
                          "exploitation type: each needed to link a person's referrals without naming them.",
            "personal_data_categories": ["pseudonymised", "personal"],
            "lawful_basis": "UK GDPR Article 6(1)(e) (public task); Modern Slavery Act 2015 s41 and s43.",
            "starts_on": today - timedelta(days=120), "review_on": today + timedelta(days=7),
            "ends_on": today + timedelta(days=3 * 365),
            "dpia_reference": "HO-DPIA-2026-017", "dpia_completed_on": today - timedelta(days=130),
            "dpia_outcome": "mitigated",
        })
    return services.sign_off(arrangement, by=dpo, expected_version=arrangement.version,
                             note="DPIA reviewed; retention and access controls agreed.")
