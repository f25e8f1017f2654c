"""Retention falling due (§6(f), §8(f)): the people who hold a delivery are reminded REMINDER_WORKING_DAYS working
days before its keep-until date, and again once it is overdue; each reminder once per date and person
(workflow.notify.send_once), so a second daily run sends nothing more. As arrangements/reminders.py."""

from __future__ import annotations

from datetime import date

from clock.calendar_store import get_calendar
from clock.core import add_working_days, long_date
from workflow.notify import send_once

REMINDER_WORKING_DAYS = 10
DUE = "retention_due"
OVERDUE = "retention_overdue"


def horizon(today: date) -> date:
    """The last keep-until date that counts as falling due today."""
    return add_working_days(today, REMINDER_WORKING_DAYS, get_calendar())


def holders(retention):
    from accounts.models import User
    from sharing import permissions

    people = User.objects.filter(is_active=True, organisation=retention.request.requester_org_id).order_by("pk")
    return [person for person in people if permissions.is_requester_side(person, retention.request)
            and permissions.user_can_view(person, retention.request)]


def send_retention_reminders(today: date) -> int:
    from retention.cases import RETENTION
    from retention.models import Retention
    from retention.states import RetentionState

    sent = 0
    falling_due = (Retention.objects.filter(state=RetentionState.HELD, keep_until__lte=horizon(today))
                   .select_related("request__requester_org", "request__holder_org").order_by("pk"))
    for retention in falling_due:
        overdue = retention.keep_until < today
        line = (f"It was to be kept only until {long_date(retention.keep_until)}: dispose of it now (element (f))."
                if overdue else f"It is kept until {long_date(retention.keep_until)}, then disposed of (element (f)).")
        subject = (f"{retention.request.classification}: {RETENTION.reference(retention)} "
                   f"{'disposal overdue' if overdue else 'disposal due'}")
        for person in holders(retention):
            sent += send_once(case_type=RETENTION, case=retention, kind=OVERDUE if overdue else DUE,
                              milestone=retention.keep_until.isoformat(), recipient=person, subject=subject,
                              lines=[f"Information provided on request {retention.request.reference}.", line],
                              marking=retention.request.classification)
    return sent
