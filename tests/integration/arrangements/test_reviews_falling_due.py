"""Reviews falling due (§16): the daily task reminds the owners (the parties' approvers and data protection
officers, and the drafter) REMINDER_WORKING_DAYS working days before the review and again once it is overdue,
each once; "My work" and the register show the overdue review, due on its review date."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from arrangements import reminders, services, tasks
from arrangements.cases import ARRANGEMENTS
from clock.calendar_store import get_calendar
from clock.core import add_working_days
from tests.support.arrangements import active, drafted, today
from workflow import work
from workflow.models import Notification


def test_the_owners_are_reminded_once_before_the_review_falls_due(cast):
    review = add_working_days(today(), reminders.REMINDER_WORKING_DAYS - 2, get_calendar())
    arrangement = active(cast, review_on=review)
    mail.outbox.clear()
    sent = tasks.send_review_reminders(today().isoformat())
    owners = {n.recipient for n in Notification.objects.filter(kind=reminders.DUE)}
    assert sent == len(owners) and cast.ho_dpo in owners and cast.ho_approver in owners
    assert cast.iasc_case_officer in owners  # the drafter
    assert cast.dwp_officer not in owners and cast.spoc not in owners
    assert all(message.subject == f"OFFICIAL: {arrangement.reference} review due" for message in mail.outbox)
    assert len(mail.outbox) == sent
    # the second daily run, or a retry, sends nothing more
    assert tasks.send_review_reminders(today().isoformat()) == 0
    assert len(mail.outbox) == sent


def test_a_review_beyond_the_window_is_not_reminded(cast):
    active(cast, review_on=add_working_days(today(), reminders.REMINDER_WORKING_DAYS + 3, get_calendar()))
    assert tasks.send_review_reminders(today().isoformat()) == 0


def test_an_overdue_review_is_reminded_once_more_and_never_again(cast):
    arrangement = active(cast, review_on=today() + timedelta(days=3))
    later = (today() + timedelta(days=4)).isoformat()
    first = tasks.send_review_reminders(later)
    assert first > 0 and Notification.objects.filter(kind=reminders.OVERDUE).count() == first
    assert tasks.send_review_reminders(later) == 0
    assert tasks.send_review_reminders((today() + timedelta(days=5)).isoformat()) == 0
    assert {n.milestone for n in Notification.objects.filter(case_id=arrangement.pk)} == {
        arrangement.review_on.isoformat()}


def test_drafts_suspended_and_ended_arrangements_are_not_reminded(cast):
    drafted(cast, review_on=today())
    assert tasks.send_review_reminders(today().isoformat()) == 0


def test_my_work_shows_the_overdue_review_due_on_its_review_date(cast):
    arrangement = active(cast, review_on=today())
    later = today() + timedelta(days=2)
    arrangement.__class__.objects.filter(pk=arrangement.pk).update(review_on=today() - timedelta(days=2))
    items = [i for i in work.items_for(cast.ho_dpo, today()) if i.kind == "arrangement"]
    assert [(i.case.pk, i.due_on, i.is_overdue) for i in items] == [(arrangement.pk, today() - timedelta(days=2),
                                                                     True)]
    assert work.counts(cast.ho_dpo, today()).overdue >= 1
    assert not [i for i in work.items_for(cast.spoc, later) if i.kind == "arrangement"]  # no signatory role
    assert not [i for i in work.items_for(cast.dwp_officer, later) if i.kind == "arrangement"]


def test_an_active_arrangement_is_nobodys_work_until_its_review_falls_due(cast):
    arrangement = active(cast, review_on=today() + timedelta(days=200))
    assert not [i for i in work.items_for(cast.ho_dpo, today()) if i.kind == "arrangement"]
    assert ARRANGEMENTS.owner_actions(cast.ho_dpo, arrangement) == []
    assert "review" in ARRANGEMENTS.available_actions(cast.ho_dpo, arrangement)  # an early review is allowed


def test_a_draft_with_its_dpia_waits_on_the_signatories_but_not_its_drafter(cast):
    arrangement = drafted(cast, by=cast.ho_dpo)
    assert [i.case.pk for i in work.items_for(cast.ho_approver, today()) if i.kind == "arrangement"] == [
        arrangement.pk]
    assert not [i for i in work.items_for(cast.ho_dpo, today()) if i.kind == "arrangement"]
    assert ARRANGEMENTS.owner_actions(cast.ho_dpo, arrangement) == []
    without_dpia = drafted(cast, dpia_reference="", dpia_completed_on=None, dpia_outcome="")
    assert without_dpia.pk not in {i.case.pk for i in work.items_for(cast.ho_approver, today())}


def test_sign_off_tells_the_other_owners_once_and_not_the_signatory(cast, django_capture_on_commit_callbacks):
    arrangement = drafted(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off(arrangement, by=cast.ho_dpo, expected_version=1)
    told = {n.recipient for n in Notification.objects.filter(kind="arrangement_sign_off")}
    assert cast.ho_dpo not in told and {cast.ho_approver, cast.iasc_approver, cast.iasc_case_officer} <= told
    assert cast.dwp_officer not in told and cast.spoc not in told
    assert len(mail.outbox) == len(told)


def test_the_my_work_page_lists_the_review_that_has_fallen_due(cast, signed_in):
    arrangement = active(cast, review_on=today())
    page = signed_in(cast.ho_approver).get("/my-work/")
    assert page.status_code == 200
    assert arrangement.reference in page.content.decode() and "Review the arrangement (§16)" in page.content.decode()
