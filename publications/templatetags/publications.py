"""The request page's publication panel: {% load publications %}{% publication_panel req %}."""

from __future__ import annotations

from django import template

from publications.cases import PUBLICATIONS, publication_clause
from publications.services import PUBLISHABLE_STATES
from sharing import permissions as request_permissions
from sharing import queries
from sharing.states import AGREEING_DECISIONS, PublicationIntent

register = template.Library()


@register.inclusion_tag("publications/panel.html", takes_context=True)
def publication_panel(context, req):
    """The proposals on this request, newest first, and whether this person may put one forward."""
    user = context["request"].user
    proposals = [] if queries.has_none(req, "publication_proposals") else list(  # flagged on the page's row
        req.publication_proposals.select_related("proposed_by", "decided_by").order_by("-proposed_at", "-pk"))
    open_one = next((p for p in proposals if p.is_open), None)
    may_propose = (request_permissions.is_requester_side(user, req) and open_one is None
                   and req.state in PUBLISHABLE_STATES and req.decision in AGREEING_DECISIONS
                   and req.publication_intent != PublicationIntent.NO)
    return {"req": req, "proposals": proposals, "may_propose": may_propose, "clause": publication_clause(req),
            "labels": PUBLICATIONS.state_labels,
            "shown": bool(proposals) or may_propose or req.publication_intent == PublicationIntent.YES}
