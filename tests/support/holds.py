"""Builders for processing holds (issue 11): the March 2021 hold on MSVC-contract personal victim data for
research, placed by the Home Office's DPO and owned by its approver."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from holds import services
from holds.models import Hold

# Request scopes (issue 11): inside the MSVC hold, outside it, and the June 2021 joint request's two parts.
PERSONAL_RESEARCH = {"data_source": "msvc_contract", "purpose_kind": "research",
                     "personal_data_category": "personal", "legal_basis": "UK GDPR Art 6(1)(e)."}
ANONYMISED_STATISTICS = {"data_source": "nrm_case_records", "purpose_kind": "statistics",
                         "personal_data_category": "anonymised"}
JUNE_2021_PARTS = [
    {"what": "Counts of adults referred to the NRM more than once, 2016 to 2021", "data_source": "nrm_case_records",
     "purpose_kind": "research", "personal_data_category": "anonymised"},
    {"what": "Support providers' case notes on re-trafficked survivors", "data_source": "msvc_contract",
     "purpose_kind": "research", "personal_data_category": "personal"},
]


def today() -> date:
    return timezone.localdate()


def msvc_fields(cast, **overrides) -> dict:
    return {
        "title": "Research on personal victim data held under the MSVC contract",
        "data_source": "msvc_contract",
        "purposes": ["research"],
        "personal_data_categories": ["personal", "special_category", "pseudonymised"],
        "reason": "The contract is not clear enough on data handling for research using sensitive and personal "
                  "victim data: a significant risk that it is used improperly.",
        "advice": "The Information Commissioner's Office: halt processing of personal victim data for research "
                  "until the contractual position is clarified.",
        "owner": cast.ho_approver.pk,
        "began_on": today() - timedelta(days=30),
        "next_review_on": today() + timedelta(days=60),
        "lifting_conditions": "A Contract Change Notice in the MSVC contract creating a mechanism to manage research.",
        **overrides,
    }


def placed(cast, *, by=None, **overrides) -> Hold:
    return services.place(by=by or cast.ho_dpo, fields=msvc_fields(cast, **overrides))


def overdue(hold: Hold, days: int = 3) -> Hold:
    """The hold as it stands once its review date has passed with no review (a test may move the calendar's
    facts; people cannot set a review date in the past)."""
    Hold.objects.filter(pk=hold.pk).update(next_review_on=today() - timedelta(days=days),
                                           began_on=today() - timedelta(days=200))
    return Hold.objects.get(pk=hold.pk)
