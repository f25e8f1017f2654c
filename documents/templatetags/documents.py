"""The request page's documents panel: {% load documents %}{% documents_panel req %}. The page is shown only to
people who may see the request, and each download checks that again (documents.services)."""

from __future__ import annotations

from django import template

from documents import kinds

register = template.Library()


@register.inclusion_tag("documents/panel.html")
def documents_panel(req):
    """The documents that exist for the request's state, and each delivery as a bundle."""
    return {"req": req, "documents": kinds.available(req), "deliveries": list(req.deliveries.all())}
