"""Read-only pages: the loaded protocol versions, and every clause-backed rule of one version."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from accounts.models import Organisation
from accounts.permissions import Action, user_can
from accounts.roles import Role
from protocols.models import Protocol
from protocols.schema import CALENDARS, OTHER_ROUTE_KINDS, REQUEST_KINDS, Direction, ProtocolDefinition
from protocols.services import current_protocol


def require_view_permission(user) -> None:
    if not user_can(user, Action.VIEW_PROTOCOL):
        raise PermissionDenied("You do not have permission to view the protocols.")


@login_required
def protocol_list(request):
    require_view_permission(request.user)
    protocols = list(Protocol.objects.select_related("loaded_by").order_by("slug", "-last_updated", "-loaded_at"))
    current_ids = {current_protocol(slug).pk for slug in {p.slug for p in protocols}}
    rows = [{"protocol": p, "is_current": p.pk in current_ids} for p in protocols]
    return render(request, "protocols/list.html", {"rows": rows})


@login_required
def protocol_detail(request, slug: str, version: str):
    require_view_permission(request.user)
    protocol = get_object_or_404(Protocol.objects.select_related("loaded_by"), slug=slug, version=version)
    spec = protocol.spec
    organisations = organisation_names(spec)
    current = current_protocol(slug)
    context = {
        "protocol": protocol,
        "spec": spec,
        "current": current,
        "is_current": current is not None and current.pk == protocol.pk,
        "parties": [{"party": party, "organisation": organisations.get(party.organisation, party.organisation)}
                    for party in spec.parties],
        "directions": [present_direction(spec, direction, organisations) for direction in spec.directions],
        "calendar_label": CALENDARS[spec.timings.calendar],
        "personal_data": present_personal_data(spec),
        "other_routes": [present_other_route(route, organisations) for route in spec.other_routes],
    }
    return render(request, "protocols/detail.html", context)


def organisation_names(spec: ProtocolDefinition) -> dict[str, str]:
    """Organisation names for the slugs the definition mentions; a slug not in the directory shows as itself."""
    slugs = {party.organisation for party in spec.parties}
    for direction in spec.directions:
        if direction.routing:
            slugs |= {direction.routing.recipient_organisation, direction.routing.reassign_within or ""}
    for route in spec.other_routes:
        slugs |= set(route.contact_help_from)
    return dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))


def role_label(role: str | None) -> str:
    return Role(role).label if role else "The people working the request"


def present_direction(spec: ProtocolDefinition, direction: Direction, organisations: dict[str, str]) -> dict:
    requester, holder = spec.party(direction.requester_party), spec.party(direction.holder_party)
    routing = direction.routing
    return {
        "direction": direction,
        "anchor": f"direction-{direction.key.replace('_', '-')}",
        "requester": requester,
        "holder": holder,
        "holder_organisation": organisations.get(holder.organisation, holder.organisation),
        "request_kinds": [REQUEST_KINDS[kind] for kind in direction.request_kinds],
        "routing_organisation": organisations.get(routing.recipient_organisation, routing.recipient_organisation)
        if routing else "",
        "routing_role": role_label(routing.recipient_role) if routing else "",
        "reassign_within": organisations.get(routing.reassign_within, routing.reassign_within)
        if routing and routing.reassign_within else "",
        "ladder": [{"rung": rung, "role": role_label(rung.role)} for rung in direction.escalation.ladder],
        "holder_name": holder.short_name or holder.name,
    }


def present_personal_data(spec: ProtocolDefinition) -> dict:
    data = spec.personal_data
    return {
        "rules": data,
        "categories": [{"label": data.label(c), "personal": data.is_personal(c), "default": c == data.default}
                       for c in data.categories],
        "ad_hoc": [data.label(item) for item in data.ad_hoc_requires],
        "routine": [data.label(item) for item in data.routine_requires],
        "approvals_by": [spec.party(key).name for key in data.approvals_when_holder_is],
    }


def present_other_route(route, organisations: dict[str, str]) -> dict:
    return {
        "route": route,
        "kind": OTHER_ROUTE_KINDS[route.organisation_kind],
        "helpers": [organisations.get(slug, slug) for slug in route.contact_help_from],
    }
