"""'My work' is exactly what each person can move on: for every person of the demo cast, over the demo's
requests and approvals, the list equals the cases on which that person may take an owner's action."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings

from accounts.demo import seed_demo_people
from accounts.models import User
from holds import demo as holds_demo
from protocols.services import load_protocol
from publications import demo as publication_demo
from sharing import demo, schedule
from workflow import registry, work

SHIPPED = Path(settings.CONCORDAT_PROTOCOL_DIR) / "ho-iasc-2020-05-13.yaml"


@pytest.fixture
def demo_cast(db, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "password.txt")
    monkeypatch.setattr(demo, "GENERATED", 90)  # ten rounds of every state, and the story of the letters
    load_protocol(SHIPPED)
    seed_demo_people()
    demo.seed_demo(StringIO())
    publication_demo.seed_demo(StringIO())  # a proposal agreed with changes, one awaiting the holder
    holds_demo.seed_demo(StringIO())  # the March 2021 processing hold, its review overdue
    return list(User.objects.filter(is_active=True).select_related("organisation").order_by("username"))


def owned(person, today) -> set[tuple[str, int]]:
    """Every case, of every type, on which this person may take an owner's action now."""
    found = set()
    for case_type in registry.case_types():
        for case in case_type.visible(person):
            if case_type.owner_actions(person, case):
                found.add((case_type.kind, case.pk))
    return found


def test_my_work_agrees_with_what_each_person_can_do(demo_cast):
    today = schedule.today()
    checked = {}
    for person in demo_cast:
        listed = {(item.kind, item.case.pk) for item in work.items_for(person, today, limit=10_000)}
        assert listed == owned(person, today), person.username
        # The counts at the top of the page, counted in SQL, agree with the list.
        assert work.counts(person, today) == work.counts_of(work.items_for(person, today, 10_000), today)
        checked[person.username] = len(listed)
    # The demo gives most of the cast something to do, approvers included.
    assert checked["ho.approver"] > 0 and checked["msu.spoc"] > 0 and checked["iasc.requester"] > 0
    assert checked["ho.assessor"] > 0 and checked["iasc.commissioner"] > 0


def test_my_work_puts_the_overdue_first_and_drafts_last(demo_cast):
    people = {person.username: person for person in demo_cast}
    items = work.items_for(people["msu.spoc"], schedule.today())
    overdue = [item.is_overdue for item in items]
    assert overdue == sorted(overdue, reverse=True)
    assert items[0].title == demo.STORY_MARKER and items[0].is_overdue  # the request of June 2021 comes first
    mine = work.items_for(people["iasc.requester"], schedule.today())
    drafts = [item.is_draft for item in mine]
    assert drafts == sorted(drafts) and drafts[-1]
    due = [item.due_on for item in mine if item.is_overdue]
    assert due == sorted(due)


def test_the_stored_next_due_date_is_what_the_clock_says_for_every_demo_request(demo_cast):
    from sharing.models import Request

    for request in Request.objects.select_related("protocol"):
        assert request.next_due_on == schedule.next_due_on(request), request.reference


def test_the_visibility_exists_compiled_once_a_page_agrees_with_visible_requests(demo_cast):
    """permissions.visible_request_q (ADR 58: the visible requests' SQL compiled once within a page, a derived table
    under EXISTS) finds exactly visible_requests' rows, inside one_page and outside it, for every person."""
    from approvals.models import Approval
    from sharing.models import Request
    from sharing.permissions import visible_request_q, visible_requests

    for person in demo_cast:
        expected = set(visible_requests(person).values_list("pk", flat=True))
        approvals = set(Approval.objects.filter(request__in=expected).values_list("pk", flat=True))
        assert set(Request.objects.filter(visible_request_q(person, "pk")).values_list("pk", flat=True)) == expected
        with work.one_page():
            for _ in range(2):  # the second time from the page's compiled SQL
                found = Request.objects.filter(visible_request_q(person, "pk")).values_list("pk", flat=True)
                assert set(found) == expected, person.username
                assert set(Approval.objects.filter(visible_request_q(person)).values_list("pk", flat=True)) \
                    == approvals, person.username
