"""Demo publication proposals (§7(b)): one agreed with changes, one awaiting the Home Office, on requests the demo
has provided. Through the services, so each is on the timeline and the audit chain."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from accounts.models import User
from publications import services
from publications.models import PublicationProposal
from sharing.models import Request
from sharing.states import AGREEING_DECISIONS, PublicationIntent


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or PublicationProposal.objects.exists():
        return
    approver = User.objects.filter(username="ho.approver").first()
    candidates = (Request.objects.filter(state__in=services.PUBLISHABLE_STATES, decision__in=AGREEING_DECISIONS,
                                         direction="iasc_to_ho", classification="OFFICIAL",
                                         requester__username="iasc.requester")
                  .exclude(publication_intent=PublicationIntent.NO).order_by("pk")[:2])
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, request in enumerate(candidates):
            proposal = services.propose(request, by=request.requester, text=(
                "Table 2 of the annual report: the figures provided, by region, with the Home Office named as "
                "their source."))
            if index == 0 and approver is not None:
                services.decide(proposal, by=approver, expected_version=proposal.version,
                                outcome="agree_with_changes",
                                agreed_text="Table 2 of the annual report: the figures provided, by region, counts "
                                            "under 10 shown as '<10', with the Home Office named as their source.",
                                reasons="Small numbers suppressed so that no one can be identified.")
    stdout.write(f"Demo publication proposals ready: {len(candidates)}.")
