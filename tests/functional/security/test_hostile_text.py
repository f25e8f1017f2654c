"""Hostile text in every text field (issue 8, item 8): markup, template syntax, bidi overrides, zero-width and
control characters, NUL, very long strings, SQL-ish text and (through JSON) a lone surrogate.

For every form and serializer the project defines (found by hostile.py), each text field either keeps the text
exactly as typed (less the surrounding whitespace, where the field strips it) or refuses it with a message on
that field; NUL is always refused; nothing raises. End to end, through the pages and the API, nothing answers
500, and where the text is shown on a page it is escaped: the raw markup never appears, its escaped form does.
"""

from __future__ import annotations

import inspect
import json

from django import forms
from django.db import transaction
from django.test import Client, RequestFactory, TestCase, override_settings
from django.utils.html import escape
from rest_framework import serializers

from sharing.models import Request
from tests.factories import verified_client
from tests.functional.security import hostile, world
from tests.functional.security.hostile import HOSTILE, MARKUP, MUST_REFUSE, SURROGATE
from tests.support.requests import COMPLETE_ELEMENTS

HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TALLY: dict = {}


def _past_max_length(max_length) -> dict:
    return {"past_max_length": "y" * (max_length + 1)} if max_length else {}


def _typed_into(fields, label: str, value: str) -> dict:
    """The value in every one of the fields; a million characters in one (seven would pass the 5 MB a request
    body may have, and be refused whole, naming no field)."""
    return {fields[1]: value} if label == "million" else dict.fromkeys(fields, value)


def _stored(field, value: str) -> str:
    strip = getattr(field, "strip", None)
    if strip is None:
        strip = getattr(field, "trim_whitespace", False)
    return value.strip() if strip else value


class rolled_back:  # noqa: N801  (a context manager, read as a phrase)
    """Run a check in a savepoint that is rolled back: the next check finds the world as it was built."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc)


class WorldTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = world.build()

    def obj(self, key):
        target = self.world.objects[key]
        return type(target).objects.get(pk=target.pk)

    def person(self, name):
        return self.world.people[name]


@override_settings(PASSWORD_HASHERS=HASHERS)
class FormsAndSerializers(WorldTestCase):
    """Every text field of every form and serializer, at the form and serializer level."""

    def _form_kwargs(self, cls) -> dict:
        """What each form's constructor asks for, by the names the project's forms use; a new keyword fails with
        a message saying where to add it."""
        known = {
            "sharing_request": lambda: self.obj("sensitive"),
            "approval": lambda: self.obj("approval"),
            "arrangement": lambda: self.obj("arrangement"),
            "hold": lambda: self.obj("hold"),
            "placer": lambda: self.person("ho_dpo"),
            "escalation": lambda: self.obj("escalation"),
            "proposal": lambda: self.obj("publication"),
            "retention": lambda: self.obj("retention"),
            "contact": lambda: self.obj("contact"),
            "project": lambda: self.obj("research_project"),  # research (issue 11)
            "project_action": lambda: "cancel",
            "release": lambda: self.obj("release"),
            "protocol": lambda: self.obj("protocol"),
            "requester": lambda: self.person("iasc_requester"),
            "direction": lambda: "iasc_to_ho",
            "choices": lambda: [("iasc_to_ho", "Ask the Home Office")],
            "request": lambda: RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9"),
            "user": lambda: self.person("administrator"),
        }
        kwargs = {}
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            if parameter.kind != inspect.Parameter.KEYWORD_ONLY and name != "request" and name != "user":
                continue
            if name in known:
                kwargs[name] = known[name]()
            elif parameter.default is inspect.Parameter.empty:
                raise AssertionError(f"{cls.__module__}.{cls.__name__} takes {name}=: say what to pass in "
                                     "test_hostile_text.FormsAndSerializers._form_kwargs")
        return kwargs

    def test_the_introspection_finds_the_forms_and_serializers_people_type_into(self):
        form_names = {cls.__name__ for cls in hostile.project_forms()}
        serializer_names = {cls.__name__ for cls in hostile.project_serializers()}
        assert {"RequestDraftForm", "AcknowledgeForm", "DecideForm", "ApprovalDecisionForm", "AdjustmentForm",
                "GovukAuthenticationForm"} <= form_names
        assert {"DraftCreateSerializer", "NoteSerializer", "DecideSerializer", "VersionedText",
                "ChecklistEntrySerializer", "RespondSerializer"} <= serializer_names

    def test_every_form_text_field_keeps_or_refuses_hostile_text(self):
        problems, checks, fields, form_count = [], 0, 0, 0
        for cls in hostile.project_forms():
            kwargs = self._form_kwargs(cls)
            names = hostile.form_text_fields(cls(**kwargs))
            form_count += 1
            for name in names:
                fields += 1
                field = cls(**kwargs).fields[name]
                for label, value in {**HOSTILE, **_past_max_length(field.max_length)}.items():
                    form = cls(data={name: value}, **kwargs)
                    checks += 1
                    where = f"{cls.__module__}.{cls.__name__}.{name} with {label}"
                    try:
                        form.is_valid()
                    except Exception as error:  # noqa: BLE001  (reported with the rest)
                        problems.append(f"{where}: raised {type(error).__name__}: {str(error)[:200]}")
                        continue
                    refused = name in form.errors
                    if label in MUST_REFUSE or label == "past_max_length":
                        if not refused:
                            problems.append(f"{where}: accepted; it must be refused with a message on the field")
                    elif not refused and form.cleaned_data.get(name) != _stored(field, value):
                        problems.append(f"{where}: kept as {form.cleaned_data.get(name)!r:.60}, not as typed")
        TALLY.update(forms=form_count, form_fields=fields, form_checks=checks)
        print(f"\nhostile text, forms: {form_count} forms, {fields} text fields, {checks} checks")
        assert not problems, "\n".join(problems)

    def test_every_serializer_text_field_keeps_or_refuses_hostile_text(self):
        problems, checks, fields, count = [], 0, 0, 0
        values = {**HOSTILE, "surrogate": SURROGATE}
        for cls in hostile.project_serializers():
            try:
                names = hostile.serializer_text_fields(cls())
            except Exception as error:  # noqa: BLE001
                problems.append(f"{cls.__module__}.{cls.__name__}: cannot be made: {error}")
                continue
            count += 1
            for name, how in names.items():
                fields += 1
                field = cls().fields[name]
                text_field = field.child if how != "text" else field
                for label, value in {**values, **_past_max_length(text_field.max_length)}.items():
                    sent = {"text": value, "list": [value], "dict": {"purpose": value}}[how]
                    serializer = cls(data={name: sent})
                    checks += 1
                    where = f"{cls.__module__}.{cls.__name__}.{name} with {label}"
                    try:
                        valid = serializer.is_valid()
                    except Exception as error:  # noqa: BLE001
                        problems.append(f"{where}: raised {type(error).__name__}: {str(error)[:200]}")
                        continue
                    refused = name in serializer.errors
                    if label in MUST_REFUSE or label in ("surrogate", "past_max_length"):
                        if not refused:
                            problems.append(f"{where}: accepted; it must be refused on the field")
                    elif valid and not refused:
                        kept = serializer.validated_data.get(name)
                        expected = {"text": _stored(text_field, value), "list": [_stored(text_field, value)],
                                    "dict": {"purpose": _stored(text_field, value)}}[how]
                        if kept is not None and kept != expected:
                            problems.append(f"{where}: kept as {kept!r:.60}, not as typed")
        TALLY.update(serializers=count, serializer_fields=fields, serializer_checks=checks)
        print(f"\nhostile text, serializers: {count} serializers, {fields} text fields, {checks} checks")
        assert not problems, "\n".join(problems)


@override_settings(PASSWORD_HASHERS=HASHERS)
class EndToEnd(WorldTestCase):
    """The main free-text paths through the pages and the API, and the pages that show what was typed."""

    def _shown_escaped(self, html: str, value: str, where: str) -> None:
        assert escape(value) in html, f"{where}: the text is not on the page as typed (escaped)"
        if set(value) & set("<>\"'"):
            assert value not in html, f"{where}: the raw markup is on the page"

    def _refused_naming(self, response, fields, where: str) -> None:
        """Refused with a message on one of `fields`: a 400 naming it (the API), or the form again with the error
        beside it (a page: 400, or the calendar's 200)."""
        assert response.status_code in (200, 400), f"{where}: answered {response.status_code}"
        if response["Content-Type"].startswith("application/json"):
            named = {problem["field"] for problem in response.json()["errors"]}
        else:
            named = set(response.context["form"].errors)
        assert named & set(fields), f"{where}: refused without naming {fields} ({named})"

    def test_drafting_a_request_on_the_page(self):
        client = verified_client(self.person("iasc_requester"))
        texts = ("title", "necessity", "information_requested", "purpose", "access", "storage_retention",
                 "disposal")
        for label, value in HOSTILE.items():
            where = f"the draft page with {label}"
            data = {**COMPLETE_ELEMENTS, **_typed_into(texts, label, value)}
            data.update(classification="OFFICIAL", personal_data_category="none", provision="one_off")
            with rolled_back():
                response = client.post("/requests/new/iasc_to_ho/", data)
                if label in MUST_REFUSE or label == "million":
                    self._refused_naming(response, texts, where)
                    continue
                assert response.status_code == 302, f"{where}: answered {response.status_code}"
                saved = Request.objects.get(reference=response["Location"].rstrip("/").split("/")[-1])
                assert saved.necessity == value.strip(), where
                assert saved.title == value.strip() and saved.purpose == value.strip(), where
                self._shown_escaped(client.get(response["Location"]).content.decode(), value.strip(), where)

    def test_drafting_a_request_through_the_api_and_reading_it_on_the_page(self):
        client = verified_client(self.person("iasc_requester"))
        texts = ("title", "necessity", "information_requested", "purpose", "access", "storage_retention",
                 "disposal")
        for label, value in {**HOSTILE, "surrogate": SURROGATE}.items():
            where = f"the API draft with {label}"
            body = json.dumps({"direction": "iasc_to_ho", **_typed_into(texts, label, value)})  # a surrogate as \\ud800
            with rolled_back():
                response = client.post("/api/requests/", body, content_type="application/json")
                if label in MUST_REFUSE or label in ("million", "surrogate"):
                    self._refused_naming(response, texts, where)
                    continue
                assert response.status_code == 201, f"{where}: answered {response.status_code}"
                saved = Request.objects.get(pk=response.json()["id"])
                assert saved.title == value and saved.necessity == value, f"{where}: not kept as typed"
                assert response.json()["title"] == value, where
                self._shown_escaped(client.get(f"/requests/{saved.reference}/").content.decode(), value, where)

    def test_notes_questions_and_reasons_are_kept_and_shown_escaped(self):
        # (who, object, page, field, data): the acknowledgement's note on the timeline, the assessor's question,
        # and an approver's refusal with reasons on the approval page
        paths = [
            ("spoc", "submitted", "requests/{ref}/acknowledge/", "note", {}),
            ("msu_assessor", "sensitive", "requests/{ref}/request_further_information/", "question", {}),
            ("ho_approver", "approval", "approvals/{pk}/", "text", {"outcome": "refuse"}),
            # publication (§7(b)): the holder's reasons for refusing, and the text as agreed with changes
            ("ho_approver", "publication", "publications/{pk}/", "reasons", {"outcome": "refuse"}),
            ("msu_assessor", "publication", "publications/{pk}/", "agreed_text",
             {"outcome": "agree_with_changes", "reasons": "Changed."}),
            # the §18 directory: a contact's name, kept as typed and shown escaped in the directory
            ("spoc", "contact", "contacts/{pk}/", "name", {"role_title": "Statistician", "email": "n@dwp.example"}),
        ]
        for who, key, page, name, extra in paths:
            client = verified_client(self.person(who))
            for label, value in HOSTILE.items():
                target = self.obj(key)
                url = "/" + page.format(ref=getattr(target, "reference", ""), pk=target.pk)
                where = f"{url} {name} with {label}"
                with rolled_back():
                    response = client.post(url, {name: value, "version": target.version, **extra})
                    if label in MUST_REFUSE or label == "million":
                        self._refused_naming(response, (name, "reasons", "question", "note", "agreed_text"), where)
                        continue
                    assert response.status_code == 302, f"{where}: answered {response.status_code}"
                    self._shown_escaped(client.get(response["Location"]).content.decode(), value.strip(), where)

    def test_the_api_refuses_an_approval_with_hostile_reasons_or_keeps_them_as_typed(self):
        client = verified_client(self.person("ho_approver"))
        for label, value in {**HOSTILE, "surrogate": SURROGATE}.items():
            target = self.obj("approval")
            body = json.dumps({"version": target.version, "text": value})
            where = f"refusing an approval through the API with {label}"
            with rolled_back():
                response = client.post(f"/api/approvals/{target.pk}/refuse/", body, content_type="application/json")
                if label in MUST_REFUSE or label in ("million", "surrogate"):
                    self._refused_naming(response, ("text", "reasons"), where)
                    continue
                assert response.status_code == 200, f"{where}: answered {response.status_code}"
                assert response.json()["reasons"] == value.strip(), where

    def test_the_api_keeps_or_refuses_a_hostile_publication_proposal_and_its_page_escapes_it(self):
        client = verified_client(self.person("iasc_requester"))
        for label, value in {**HOSTILE, "surrogate": SURROGATE}.items():
            target = self.obj("publication")
            where = f"proposing publication through the API with {label}"
            with rolled_back():
                # withdraw the open proposal first: one open proposal per request (§7(b))
                client.post(f"/api/publications/{target.pk}/withdraw/", json.dumps({"version": target.version}),
                            content_type="application/json")
                body = json.dumps({"request": self.obj("published").reference, "text": value})
                response = client.post("/api/publications/", body, content_type="application/json")
                if label in MUST_REFUSE or label in ("million", "surrogate"):
                    self._refused_naming(response, ("text",), where)
                    continue
                assert response.status_code == 201, f"{where}: answered {response.status_code} {response.content}"
                assert response.json()["proposed_text"] == value.strip(), where
                page = client.get(f"/publications/{response.json()['id']}/").content.decode()
                self._shown_escaped(page, value.strip(), where)

    def test_signing_in_with_hostile_text_is_refused_never_an_error(self):
        for index, (label, value) in enumerate(HOSTILE.items()):
            for data in ({"username": value, "password": "x"}, {"username": f"someone{index}", "password": value}):
                response = Client().post("/accounts/login/", data, REMOTE_ADDR="203.0.113.7")
                assert response.status_code in (200, 400, 403, 429), f"sign-in with {label}: {response.status_code}"
                assert "<script>alert" not in response.content.decode(), f"sign-in with {label} echoed markup"

    def test_a_calendar_closure_reason_is_kept_or_refused_and_shown_escaped(self):
        client = verified_client(self.person("administrator"))
        for label, value in HOSTILE.items():
            data = {"calendar": "england-and-wales", "day_0": "5", "day_1": "3", "day_2": "2031", "kind": "closure",
                    "reason": value}
            where = f"a closure's reason with {label}"
            without_a_date = client.post("/calendar/", {"reason": value, "kind": "closure"})  # was a 500
            self._refused_naming(without_a_date, ("day",), f"{where}, and no date")
            with rolled_back():
                response = client.post("/calendar/", data)
                if response.status_code != 302:
                    self._refused_naming(response, ("reason",), where)
                    continue
                assert label not in MUST_REFUSE and label != "million", f"{where}: accepted"
                self._shown_escaped(client.get(response["Location"]).content.decode(), value.strip(), where)


def test_markup_values_are_what_the_escaping_checks_look_for():
    assert all(set(HOSTILE[name]) & set("<>") for name in MARKUP)
    assert isinstance(forms.CharField().strip, bool) and serializers.CharField().trim_whitespace
