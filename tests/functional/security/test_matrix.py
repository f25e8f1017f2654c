"""The authorisation matrix (issue 8, item 8): every URL pattern and every OpenAPI operation has a row in
matrix.py, and every row is run as every visitor (anonymous, half signed in, and a person of each role in each
organisation) against the objects it names (their own organisation's, the other organisation's, and an
OFFICIAL-SENSITIVE request they are not named on), each answer compared with the row.

The world is built once for the class (setUpTestData); each request is sent inside a savepoint that is rolled
back, so an allowed action (an acknowledgement, a removed closure) changes nothing the next check sees.
"""

from __future__ import annotations

import json
from collections import Counter

from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests.factories import verified_client
from tests.functional.security import matrix, world
from tests.functional.security.routes import ADMIN, openapi_operations, operation_route_name, url_routes

LOGIN_PATH = reverse("accounts:login")
MFA_PATH = reverse("accounts:mfa")
ADMIN_LOGIN_PATH = reverse("admin:login")
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TALLY: Counter = Counter()
# Rows whose answer is the same for every signed-in person and slow to build: tried as world.SAMPLE only
SAMPLED = {("api-schema", "GET"), ("api-docs", "GET")}  # what the run did, for the report at the end of the run


def _missing_row_message(kind: str, missing: list[str]) -> str:
    return (f"{len(missing)} {kind} without a row in tests/functional/security/matrix.py ROWS:\n  "
            + "\n  ".join(missing)
            + "\nAdd a row for each, saying who may reach it (Everyone, SignedIn, Roles, Sees, Acts, Chooses; see the"
              " module's docstring), e.g.\n    (\"sharing:request_detail\", \"GET\"): Sees(objects=REQUESTS),")


class MatrixCoverage(TestCase):
    """Every URL and operation has a row; every row names a URL that exists."""

    def test_every_url_pattern_and_method_has_a_row(self):
        missing = [f'("{route.name}", "{method}")  # {route.pattern}' for route in url_routes()
                   for method in route.methods if (route.name, method) not in matrix.ROWS]
        assert not missing, _missing_row_message("URL patterns and methods", missing)

    def test_every_openapi_operation_has_a_row(self):
        missing = [f'("{operation_route_name(path)}", "{method}")  # {method} {path}'
                   for method, path in openapi_operations()
                   if (operation_route_name(path), method) not in matrix.ROWS]
        assert not missing, _missing_row_message("OpenAPI operations", missing)

    def test_every_row_names_a_url_and_method_that_exist(self):
        known = {(route.name, method) for route in url_routes() for method in route.methods}
        stale = [key for key in matrix.ROWS if key[:2] not in known]
        assert not stale, f"Rows for URLs or methods that no longer exist; remove them from matrix.py: {stale}"


@override_settings(PASSWORD_HASHERS=HASHERS)
class Matrix(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = world.build()

    def setUp(self):
        self.clients = {"anonymous": Client()}
        unverified = Client()
        unverified.force_login(self.world.people["unverified"])
        self.clients["unverified"] = unverified
        for name in world.PEOPLE:
            self.clients[name] = verified_client(self.world.people[name])
        self.sessions = {name: client.cookies.get(settings.SESSION_COOKIE_NAME)
                         for name, client in self.clients.items()}

    # --- what to send --------------------------------------------------------------------------------------

    def _object(self, key: str):
        return self.world.objects[key]

    def _kwargs(self, route, obj: str | None, value: str | None) -> dict:
        kwargs = {}
        pattern = route.pattern
        target = self._object(obj) if obj else None
        for parameter in ("reference", "pk", "file_id", "token_id", "slug", "version", "action", "direction"):
            if f"<{parameter}>" not in pattern and f":{parameter}>" not in pattern and f"<{parameter}>" not in \
                    pattern.replace("?P", ""):
                continue
            if parameter in ("action", "direction"):
                kwargs[parameter] = value
            elif parameter == "version":
                kwargs[parameter] = target.version
            else:
                kwargs[parameter] = getattr(target, {"reference": "reference", "slug": "slug"}.get(parameter, "pk"))
        return kwargs

    def _paths(self, route, rule) -> list[tuple[str, str | None, str | None]]:
        """(path, object, parameter value) for each way the row is tried."""
        if route.name == ADMIN:
            changelists = [reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                           for model in admin.site._registry]
            return [(path, None, None) for path in ["/admin/", *sorted(changelists)]]
        values: list = [None]
        if isinstance(rule, matrix.Acts) and rule.actions:
            values = [*rule.actions, "no_such_action"]
        if isinstance(rule, matrix.Chooses):
            values = list(rule.who)
        objects = rule.objects or (None,)
        only = getattr(rule, "only", {})
        return [(reverse(route.name, kwargs=self._kwargs(route, obj, value)), obj, value)
                for obj in objects for value in values if obj not in only or value in only[obj]]

    def _body(self, route_name: str, obj: str | None, body: str) -> dict:
        if body != "current":
            return {}
        if route_name == "sharing-api:request-list":
            return {"direction": "iasc_to_ho", "title": "A new request"}
        target = type(self._object(obj)).objects.get(pk=self._object(obj).pk)
        return {**matrix.API_BODIES[route_name], "version": target.version}

    # --- what to expect ------------------------------------------------------------------------------------

    @staticmethod
    def _expected(rule, route, visitor: str, obj, value):
        if visitor == "anonymous":
            return rule.anonymous or (matrix.API_DENIED if route.is_api else matrix.LOGIN)
        if visitor == "unverified":
            return rule.unverified or (matrix.API_DENIED if route.is_api else matrix.MFA)
        if isinstance(rule, matrix.Acts):
            if value == "no_such_action":
                return 404
            return rule.expect(visitor, obj, value)
        if isinstance(rule, matrix.Chooses):
            return rule.expect(visitor, obj, value)
        return rule.expect(visitor, obj)

    @staticmethod
    def _answer(response) -> tuple[str, int]:
        code = response.status_code
        if code in (301, 302, 303):
            location = response["Location"]
            for path, kind in ((LOGIN_PATH, matrix.LOGIN), (MFA_PATH, matrix.MFA),
                               (ADMIN_LOGIN_PATH, matrix.ADMIN_LOGIN)):
                if location.startswith(path):
                    return kind, code
        if 200 <= code < 400 or code in (400, 409):
            return matrix.ALLOWED, code
        return str(code), code

    @staticmethod
    def _agrees(expected, answer: str, code: int) -> bool:
        if expected == matrix.API_DENIED:
            return code in (401, 403)
        if isinstance(expected, int):
            return code == expected
        return answer == expected

    def _send(self, visitor: str, method: str, path: str, route, body: dict):
        client = self.clients[visitor]
        if self.sessions[visitor] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[visitor].value
        caches["default"].clear()  # no throttle or lockout carries from one check to the next
        with transaction.atomic():
            if method == "GET":
                response = client.get(path)
            elif route.is_api:
                response = client.generic(method, path, json.dumps(body), content_type="application/json")
            else:
                response = client.post(path, body)
            transaction.set_rollback(True)
        return response

    # --- the run -----------------------------------------------------------------------------------------

    def test_every_visitor_gets_the_answer_the_matrix_declares(self):
        routes = {route.name: route for route in url_routes()}
        disagreements, checks = [], 0
        for key, rule in matrix.ROWS.items():
            name, method = key[:2]
            route = routes[name]
            for path, obj, value in self._paths(route, rule):
                body = self._body(name, obj, rule.body)
                for visitor in (world.SAMPLE if key in SAMPLED else world.VISITORS):
                    expected = self._expected(rule, route, visitor, obj, value)
                    try:
                        response = self._send(visitor, method, path, route, body)
                    except Exception as error:  # noqa: BLE001  (a 500: reported with the rest)
                        answer, code = f"exception {type(error).__name__}: {error}"[:200], 500
                    else:
                        answer, code = self._answer(response)
                    checks += 1
                    if not self._agrees(expected, answer, code):
                        disagreements.append(f"{method:5} {path:55} {visitor:18} expected {expected!s:12} got "
                                             f"{code} ({answer})  [{' '.join(map(str, key))}]")
        TALLY.update(rows=len(matrix.ROWS), checks=checks, visitors=len(world.VISITORS),
                     url_patterns=len(routes), operations=len(openapi_operations()))
        print(f"\nsecurity matrix: {dict(TALLY)}")
        assert not disagreements, (f"{len(disagreements)} of {checks} answers differ from matrix.py:\n"
                                   + "\n".join(disagreements))
