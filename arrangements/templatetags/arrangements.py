"""{% covering_arrangement req as covering %}: the arrangement covering a request, for the request page (§16)."""

from django import template

from arrangements import coverage
from arrangements.cases import ARRANGEMENTS

register = template.Library()


@register.simple_tag(takes_context=True)
def covering_arrangement(context, req) -> dict:
    from sharing import rules

    requirements = rules.personal_data_requirements(req)
    if coverage.ARRANGEMENT_KEY not in requirements:
        return {"needed": False}
    found = _recorded(req) if req.submitted_at else coverage.covering(req)
    user = context.get("user")
    return {"needed": True, "arrangement": found,
            "visible": bool(found and user is not None and ARRANGEMENTS.can_view(user, found))}


def _recorded(req):
    """The arrangement the submission recorded (sharing.services.lifecycle.submit), as it is now."""
    from arrangements.models import Arrangement

    chosen = [event.details.get("arrangement") for event in req.events.all() if event.action == "submit"]
    pk = chosen[-1] if chosen else None
    return Arrangement.objects.filter(pk=pk).first() if pk else None
