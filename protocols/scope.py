"""What a piece of processing touches, in one shared vocabulary (no Django models): the data source it draws on and
the purpose it serves. Together with the personal-data category (the protocol's `personal_data.categories`, §15–17)
they describe the scope of a processing hold (issue 11), of a request, of a research project and of a dataset, so
that "does this hold apply here?" is a comparison of three values, not a reading of free text.

The letters of November 2021 are the reason: research on personal victim data held under the Modern Slavery Victim
Care (MSVC) contract was halted, while research on professional insights, anonymised information and statistics was
never blocked, and nobody could see which was which.
"""

from __future__ import annotations

from django.db import models


class DataSource(models.TextChoices):
    MSVC_CONTRACT = "msvc_contract", "Victim data held under the Modern Slavery Victim Care contract"
    NRM_CASE_RECORDS = "nrm_case_records", "National Referral Mechanism case records"
    IMMIGRATION_RECORDS = "immigration_records", "Immigration and asylum records"
    OFFICIAL_STATISTICS = "official_statistics", "Published or publishable statistics"
    PROFESSIONAL_INSIGHT = "professional_insight", "Professional insights and policy information (no case data)"
    OTHER = "other", "Another source (described in the request)"


class Purpose(models.TextChoices):
    RESEARCH = "research", "Research"
    SCRUTINY = "scrutiny", "The Commissioner's scrutiny and reporting"
    STATISTICS = "statistics", "Statistics"
    POLICY = "policy", "Policy development"
    CASEWORK = "casework", "Casework"
    OTHER = "other", "Another purpose (described in the request)"
