"""§12 due dates: stored when the request is sent, recomputed only when the calendar changes."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from clock.core import MilestoneState
from clock.models import CalendarAdjustment
from clock.services import add_adjustment, remove_adjustment
from sharing import queries, services
from sharing.models import RequestEvent
from sharing.states import RequestState
from tests.support.requests import draft, fresh, walk

LONDON = ZoneInfo("Europe/London")


@contextlib.contextmanager
def at(moment: datetime):
    """The service's clock stopped at `moment` (London time)."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(ZoneInfo("UTC"))):
        yield


def submitted_at(moment: datetime, by, **fields):
    request = draft(by, **fields)
    with at(moment):
        services.submit(request, by=by, expected_version=request.version)
    return fresh(request)


def test_official_is_acknowledged_in_three_and_provided_in_ten_working_days(cast):
    request = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    assert (request.received_on, request.acknowledge_by, request.provide_by) == (
        date(2021, 6, 15), date(2021, 6, 18), date(2021, 6, 29))
    assert request.protocol_version == "2020-05-13" and request.calendar_name == "england-and-wales"


def test_official_sensitive_is_due_fifteen_working_days_after_receipt(cast):
    request = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester,
                           classification="OFFICIAL-SENSITIVE")
    assert request.provide_by == date(2021, 7, 6)


def test_a_request_sent_on_a_saturday_counts_as_received_on_monday(cast):
    request = submitted_at(datetime(2021, 6, 19, 9, 0, tzinfo=LONDON), cast.iasc_requester)
    assert (request.received_on, request.acknowledge_by) == (date(2021, 6, 21), date(2021, 6, 24))


def test_late_evening_in_london_is_that_london_day(cast):
    request = submitted_at(datetime(2021, 6, 15, 23, 30, tzinfo=LONDON), cast.iasc_requester)
    assert request.received_on == date(2021, 6, 15)


def test_christmas_bank_holidays_are_not_counted(cast):
    request = submitted_at(datetime(2021, 12, 23, 11, 0, tzinfo=LONDON), cast.iasc_requester)
    assert request.acknowledge_by == date(2021, 12, 30)


def test_the_milestones_say_how_each_date_was_worked_out(cast):
    request = submitted_at(datetime(2021, 12, 23, 11, 0, tzinfo=LONDON), cast.iasc_requester)
    detail = queries.request_detail(cast.iasc_requester, request.pk)
    acknowledgement, provision = queries.milestones(detail, today=date(2021, 12, 29))
    assert acknowledgement.status.state == MilestoneState.DUE_SOON
    assert [(d.day, d.reason) for d in acknowledgement.skipped][:2] == [
        (date(2021, 12, 25), "Weekend (Christmas Day)"), (date(2021, 12, 26), "Weekend (Boxing Day)")]
    assert provision.clause == "§12"


def test_a_late_acknowledgement_is_shown_as_met_late(cast):
    request = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    with at(datetime(2021, 6, 22, 10, 0, tzinfo=LONDON)):
        services.acknowledge(request, by=cast.spoc, expected_version=request.version)
    detail = queries.request_detail(cast.iasc_requester, request.pk)
    acknowledgement = queries.milestones(detail, today=date(2021, 6, 23))[0]
    assert acknowledgement.status.state == MilestoneState.MET_LATE and acknowledgement.status.working_days == 2


def test_each_occasion_of_a_regular_request_has_its_own_due_date(cast):
    request = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester, provision="regular",
                           frequency="monthly", period_start=date(2021, 6, 1), period_end=date(2021, 9, 30))
    occasions = [(o.scheduled_on, o.due_on) for o in request.occasions.all()]
    assert occasions == [
        (date(2021, 6, 1), date(2021, 6, 29)),  # already past: due with the request itself (§12)
        (date(2021, 7, 1), date(2021, 7, 15)),
        (date(2021, 8, 1), date(2021, 8, 16)),  # a Sunday: counts from Monday 2 August
        (date(2021, 9, 1), date(2021, 9, 15)),
    ]


def test_outside_the_protocol_the_requester_sets_the_dates(cast, orgs):
    today = timezone.localdate()
    request = draft(cast.iasc_requester, "other_government_departments", holder_org=orgs["dwp"],
                    acknowledge_by=today + timedelta(days=5), provide_by=today + timedelta(days=40))
    services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    request = fresh(request)
    assert (request.received_on, request.acknowledge_by, request.provide_by) == (
        today, today + timedelta(days=5), today + timedelta(days=40))
    assert queries.milestones(queries.request_detail(cast.iasc_requester, request.pk))[0].skipped == []


@pytest.fixture
def administrator(person):
    return person("home-office", Role.ADMINISTRATOR)


def test_a_closure_moves_the_dates_not_yet_met_of_open_requests(cast, administrator,
                                                               django_capture_on_commit_callbacks):
    waiting = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    acknowledged = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    with at(datetime(2021, 6, 16, 10, 0, tzinfo=LONDON)):
        services.acknowledge(acknowledged, by=cast.spoc, expected_version=acknowledged.version)
    withdrawn = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    services.withdraw(withdrawn, by=cast.iasc_requester, expected_version=withdrawn.version)
    versions = {r.pk: fresh(r).version for r in (waiting, acknowledged, withdrawn)}

    with django_capture_on_commit_callbacks(execute=True):
        add_adjustment("england-and-wales", date(2021, 6, 17), "closure", "Office move", by=administrator)

    assert (fresh(waiting).acknowledge_by, fresh(waiting).provide_by) == (date(2021, 6, 21), date(2021, 6, 30))
    assert fresh(acknowledged).acknowledge_by == date(2021, 6, 18)  # met: left as it was
    assert fresh(acknowledged).provide_by == date(2021, 6, 30)
    assert fresh(withdrawn).provide_by == date(2021, 6, 29)  # not open: left as it was
    # What lists sort and filter on moves with them: the next milestone of each.
    assert (fresh(waiting).next_due_on, fresh(acknowledged).next_due_on, fresh(withdrawn).next_due_on) == (
        date(2021, 6, 21), date(2021, 6, 30), None)
    assert {r.pk: fresh(r).version for r in (waiting, acknowledged, withdrawn)} == versions
    event = RequestEvent.objects.filter(request=waiting, action="recompute_due_dates").get()
    assert event.actor is None and event.details["changed"]["acknowledge_by"] == ["2021-06-18", "2021-06-21"]
    assert AuditEvent.objects.filter(action="sharing.recompute_due_dates").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        remove_adjustment(CalendarAdjustment.objects.get(), by=administrator)
    assert (fresh(waiting).acknowledge_by, fresh(waiting).provide_by) == (date(2021, 6, 18), date(2021, 6, 29))


def test_stored_dates_do_not_move_without_a_calendar_change(cast):
    request = submitted_at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON), cast.iasc_requester)
    request = walk(request, cast, RequestState.UNDER_ASSESSMENT)
    assert (request.acknowledge_by, request.provide_by) == (date(2021, 6, 18), date(2021, 6, 29))


def test_a_request_is_made_under_the_protocol_version_in_force_when_it_is_sent(cast, tmp_path):
    import yaml

    from protocols.services import load_protocol
    from tests.support.sharing_fixtures import SHIPPED

    request = draft(cast.iasc_requester)
    later = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    later.update(version="2021-06-01", last_updated="2021-06-01")
    later["timings"]["provide_working_days"]["OFFICIAL"] = 8
    path = tmp_path / "ho-iasc-2021-06-01.yaml"
    path.write_text(yaml.safe_dump(later, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_protocol(path)

    with at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON)):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    request = fresh(request)
    assert request.protocol_version == "2021-06-01" and request.provide_by == date(2021, 6, 25)
