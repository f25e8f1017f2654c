"""Demo safe outputs (§15): one dataset of synthetic NRM referrals made by the generator, and one table release
from it approved by two output checkers, on a request the Home Office has agreed. Through the services, so each
step is on the timeline and the audit chain."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import User
from disclosure.synthetic import generate
from releases import datasets, services
from releases.models import Dataset
from sharing import permissions as request_permissions
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import Action

ROWS, SEED = 20_000, 2026
ROLES = {"nrm_reference": "direct_identifier", "age": "quasi_identifier", "gender": "quasi_identifier",
         "nationality": "quasi_identifier", "police_force_area": "quasi_identifier", "referral_date": "quasi_identifier",
         "exploitation_type": "sensitive"}


def _author_and_request():
    """A Home Office person who may deliver on an OFFICIAL request that awaits delivery."""
    people = list(User.objects.filter(is_active=True, organisation__isnull=False, username__startswith="ho.")
                  .select_related("organisation"))
    for request in Request.objects.filter(classification="OFFICIAL").order_by("pk"):
        if not REQUESTS.action_allowed(Action.DELIVER, request):
            continue
        for person in people:
            if request_permissions.user_can(person, Action.DELIVER, request):
                return person, request
    return None, None


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or Dataset.objects.exists():
        return
    author, request = _author_and_request()
    checkers = list(User.objects.filter(username__in=["ho.checker", "ho.checker2"]).order_by("username"))
    if author is None or len(checkers) < 2:
        stdout.write("Demo releases skipped: no Home Office request awaits delivery, or fewer than two checkers.")
        return
    records = generate(ROWS, seed=SEED).write_csv().encode()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        dataset = datasets.upload(SimpleUploadedFile("synthetic-nrm.csv", records, content_type="text/csv"),
                                  by=author, title=f"Synthetic NRM referrals ({ROWS:,} records, seed {SEED})",
                                  classification="OFFICIAL", personal_data_category="personal",
                                  data_source="nrm_case_records", roles=ROLES)
        release = services.draft(request, by=author, dataset=dataset, kind="table",
                                 title="Referrals by police force area and exploitation type",
                                 spec={"dimensions": ["police_force_area", "exploitation_type"], "hierarchies": True})
        release = services.submit(release, by=author, expected_version=release.version)
        for checker in checkers:
            release = services.check(release, by=checker, expected_version=release.version, verdict="safe")
        services.consolidate(release, by=checkers[0], expected_version=release.version, outcome="approve")
    stdout.write(f"Demo safe outputs ready: dataset {dataset.pk}, release {release.pk} approved.")
