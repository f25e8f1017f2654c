"""Builders for processing holds (issue 11): the March 2021 hold on MSVC-contract personal victim data for
research, placed by the Home Office's DPO and owned by its approver."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from holds import services
from holds.models import Hold


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
