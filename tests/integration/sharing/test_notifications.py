"""Emails: sent after the step commits, once each, to people who may see the request; reminders and the
overdue digest from the daily command on the right working days."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from concordat.errors import NotAllowed
from sharing import notifications, services
from sharing.models import RequestEvent
from sharing.states import RequestState
from tests.integration.sharing.test_due_dates import LONDON, at
from tests.support.requests import COMPLETE_ELEMENTS, draft, fresh, walk
from workflow.models import Notification


def sent_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [address]]


def test_a_submission_emails_the_routed_point_of_contact_after_it_commits(cast, django_capture_on_commit_callbacks):
    request = draft(cast.iasc_requester)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    assert mail.outbox == [] and len(pending) == 1
    pending[0]()
    assert sent_to("spoc@example.org") == [f"OFFICIAL: {request.reference} submitted"]
    body = mail.outbox[0].body
    assert body.startswith("OFFICIAL\n") and body.rstrip().endswith("OFFICIAL")
    assert COMPLETE_ELEMENTS["information_requested"] not in body


def test_each_event_is_emailed_once_however_often_it_is_dispatched(cast, django_capture_on_commit_callbacks):
    request = draft(cast.iasc_requester)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    event = RequestEvent.objects.get(request=request, action="submit")
    assert notifications.send_event_notifications(event.pk) == 0
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_a_refused_action_sends_nothing(cast, django_capture_on_commit_callbacks):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as pending, pytest.raises(NotAllowed):
        services.acknowledge(request, by=cast.ho_analyst, expected_version=request.version)
    assert pending == [] and mail.outbox == []


def test_the_requester_hears_of_acknowledgement_questions_decision_and_provision(
        cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = walk(draft(cast.iasc_requester), cast, RequestState.UNDER_ASSESSMENT)
        services.request_further_information(request, by=cast.msu_assessor, expected_version=request.version,
                                             question="Which years?")
        request = fresh(request)
        services.respond(request, by=cast.iasc_requester, expected_version=request.version, answer="2016 to 2021.")
        walk(fresh(request), cast, RequestState.CLOSED)
    reference = request.reference
    assert sent_to("iasc.requester@example.org") == [
        f"OFFICIAL: {reference} acknowledged", f"OFFICIAL: {reference} needs further information",
        f"OFFICIAL: {reference} decided", f"OFFICIAL: {reference} provided"]


def test_sensitive_requests_are_emailed_only_to_people_who_may_see_them(cast, person,
                                                                         django_capture_on_commit_callbacks):
    from accounts.roles import Role

    unnamed_spoc = person("ho-analysis", Role.SPOC, email="other.spoc@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    assert sent_to("spoc@example.org") and not sent_to(unnamed_spoc.email)
    assert all(subject.startswith("OFFICIAL-SENSITIVE: ") for subject in sent_to("spoc@example.org"))


def reminders(on: str) -> str:
    out = StringIO()
    call_command("send_reminders", date=on, stdout=out)
    return out.getvalue()


def submitted_on_tuesday_15_june_2021(cast):
    request = draft(cast.iasc_requester)
    with at(datetime(2021, 6, 15, 10, 0, tzinfo=LONDON)):
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    request = fresh(request)
    assert (request.acknowledge_by, request.provide_by) == (date(2021, 6, 18), date(2021, 6, 29))
    return request


def test_the_acknowledgement_reminder_goes_one_working_day_before_it_is_due(cast):
    request = submitted_on_tuesday_15_june_2021(cast)
    reminders("2021-06-16")
    assert sent_to("spoc@example.org") == []
    assert "Sent 1 reminder(s)" in reminders("2021-06-17")
    assert sent_to("spoc@example.org") == [f"OFFICIAL: {request.reference} acknowledgement due"]
    reminders("2021-06-17")
    assert len(sent_to("spoc@example.org")) == 1


def test_the_provision_reminder_goes_two_working_days_before_it_is_due_to_the_assessor(cast):
    request = submitted_on_tuesday_15_june_2021(cast)
    request = walk(request, cast, RequestState.UNDER_ASSESSMENT)
    for day in ("2021-06-24", "2021-06-26", "2021-06-27"):
        reminders(day)
    assert sent_to("msu.assessor@example.org") == []
    reminders("2021-06-25")  # Friday: Monday 28 and Tuesday 29 June are the two working days
    assert sent_to("msu.assessor@example.org") == [f"OFFICIAL: {request.reference} provision due"]


def test_no_reminder_is_sent_on_a_day_that_is_not_a_working_day(cast):
    request = draft(cast.iasc_requester)
    with at(datetime(2021, 6, 17, 10, 0, tzinfo=LONDON)):  # Thursday: acknowledge by Tuesday 22 June
        services.submit(request, by=cast.iasc_requester, expected_version=request.version)
    reminders("2021-06-19")
    reminders("2021-06-20")
    assert mail.outbox == []
    reminders("2021-06-21")
    assert len(sent_to("spoc@example.org")) == 1


def test_overdue_work_comes_in_one_digest_a_working_day(cast):
    first = submitted_on_tuesday_15_june_2021(cast)
    second = submitted_on_tuesday_15_june_2021(cast)
    reminders("2021-06-18")
    assert not [s for s in sent_to("spoc@example.org") if "overdue" in s]
    reminders("2021-06-21")
    reminders("2021-06-21")
    digests = [m for m in mail.outbox if m.to == ["spoc@example.org"] and "overdue" in m.subject]
    assert [m.subject for m in digests] == ["OFFICIAL: 2 overdue request(s)"]
    assert first.reference in digests[0].body and second.reference in digests[0].body
    reminders("2021-06-22")
    assert len([m for m in mail.outbox if "overdue" in m.subject]) == 2
