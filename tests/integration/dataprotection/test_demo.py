"""The demo's personal-data requests carry complete records (§15–17, Annex B), confirmed where they were agreed."""

from __future__ import annotations

from dataprotection import rules
from sharing.models import Request
from tests.integration.workflow.test_my_work_agreement import demo_cast  # noqa: F401  (the fixture)


def test_the_demo_records_its_personal_data_requests(demo_cast, monkeypatch):  # noqa: F811
    personal = list(Request.objects.filter(personal_data_category="pseudonymised"))
    assert personal, "the demo has personal-data requests"
    for request in personal:
        assert rules.record_problems(request) == [], request.reference
        if request.decision in ("agreed", "agreed_in_part"):
            assert rules.record_of(request).is_confirmed, request.reference

