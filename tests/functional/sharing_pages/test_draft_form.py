"""The request form speaks to the person filling it in, and the draft page says when the request would be due.

Labels are the protocol's questions in the second person, each with its clause (§6 a–g, §8 a–g); the questions
of the 13 May 2020 version come from its wording file, since its loaded definition cannot change. The preview
is §12 worked out by the clock at a fixed "now": 3 working days to acknowledge, 10 to provide OFFICIAL and 15 to
provide OFFICIAL-SENSITIVE information; outside the protocol (§18) the requester's own target dates.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.utils import timezone

from protocols import wording
from protocols.loader import load_definition
from protocols.schema import ELEMENT_KEYS, ProtocolDefinition
from protocols.services import default_protocol_paths
from sharing import forms, schedule
from tests.support.protocol_files import SHIPPED
from tests.support.requests import draft

LONDON = ZoneInfo("Europe/London")
TUESDAY_MORNING = datetime(2021, 6, 15, 10, 0, tzinfo=LONDON)  # no bank holiday within three weeks of it
SATURDAY_MORNING = datetime(2021, 6, 19, 9, 0, tzinfo=LONDON)


def text_of(response) -> str:
    """The page as a person reads it: no tags, single spaces."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ?", "?").replace(" .", ".").replace(" ;", ";")


@pytest.fixture
def frozen(monkeypatch):
    """The draft page's clock stopped at `moment`: only sharing.schedule's, so sign-in and sessions run as ever."""

    def at(moment: datetime):
        clock = SimpleNamespace(now=lambda: moment.astimezone(ZoneInfo("UTC")), localdate=lambda: moment.date())
        monkeypatch.setattr(schedule, "timezone", clock)

    return at


# --- the labels ------------------------------------------------------------------------------------------

IASC_QUESTIONS = {
    "necessity": ("Why you consider the information necessary for the exercise of your functions as set out in "
                  "section 41(1) of the Act", "§6(a)"),
    "information_requested": ("What information are you requesting?", "§6(b)"),
    "purpose": ("What will you use the information for?", "§6(c)"),
    "publication_intent": ("Do you intend to publish the information?", "§6(d)"),
    "access": ("Who will have access to the information?", "§6(e)"),
    "storage_retention": ("How will you store the information, and for how long?", "§6(f)"),
    "disposal": ("How will you dispose of the information?", "§6(g)"),
}


@pytest.mark.django_db
def test_the_form_asks_the_commissioners_office_each_element_in_the_second_person_with_its_clause(cast, protocol):
    form = forms.RequestDraftForm(protocol=protocol, direction="iasc_to_ho", requester=cast.iasc_requester)
    assert {name: (form.fields[name].label, form.clauses[name]) for name in IASC_QUESTIONS} == IASC_QUESTIONS


@pytest.mark.django_db
def test_the_home_office_is_asked_about_the_modern_slavery_strategy(cast, protocol):
    form = forms.RequestDraftForm(protocol=protocol, direction="ho_to_iasc", requester=cast.ho_requester)
    assert form.fields["necessity"].label == ("Why you consider the information necessary to support delivery of "
                                              "the Modern Slavery Strategy")
    assert (form.fields["publication_intent"].label, form.clauses["publication_intent"]) == (
        "Do you intend to publish the information?", "§8(d)")


@pytest.mark.django_db
def test_a_request_to_another_department_asks_the_same_questions_under_section_18(cast, protocol):
    form = forms.RequestDraftForm(protocol=protocol, direction="other_government_departments",
                                  requester=cast.iasc_requester)
    assert (form.fields["access"].label, form.clauses["access"]) == ("Who will have access to the information?", "§18")


@pytest.mark.django_db
def test_the_page_shows_each_question_with_its_clause_beside_it(cast, protocol, signed_in):
    page = text_of(signed_in(cast.iasc_requester).get("/requests/new/iasc_to_ho/"))
    for question, clause in IASC_QUESTIONS.values():
        assert f"{question} ({clause})" in page
    assert "Whether she intends" not in page and "Why she considers" not in page


@pytest.mark.django_db
def test_the_page_for_a_saved_draft_asks_the_same_questions(cast, signed_in):
    saved = draft(cast.ho_requester, "ho_to_iasc")
    page = text_of(signed_in(cast.ho_requester).get(f"/requests/{saved.reference}/edit/"))
    assert "Who will have access to the information? (§8(e))" in page
    assert "Why you consider the information necessary to support delivery of the Modern Slavery Strategy (§8(a))" in page


# --- where the questions come from ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> ProtocolDefinition:
    return load_definition(SHIPPED)[0]


def test_the_wording_file_puts_a_question_to_every_element_of_every_direction(shipped):
    for direction in shipped.directions:
        questions = wording.element_questions(shipped, direction)
        assert list(questions) == list(ELEMENT_KEYS)
        assert all(questions[e.key] != e.label for e in direction.required_elements), direction.key


def test_the_loaded_definition_is_untouched_so_a_database_that_holds_it_still_loads_it(shipped):
    """The questions live beside the definition, not in it: its bytes, hence its SHA-256, are as loaded before."""
    assert all(e.question is None for d in shipped.directions for e in d.required_elements)
    assert default_protocol_paths() == [SHIPPED]  # the wording file is not taken for a definition


def with_data(spec: ProtocolDefinition, change) -> ProtocolDefinition:
    data = spec.model_dump(mode="json")
    change(data)
    return ProtocolDefinition.model_validate(data)


def test_a_question_in_the_definition_itself_comes_first(shipped):
    def ask(data):
        data["directions"][0]["required_elements"][3]["question"] = "Will you publish it?"

    spec = with_data(shipped, ask)
    assert wording.element_questions(spec, spec.direction("iasc_to_ho"))["publication"] == "Will you publish it?"


def test_a_version_without_questions_shows_the_protocols_labels(shipped):
    spec = with_data(shipped, lambda data: data.update(version="2099-01-01"))
    direction = spec.direction("iasc_to_ho")
    assert wording.element_questions(spec, direction) == {e.key: e.label for e in direction.required_elements}


def test_a_blank_or_unknown_question_is_refused(shipped):
    data = yaml.safe_load(wording.wording_path("ho-iasc", "2020-05-13").read_text(encoding="utf-8"))
    data["directions"]["iasc_to_ho"]["access"] = "  "
    with pytest.raises(ValueError, match="blank"):
        wording.Wording.model_validate(data)
    with pytest.raises(ValueError):
        with_data(shipped, lambda d: d["directions"][0]["required_elements"][0].update(question=" "))


# --- the due dates before sending (§12) -------------------------------------------------------------------

@pytest.mark.django_db
def test_official_is_previewed_as_acknowledged_in_three_and_provided_in_ten_working_days(protocol):
    preview = schedule.preview_due_dates(protocol.spec, {"classification": "OFFICIAL"}, TUESDAY_MORNING)
    assert (preview.received_on, preview.acknowledge_by, preview.provide_by) == (
        date(2021, 6, 15), date(2021, 6, 18), date(2021, 6, 29))
    assert (preview.acknowledge_working_days, preview.provide_working_days, preview.clause) == (3, 10, "§12")
    assert preview.other_levels == (("OFFICIAL-SENSITIVE", 15, date(2021, 7, 6)),)


@pytest.mark.django_db
def test_official_sensitive_is_previewed_with_the_longer_fifteen_working_days(protocol):
    preview = schedule.preview_due_dates(protocol.spec, {"classification": "OFFICIAL-SENSITIVE"}, TUESDAY_MORNING)
    assert (preview.acknowledge_by, preview.provide_by, preview.provide_working_days) == (
        date(2021, 6, 18), date(2021, 7, 6), 15)


@pytest.mark.django_db
def test_the_preview_matches_what_submitting_would_store(cast, protocol):
    request = draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE")
    preview = schedule.preview_due_dates(protocol.spec, request, SATURDAY_MORNING)
    stored = schedule.due_dates(request, SATURDAY_MORNING, schedule.calendar_for(request))
    assert (preview.received_on, preview.acknowledge_by, preview.provide_by) == (
        stored.received_on, stored.acknowledge_by, stored.provide_by)
    assert preview.received_on == date(2021, 6, 21)  # sent on a Saturday, received on the Monday


@pytest.mark.django_db
def test_no_classification_yet_is_previewed_at_the_default_and_secret_not_at_all(protocol):
    assert schedule.preview_due_dates(protocol.spec, {}, TUESDAY_MORNING).classification == "OFFICIAL"
    assert schedule.preview_due_dates(protocol.spec, {"classification": "SECRET"}, TUESDAY_MORNING) is None


@pytest.mark.django_db
def test_outside_the_protocol_the_preview_is_the_requesters_targets(cast, protocol, orgs):
    today = timezone.localdate()
    request = draft(cast.iasc_requester, "other_government_departments", holder_org=orgs["dwp"],
                    acknowledge_by=today + timedelta(days=5), provide_by=today + timedelta(days=40))
    preview = schedule.preview_due_dates(protocol.spec, request, TUESDAY_MORNING)
    assert (preview.set_by_requester, preview.clause, preview.received_on) == (True, "§18", None)
    assert (preview.acknowledge_by, preview.provide_by) == (today + timedelta(days=5), today + timedelta(days=40))


@pytest.mark.django_db
def test_the_new_request_page_previews_the_dates_for_the_default_classification(cast, protocol, signed_in, frozen):
    frozen(TUESDAY_MORNING)
    page = text_of(signed_in(cast.iasc_requester).get("/requests/new/iasc_to_ho/"))
    assert ("If you submit this today, it will be received on Tuesday 15 June 2021; acknowledge by Friday 18 June "
            "2021; provide by Tuesday 29 June 2021.") in page
    assert "3 working days to acknowledge and 10 to provide OFFICIAL information" in page
    assert "OFFICIAL-SENSITIVE information would be due in 15 working days, by Tuesday 6 July 2021." in page


@pytest.mark.django_db
def test_an_official_sensitive_draft_previews_the_longer_period(cast, signed_in, frozen):
    saved = draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE")
    frozen(SATURDAY_MORNING)
    page = text_of(signed_in(cast.iasc_requester).get(f"/requests/{saved.reference}/edit/"))
    assert ("If you submit this today, it will be received on Monday 21 June 2021; acknowledge by Thursday 24 June "
            "2021; provide by Monday 12 July 2021.") in page
    assert "15 to provide OFFICIAL-SENSITIVE information" in page


@pytest.mark.django_db
def test_the_preview_follows_the_classification_just_typed(cast, signed_in, frozen):
    saved = draft(cast.iasc_requester)
    frozen(TUESDAY_MORNING)
    client = signed_in(cast.iasc_requester)
    response = client.post(f"/requests/{saved.reference}/edit/", {
        "version": saved.version, "classification": "OFFICIAL-SENSITIVE", "personal_data_category": "anonymised",
        "provision": "one_off", "period_start_0": "32", "period_start_1": "13", "period_start_2": "2021",
        "save": "1"})  # refused: no such date
    assert response.status_code == 400
    assert "provide by Tuesday 6 July 2021" in text_of(response)


@pytest.mark.django_db
def test_a_request_to_another_department_shows_the_target_dates_instead(cast, protocol, signed_in, frozen):
    frozen(TUESDAY_MORNING)
    page = text_of(signed_in(cast.iasc_requester).get("/requests/new/other_government_departments/"))
    assert "outside the protocol's timings (§18): set your own target dates" in page
    assert "If you submit this today" not in page
