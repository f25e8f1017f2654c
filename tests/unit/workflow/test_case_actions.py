"""The workflow core's shared action code (ADR 49), with no database: what CaseActions hands the service, that a
malformed body reaches no service, that an unknown page action is a 404 before any case is loaded, and what
form_on_page answers for a GET, a refusal and a success."""

from types import SimpleNamespace

import pytest
from django.http import Http404
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from concordat.api_errors import exception_handler
from concordat.errors import NotAllowed, StaleObject
from workflow import views
from workflow.api import CaseActions


class Body(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    text = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False)


class Shown(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    state = serializers.CharField()


class Viewset(CaseActions):
    serializer_class = Shown

    def __init__(self, data):
        self.request = SimpleNamespace(data=data, user="ann")
        self.case = SimpleNamespace(pk=7, state="open")

    def get_object(self):
        return self.case

    def fresh(self, pk):
        return self.case

    def get_serializer_context(self):
        return {}


def test_the_service_gets_the_version_sent_and_each_field_as_named_renamed_or_computed():
    calls = []

    def service(case, **kwargs):
        calls.append((case.pk, kwargs))
        case.state = "done"

    answer = Viewset({"version": 3, "text": "Fine."}).case_action(
        Body, service, "outcome", code=201, note="text", shout=lambda values: values["text"].upper())
    assert calls == [(7, {"by": "ann", "expected_version": 3, "outcome": None, "note": "Fine.", "shout": "FINE."})]
    assert (answer.status_code, answer.data) == (201, {"id": 7, "state": "done"})


@pytest.mark.parametrize("body", [{}, {"version": "x"}, {"version": 0}, {"version": 1, "outcome": ["a"]}])
def test_a_malformed_body_reaches_no_service(body):
    def service(case, **kwargs):
        raise AssertionError("called")

    with pytest.raises(ValidationError):
        Viewset(body).case_action(Body, service, "outcome")


@pytest.mark.parametrize(("refusal", "code"), [(StaleObject("The case changed."), 409),
                                               (NotAllowed("Not yours to do."), 403)])
def test_the_services_refusals_keep_their_status(refusal, code):
    def service(case, **kwargs):
        raise refusal

    with pytest.raises(type(refusal)) as raised:
        Viewset({"version": 1}).case_action(Body, service)
    assert exception_handler(raised.value, {}).status_code == code


class Page(views.ActionView):
    buttons = {"close": "Close"}

    def case(self, user, pk):
        raise AssertionError("loaded a case for an action the page does not offer")


def _request(method="get", **data):
    request = getattr(RequestFactory(), method)("/cases/1/x/", data)
    request.user = SimpleNamespace(is_authenticated=True)
    return request


def test_an_action_the_page_does_not_offer_is_a_404_before_any_case_is_loaded():
    with pytest.raises(Http404):
        Page.as_view()(_request(), pk=1, action="reopen")


class Refusing:
    def check_actor(self, user, action, case):
        raise NotAllowed(f"Only the owner can {action} it.")


def test_form_on_page_draws_the_page_on_a_get_and_refuses_a_post_to_a_page_that_drew_no_form():
    assert views.form_on_page(_request(), None, "Done.", "/cases/1/") == (None, 200)
    with pytest.raises(NotAllowed):
        views.form_on_page(_request("post"), None, "Done.", "/cases/1/", offered=(Refusing(), "close", object()))


class Form:
    errors = {}

    def __init__(self, result=None, valid=True):
        self.result, self.valid = result, valid

    def is_valid(self):
        return self.valid

    def perform(self, by):
        return self.result


def test_form_on_page_says_done_and_redirects_or_gives_the_status_to_draw_with(monkeypatch):
    said = []
    monkeypatch.setattr(views.messages, "success", lambda request, words: said.append(words))
    done, status = views.form_on_page(_request("post"), Form(SimpleNamespace(pk=9)),
                                      lambda case: f"Case {case.pk} closed.", lambda case: f"/cases/{case.pk}/")
    assert (status, done["Location"], said) == (302, "/cases/9/", ["Case 9 closed."])
    assert views.form_on_page(_request("post"), Form(valid=False), "Done.", "/cases/1/") == (None, 400)
