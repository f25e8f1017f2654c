"""Schemathesis over the whole OpenAPI document (issue 8, item 8): every operation, its cases generated from the
document, sent to the service in-process (WSGI) with the API token of one of three people who see a lot (the IASC
requester, the Home Office point of contact, the Home Office approver), and each answer checked: no 5xx, its status
code documented, its content type documented, its body valid against the documented schema.

Bounded for the normal suite: schemathesis's coverage phase (boundary and schema-violating values of every
parameter and body field) and a few fuzzed examples per operation; derandomized, so every run sends the same cases.

The document is the one the service serves at /api/schema/: built here at import (schemathesis parametrizes at
collection, before any database exists) by the generator the served view uses, and
`test_the_fuzzed_document_is_the_served_one` checks that the two are the same.

Generated ids name nothing, so about half the cases are pointed at objects that exist (requests in many states,
their approvals, a delivered file, the protocol), and half of those carry the object's current `version`: the
answers past the 404 and the 409 (400s from the serializers and the rules, 403s, successes) are checked too.
"""

from __future__ import annotations

import json
import zlib
from urllib.parse import unquote

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from approvals import services as approval_services
from approvals.models import Approval
from arrangements.models import Arrangement
from protocols.models import Protocol
from protocols.services import load_protocol
from sharing import policies, rules, services
from sharing.models import DeliveryFile, Request
from sharing.states import RequestState
from tests.factories import make_person, standard_organisations
from tests.support.arrangements import active, drafted
from tests.support.requests import actors, ask_further_information, draft, fresh, walk
from tests.support.sharing_fixtures import SHIPPED, Cast
from tests.support.tokens import token_header

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 6  # fuzzed cases per operation, schema-valid and schema-violating together, besides the coverage phase

DOCUMENT = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(DOCUMENT, config=schemathesis.Config.from_dict({
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
}))
schema.app = get_wsgi_application()

SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}  # needs the §10, §17 and data protection approvals
# What exists in the test's database, by the kind of object a path's {id} names; filled by the `world` fixture.
KNOWN: dict[str, list] = {}


def _kind(path: str) -> str | None:
    for kind in ("requests", "approvals", "arrangements", "files", "protocols"):
        if path.startswith(f"/api/{kind}/"):
            return kind
    return None


def _aim(case, people: list[dict]) -> dict:
    """Point about half the cases whose path is routable at an object that exists, and half of those that carry a
    `version` at the object's current one (else nearly every answer is a 404 or a 409); choose the person.
    Decided by the case's content, so that a case sent again (Hypothesis replays a failure) is sent alike."""
    digest = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
    known = KNOWN.get(_kind(case.operation.path) or "")
    if known and case.path_parameters and digest % 2 == 0:
        case.path_parameters = {**case.path_parameters, **known[(digest >> 1) % len(known)]}
        model = {"requests": Request, "approvals": Approval, "arrangements": Arrangement}.get(_kind(case.operation.path))
        if model and isinstance(case.body, dict) and "version" in case.body and (digest >> 8) % 2 == 0:
            current = model.objects.filter(pk=int(case.path_parameters["id"])).values_list("version", flat=True)
            case.body = {**case.body, "version": current.first()}
    return people[(digest >> 16) % len(people)]


def _pending_approvals(request, cast):
    """A request under assessment whose decider has asked for the approvals the protocol needs, none decided."""
    who = actors(cast, request.direction)
    answers = [services.ChecklistEntry(item.key, True, "") for item in rules.checklist_of(request)]
    request = services.record_checklist(request, by=who.decider, expected_version=request.version, answers=answers)
    if policies.approvals_to_ask(fresh(request)):
        approval_services.ask(fresh(request), by=who.decider, expected_version=fresh(request).version)
    return fresh(request)


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request served in-process must not close the test's database connection
    at its end (close_old_connections closes one that is inside a transaction, as each test is; PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Requests in many states, both directions, with approvals and a delivered file; the tokens of the IASC
    requester, the Home Office point of contact and the Home Office approver.

    Built once for the module inside a transaction that is rolled back at its end; each operation's test runs in a
    savepoint of it (pytest-django's `db`), so every operation starts from this same world, as when it was built
    per test, at a fraction of the cost (the world is about 2 s on PostgreSQL, and there are 100-odd operations)."""
    files = tmp_path_factory.mktemp("schemathesis-world")
    stored = {"STORAGES": {**django_settings.STORAGES,
                           "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                       "OPTIONS": {"location": str(files / "files")}},
                           "vault": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(files / "vault")}}},
              "VAULT_DATA_KEY_DIR": str(files / "data-keys"),
              "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with django_db_blocker.unblock(), override_settings(**stored):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world(), stored
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            KNOWN.clear()


def _build_world() -> list[dict]:
    organisations = standard_organisations()
    load_protocol(SHIPPED)
    cast = Cast(lambda org, *roles, **extra: make_person(organisations[org] if org else None, *roles, **extra))
    draft(cast.iasc_requester)
    for state in (RequestState.SUBMITTED, RequestState.ACKNOWLEDGED, RequestState.UNDER_ASSESSMENT):
        walk(draft(cast.iasc_requester), cast, state)
    ask_further_information(walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT), cast)
    walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED)  # its approvals given
    _pending_approvals(walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.UNDER_ASSESSMENT), cast)
    walk(draft(cast.ho_requester, direction="ho_to_iasc"), cast, RequestState.SUBMITTED)
    drafted(cast)  # data sharing arrangements (§16): a draft the approver may sign off, and an active one
    active(cast)

    KNOWN.clear()
    KNOWN["requests"] = [{"id": str(pk)} for pk in Request.objects.order_by("pk").values_list("pk", flat=True)]
    KNOWN["approvals"] = [{"id": str(pk)} for pk in Approval.objects.order_by("pk").values_list("pk", flat=True)]
    KNOWN["arrangements"] = [{"id": str(pk)} for pk in Arrangement.objects.order_by("pk").values_list("pk", flat=True)]
    KNOWN["files"] = [{"id": str(pk)} for pk in DeliveryFile.objects.order_by("pk").values_list("pk", flat=True)]
    KNOWN["protocols"] = [{"slug": slug, "version": version}
                          for slug, version in Protocol.objects.order_by("pk").values_list("slug", "version")]
    return [token_header(person) for person in (cast.iasc_requester, cast.spoc, cast.ho_approver)]


@pytest.fixture
def world(world_once, db, files_in_tmp, settings, connection_kept):
    """The module's world, in this test's savepoint, with the storage and key store its files were made in."""
    headers, stored = world_once
    for name, value in stored.items():
        setattr(settings, name, value)
    return headers


def _routable(case) -> bool:
    try:
        resolve(unquote(case.formatted_path))
    except Resolver404:
        return False
    return True


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, world):
    if not _routable(case):
        # A path the URL patterns refuse (an {id} that is not a number, a slug with a space) never reaches the
        # API: the root URLconf's handler404 answers it, in the API's error shape, checked like any answer.
        response = case.call(headers=world[0])
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == 404
        return
    headers = _aim(case, world)
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_fuzzed_document_is_the_served_one(world, client):
    served = client.get("/api/schema/?format=json", headers=world[0])
    assert served.status_code == 200
    assert served.json() == DOCUMENT
