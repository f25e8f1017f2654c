"""Drafting a request: making and changing a draft, and what it must state before it is sent (§6/§8 a–g)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_active_member
from accounts.roles import OrganisationKind
from arrangements import coverage as arrangement_coverage
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from protocols.models import Protocol
from protocols.scope import DataSource, Purpose
from protocols.services import current_protocol
from sharing import permissions, rules, schedule
from sharing.cases import REQUESTS
from sharing.hold_scope import PARTS_MAX
from sharing.models import PART_WHAT_MAX, ReferenceCounter, Request, RequestPart
from sharing.states import Action, Frequency, Provision, PublicationIntent, RouteKind

DRAFT_FIELDS = (
    "title", "necessity", "information_requested", "purpose", "publication_intent", "publication_detail",
    "access", "storage_retention", "disposal", "classification", "personal_data_category", "legal_basis",
    "provision", "frequency", "period_start", "period_end", "acknowledge_by", "provide_by",
    "data_source", "purpose_kind",
)
TARGET_DATE_FIELDS = ("acknowledge_by", "provide_by")
# What a requester may amend when answering a request for further information (§10).
RESPONSE_FIELDS = tuple(rules.ELEMENT_FIELDS.values()) + ("publication_detail", "legal_basis")
TITLE_MAX = 200
LONG_TEXT_FIELDS = ("necessity", "information_requested", "purpose", "publication_detail", "access",
                    "storage_retention", "disposal", "legal_basis")


def default_protocol() -> Protocol:
    """The protocol when only one is loaded; with several, the request must name one."""
    slugs = sorted(set(Protocol.objects.values_list("slug", flat=True)))
    if not slugs:
        raise RuleViolation("No protocol is loaded yet: an administrator loads one first.", field="protocol")
    if len(slugs) > 1:
        raise RuleViolation(f"Say which protocol the request is made under: {', '.join(slugs)}.", field="protocol")
    return current_protocol(slugs[0])


def create_draft(*, by: User, direction: str, holder_org: Organisation | None = None,
                 protocol: Protocol | None = None, fields: dict | None = None,
                 named_people: Iterable | None = None, parts: Iterable | None = None) -> Request:
    """A new draft request. `direction` is a direction key of the protocol (e.g. "iasc_to_ho") or the
    key of one of its other routes (§18, §4 fn 1), which also needs the `holder_org` asked."""
    protocol = protocol or default_protocol()
    spec = protocol.spec
    if not is_active_member(by):
        raise NotAllowed("Only an active member of an organisation can make a request.")
    parties = _parties(spec, direction, holder_org, by)
    with transaction.atomic():
        request = Request(
            protocol=protocol, protocol_version=protocol.version, requester=by,
            requester_org=by.organisation, classification=spec.classifications.levels[0],
            personal_data_category=spec.personal_data.default, **parties,
        )
        _apply_fields(request, fields or {}, DRAFT_FIELDS)
        request.reference = _next_reference(rules.party_of_organisation(spec, by.organisation).short_name
                                            or by.organisation.department.slug)
        request.save()
        if named_people is not None:
            request.named_people.set(_named_people(request, named_people))
        if parts is not None:
            _set_parts(request, parts)
        REQUESTS.record(request, by, Action.CREATE, "", details={"direction": request.direction,
                                                                  "route": request.route})
    return request


def _parties(spec, direction_key: str, holder_org: Organisation | None, by: User) -> dict:
    """Who holds the information and where the request goes first (§11)."""
    directions = {d.key: d for d in spec.directions}
    if direction_key in directions:
        return _protocol_parties(spec, directions[direction_key], by)
    routes = {route.key: route for route in spec.other_routes}
    if direction_key in routes:
        return _other_route_parties(routes[direction_key], holder_org, by)
    known = ", ".join([*directions, *routes])
    raise RuleViolation(f"Choose one of: {known}.", field="direction")


def _protocol_parties(spec, direction, by: User) -> dict:
    requester_party = spec.party(direction.requester_party)
    if by.organisation.department.slug != requester_party.organisation or not by.has_role(*permissions.REQUESTER_ROLES):
        raise NotAllowed(f"Only a requester or case officer of the {requester_party.name} can make this request.",
                         clause=direction.clause)
    holder = Organisation.objects.get(slug=spec.party(direction.holder_party).organisation)
    routing = direction.routing
    routed_to = Organisation.objects.get(slug=routing.recipient_organisation) if routing else holder
    routed_role = routing.recipient_role if routing else rules.DEFAULT_RECIPIENT_ROLE
    return {"direction": direction.key, "route": RouteKind.PROTOCOL, "holder_org": holder,
            "routed_to": routed_to, "routed_role": routed_role, "assigned_org": routed_to}


def _other_route_parties(route, holder_org: Organisation | None, by: User) -> dict:
    # §18 and §4 fn 1 are the Commissioner's own requests.
    if (by.organisation.department.kind != OrganisationKind.COMMISSIONER_OFFICE
            or not by.has_role(*permissions.REQUESTER_ROLES)):
        raise NotAllowed("Only the Commissioner's office makes requests outside the protocol.", clause=route.clause)
    if holder_org is None or holder_org.kind != route.organisation_kind:
        raise RuleViolation(f"Choose the body to ask: {route.title}.", field="holder_org", clause=route.clause)
    return {"direction": route.key, "route": rules.ROUTE_FOR_ORGANISATION_KIND[route.organisation_kind],
            "holder_org": holder_org, "routed_to": holder_org, "routed_role": rules.DEFAULT_RECIPIENT_ROLE,
            "assigned_org": holder_org}


def update_draft(request: Request | int, *, by: User, expected_version: int, fields: dict | None = None,
                 named_people: Iterable | None = None, parts: Iterable | None = None) -> Request:
    with REQUESTS.acting(request, by=by, action=Action.UPDATE, expected_version=expected_version) as locked:
        changed = _apply_fields(locked, fields or {}, DRAFT_FIELDS)
        if named_people is not None:
            locked.named_people.set(_named_people(locked, named_people))
            changed.append("named_people")
        if parts is not None and _set_parts(locked, parts):
            changed.append("parts")
        REQUESTS.advance(locked, by, Action.UPDATE, details={"changed": changed})
    return locked


def _apply_fields(request: Request, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise RuleViolation(*[Problem("This cannot be changed here.", field=name) for name in unknown])
    for name, value in fields.items():
        setattr(request, name, "" if value is None and name not in _DATE_FIELDS else value)
    if request.provision == Provision.ONE_OFF:
        request.frequency, request.period_start, request.period_end = "", None, None
    problems = _field_problems(request, fields)
    if problems:
        raise RuleViolation(*problems)
    return sorted(fields)


_DATE_FIELDS = ("period_start", "period_end", "acknowledge_by", "provide_by")


def _field_problems(request: Request, fields: dict) -> list[Problem]:
    spec = request.protocol.spec
    problems = [p for p in (rules.classification_problem(spec, request.classification),
                            rules.category_problem(spec, request.personal_data_category)) if p]
    if len(request.title) > TITLE_MAX:
        problems.append(Problem(f"Keep the title to {TITLE_MAX} characters.", field="title"))
    problems += [p for name in LONG_TEXT_FIELDS
                 if (p := limits.text_problem(getattr(request, name), name, limits.ELEMENT_MAX))]
    for name, choices in (("publication_intent", PublicationIntent), ("provision", Provision),
                          ("frequency", Frequency)):
        value = getattr(request, name)
        if value and value not in choices.values:
            problems.append(Problem(f"Choose one of: {', '.join(choices.labels)}.", field=name))
    for name, choices in (("data_source", DataSource), ("purpose_kind", Purpose)):
        value = getattr(request, name)
        if value and (not isinstance(value, str) or value not in choices.values):
            problems.append(Problem(f"Choose one of: {', '.join(choices.labels)}.", field=name))
    for name in _DATE_FIELDS:
        if getattr(request, name) is not None and not isinstance(getattr(request, name), date):
            problems.append(Problem("Give a date.", field=name))
    if request.is_protocol_route:
        timings = spec.timings
        problems += [Problem("Due dates are worked out from the protocol's timings.", field=name,
                             clause=timings.clause)
                     for name in TARGET_DATE_FIELDS if fields.get(name) is not None]
    return problems


def _set_parts(request: Request, parts: Iterable) -> bool:
    """The request's parts, replacing any it had (True if they changed): each says what it asks for and its own
    scope (data source, kind of purpose, personal-data category), so that a processing hold can block one part and
    not another."""
    given = list(parts) if isinstance(parts, list | tuple) else None
    if given is None or len(given) > PARTS_MAX:
        raise RuleViolation(f"Give at most {PARTS_MAX} parts, as a list.", field="parts")
    spec = request.protocol.spec
    problems, made = [], []
    for position, part in enumerate(given, start=1):
        found = _part_problems(spec, part, position)
        problems += found
        if not found:
            made.append(RequestPart(request=request, position=position, what=part["what"].strip(),
                                    data_source=part["data_source"], purpose_kind=part["purpose_kind"],
                                    personal_data_category=part["personal_data_category"]))
    if problems:
        raise RuleViolation(*problems)
    if [_part_key(part) for part in request.parts.all()] == [_part_key(part) for part in made]:
        return False
    request.parts.all().delete()
    RequestPart.objects.bulk_create(made)
    return True


def _part_key(part: RequestPart) -> tuple:
    return (part.position, part.what, part.data_source, part.purpose_kind, part.personal_data_category)


def _part_problems(spec, part, position: int) -> list[Problem]:
    where = f"Part {position}"
    if not isinstance(part, dict):
        return [Problem(f"{where}: give what it asks for, its data source, purpose and personal-data category.",
                        field="parts")]
    problems = []
    what = part.get("what")
    if not isinstance(what, str) or not what.strip():
        problems.append(Problem(f"{where}: say what this part asks for.", field="parts"))
    elif len(what) > PART_WHAT_MAX:
        problems.append(Problem(f"{where}: keep what it asks for to {PART_WHAT_MAX} characters.", field="parts"))
    for name, choices, words in (("data_source", DataSource, "data source"), ("purpose_kind", Purpose, "purpose")):
        if part.get(name) not in choices.values:
            problems.append(Problem(f"{where}: choose its {words}, from: {', '.join(choices.labels)}.",
                                    field="parts"))
    if part.get("personal_data_category") not in spec.personal_data.categories:
        problems.append(Problem(f"{where}: choose its personal-data category.", field="parts",
                                clause=spec.personal_data.clause))
    return problems


def _named_people(request: Request, people: Iterable) -> list[User]:
    """§6(e)/§8(e): the people named in the access list, who must belong to one of the two parties."""
    ids = {getattr(person, "pk", person) for person in people}
    if len(ids) > limits.NAMED_PEOPLE_MAX or not all(limits.is_id(pk) for pk in ids):
        raise RuleViolation(f"Name at most {limits.NAMED_PEOPLE_MAX} people, each by their id.",
                            field="named_people", clause=_element_clause(request, "access"))
    found = list(User.objects.filter(pk__in=ids, is_active=True).select_related("organisation"))
    departments = {request.requester_org.department.pk, request.holder_org.department.pk}
    outsiders = ids - {person.pk for person in found if person.organisation_id
                       and person.organisation.department.pk in departments}
    if outsiders:
        raise RuleViolation("Name only active people of the requesting or the holding organisation.",
                            field="named_people", clause=_element_clause(request, "access"))
    return found


def _element_clause(request: Request, key: str) -> str:
    return next(e.clause for e in rules.request_element_fields(request) if e.key == key)


def _next_reference(prefix: str) -> str:
    """"IASC-2021-0042": per prefix and year, numbered under a row lock so no two requests share one."""
    year = timezone.localdate().year
    prefix = prefix.upper()
    ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"


def submission_problems(request: Request) -> list[Problem]:
    """What a request must state before it is sent (§6/§8 a–g, §10, §15–17, §16's arrangement, and §6's schedule)."""
    spec = request.protocol.spec
    problems = [] if request.title.strip() else [Problem("Give the request a short title.", field="title")]
    for element in rules.request_element_fields(request):
        if element.required and not str(getattr(request, element.field)).strip():
            problems.append(Problem(f"Required: {element.label}.", field=element.field, clause=element.clause))
        if element.key == "publication" and rules.publication_needs_detail(request.publication_intent) \
                and not request.publication_detail.strip():
            problems.append(Problem("Say what you intend to publish, and how.", field="publication_detail",
                                    clause=element.clause))
    problems += [p for p in (rules.classification_problem(spec, request.classification),
                             rules.category_problem(spec, request.personal_data_category)) if p]
    direction = rules.direction_of(request)
    if direction and request.provision not in direction.request_kinds:
        problems.append(Problem("This kind of request is not available in this direction.", field="provision",
                                clause=direction.clause))
    problems += schedule.schedule_problems(request)
    # §16: routine sharing of personal data needs an active data sharing arrangement and its impact assessment.
    problems += arrangement_coverage.problems(request, rules.personal_data_requirements(request))
    if not request.is_protocol_route:
        problems += schedule.target_date_problems(request, schedule.today())
    # §15–17: personal data is sent only with its record complete (ICO data sharing code, Annex B; ADR 21).
    from dataprotection.rules import submission_problems as personal_data_problems  # it imports sharing

    problems += personal_data_problems(request)
    return problems
