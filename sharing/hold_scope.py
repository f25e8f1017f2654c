"""Requests and processing holds (issue 11): a request, or each of its parts, has a scope (data source, kind of
purpose, personal-data category); holds.coverage says whether a hold in force covers it. A request inside a hold can
be submitted and assessed but not provided while the hold stands (policies: the deliver action). Registered with
the holds app as a subject (sharing.apps), so that a hold's page lists the requests it blocks and their people are
told when it is placed, reviewed, overdue or lifted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from concordat.errors import Problem
from holds import coverage
from sharing.models import Request, RequestPart
from sharing.states import RequestState

# Requests that can still be provided: a hold changes nothing for one already provided, closed or withdrawn.
SETTLED_STATES = (RequestState.PROVIDED, RequestState.CLOSED, RequestState.WITHDRAWN, RequestState.DECLINED)
PARTS_MAX = 20


@dataclass(frozen=True)
class ScopeVerdict:
    """The verdict on one scope of a request: the request itself (`part` None), or one of its parts."""

    part: RequestPart | None
    verdict: coverage.HoldVerdict

    @property
    def label(self) -> str:
        return f"Part {self.part.position}: {self.part.what}" if self.part else "The request"


def verdicts(request: Request) -> list[ScopeVerdict]:
    """One verdict for each part, or for the request itself when it has no parts."""
    parts = list(request.parts.all())
    if parts:
        return [ScopeVerdict(part, coverage.verdict(data_source=part.data_source, purpose=part.purpose_kind,
                                                    category=part.personal_data_category)) for part in parts]
    return [ScopeVerdict(None, coverage.verdict(data_source=request.data_source, purpose=request.purpose_kind,
                                                category=request.personal_data_category))]


def blocking_holds(request: Request) -> list:
    """The holds in force over the request or any of its parts, each once."""
    found = {}
    for scope in verdicts(request):
        for hold in scope.verdict.holds:
            found.setdefault(hold.pk, hold)
    return list(found.values())


def delivery_problem(request: Request) -> Problem | None:
    """Nothing is provided while a hold stands over the request or one of its parts."""
    holds = blocking_holds(request)
    if not holds:
        return None
    names = "; ".join(f"{hold.reference} ({hold.title}), next review {hold.next_review_on:%-d %B %Y}"
                      for hold in holds)
    return Problem(f"Blocked by a processing hold: nothing inside it can be provided while it stands ({names}). "
                   "The request can still be assessed and decided; provide it once the hold is lifted.",
                   field="hold")


def _in_scope_q(hold, prefix: str = "") -> Q:
    return Q(**{f"{prefix}data_source": hold.data_source, f"{prefix}purpose_kind__in": list(hold.purposes or []),
                f"{prefix}personal_data_category__in": list(hold.personal_data_categories or [])})


def requests_inside(hold, viewer=None):
    """Open requests (not yet provided, closed, withdrawn or declined) whose scope, or a part's, is inside the hold;
    with a viewer, only those the viewer may see (need-to-know, ADR 3)."""
    from sharing import permissions

    parts_inside = RequestPart.objects.filter(_in_scope_q(hold), request=OuterRef("pk"))
    found = (Request.objects.exclude(state__in=SETTLED_STATES)
             .filter((Q(_in_scope_q(hold)) & ~Exists(RequestPart.objects.filter(request=OuterRef("pk"))))
                     | Exists(parts_inside)))
    if viewer is not None:
        found = found.filter(pk__in=permissions.visible_requests(viewer).values("pk"))
    return found.select_related("requester", "assigned_to").order_by("pk")


def people(request: Request) -> list:
    """Whose work a hold over the request blocks: its requester, and the person it is assigned to."""
    return [person for person in (request.requester, request.assigned_to) if person is not None]


def register() -> None:
    from django.urls import reverse

    coverage.register_subject(
        "request", label="Request", blocked_by=requests_inside, people=people,
        reference=lambda request: request.reference,
        link=lambda request: reverse("sharing:request_detail", kwargs={"reference": request.reference}))


@dataclass(frozen=True)
class HoldShown:
    hold: object
    summary: object
    history: list


@dataclass(frozen=True)
class ScopeShown:
    label: str
    verdict: coverage.HoldVerdict
    holds: list[HoldShown]


def panel(request: Request) -> list[ScopeShown]:
    """What the request page shows: each part (or the request) blocked by hold or not, and each hold's status,
    age, next review date and history. Seen only by people who may see the request (the page's need-to-know)."""
    from holds import presenting
    from holds.models import HoldEvent

    scopes = verdicts(request)
    labels = coverage.category_labels() if any(scope.verdict.holds for scope in scopes) else {}
    hold_ids = {hold.pk for scope in scopes for hold in scope.verdict.holds}
    events: dict[int, list] = {}
    for event in [] if not hold_ids else HoldEvent.objects.filter(hold_id__in=hold_ids).select_related("actor").order_by("occurred_at", "pk"):
        events.setdefault(event.hold_id, []).append(event)
    return [ScopeShown(scope.label, scope.verdict,
                       [HoldShown(hold, presenting.summary(hold, labels=labels), events.get(hold.pk, []))
                        for hold in scope.verdict.holds])
            for scope in scopes]
