"""§16 at submission: "In the event that it is considered appropriate to share personal data routinely, the
parties will prepare the necessary data sharing arrangements and impact assessments". A regular request with
personal data (sharing.rules.personal_data_requirements: `data_sharing_arrangement`, `impact_assessment`) is
sent only when an arrangement covers it: both of its parties are parties of the arrangement, the arrangement
covers its personal-data category, it is active (state and dates) over the request's whole period, and its
DPIA is recorded with an outcome that lets the sharing go ahead.

sharing.services.drafting.submission_problems calls `problems`; the request page shows `covering`."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from arrangements.models import Arrangement
from arrangements.states import DPIA_ALLOWS_SHARING, ArrangementState
from concordat.errors import Problem

CLAUSE = "§16"
ARRANGEMENT_KEY = "data_sharing_arrangement"
IMPACT_ASSESSMENT_KEY = "impact_assessment"


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = request.period_start or today
    return start, request.period_end or start


def _department(organisation) -> int:
    return organisation.parent_id or organisation.pk


def candidates(request) -> list[Arrangement]:
    """Active arrangements between the request's two parties covering its category over its whole period,
    soonest-ending last (the one that covers longest first)."""
    start, end = _period(request)
    parties = {_department(request.requester_org), _department(request.holder_org)}
    found = (Arrangement.objects.filter(state=ArrangementState.ACTIVE, starts_on__lte=start, ends_on__gte=end)
             .filter(parties=min(parties)).filter(parties=max(parties))
             .prefetch_related("parties").order_by("-ends_on", "pk"))
    return [a for a in found if request.personal_data_category in (a.personal_data_categories or [])]


def covering(request) -> Arrangement | None:
    """The arrangement that covers the request, its DPIA recorded and allowing the sharing; None if none does."""
    return next((a for a in candidates(request) if a.dpia_recorded and a.dpia_outcome in DPIA_ALLOWS_SHARING),
                None)


def problems(request, requirements: list[str]) -> list[Problem]:
    """One problem for no covering arrangement, one for no impact assessment that lets the sharing go ahead."""
    if ARRANGEMENT_KEY not in requirements and IMPACT_ASSESSMENT_KEY not in requirements:
        return []
    found = candidates(request)
    if not found and ARRANGEMENT_KEY not in requirements:
        # A protocol asking for the impact assessment alone: it is still recorded on an arrangement (the register).
        return [Problem("Routine sharing of personal data needs a data protection impact assessment that lets the "
                        "sharing go ahead: none is recorded on an active arrangement covering this request.",
                        field=IMPACT_ASSESSMENT_KEY, clause=CLAUSE)]
    if not found:
        start, end = _period(request)
        return [Problem(
            f"Routine sharing of personal data needs an active data sharing arrangement between both parties "
            f"that covers this personal-data category from {start:%-d %B %Y} to {end:%-d %B %Y}: none does. "
            f"Ask the parties' data protection officers to record and sign one off in the register.",
            field=ARRANGEMENT_KEY, clause=CLAUSE)]
    if IMPACT_ASSESSMENT_KEY in requirements and covering(request) is None:
        return [Problem(
            f"The data sharing arrangement {found[0].reference} has no data protection impact assessment that lets "
            f"the sharing go ahead: record one, or consult the ICO first.", field=IMPACT_ASSESSMENT_KEY,
            clause=CLAUSE)]
    return []
