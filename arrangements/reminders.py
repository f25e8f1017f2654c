"""Reviews falling due (§16: arrangements kept so as "to ensure compliance with the data protection
legislation" are reviewed): the people who own an active arrangement are reminded REMINDER_WORKING_DAYS working
days before its review date, and again once it is overdue. Each reminder goes once per review date and person
(workflow.notify.send_once), so a second daily run, or a retry, sends nothing more."""

from __future__ import annotations

from datetime import date

from clock.calendar_store import get_calendar
from clock.core import add_working_days, long_date
from protocols.markings import BASE_MARKING
from workflow.notify import send_once

REMINDER_WORKING_DAYS = 10
DUE = "arrangement_review_due"
OVERDUE = "arrangement_review_overdue"


def horizon(today: date) -> date:
    """The last review date that counts as falling due today."""
    return add_working_days(today, REMINDER_WORKING_DAYS, get_calendar())


def send_review_reminders(today: date) -> int:
    from arrangements import notifications
    from arrangements.cases import ARRANGEMENTS
    from arrangements.models import Arrangement
    from arrangements.states import ArrangementState

    sent = 0
    falling_due = (Arrangement.objects.filter(state=ArrangementState.ACTIVE, review_on__lte=horizon(today))
                   .select_related("drafted_by__organisation").prefetch_related("parties").order_by("pk"))
    for arrangement in falling_due:
        overdue = arrangement.review_on < today
        kind = OVERDUE if overdue else DUE
        what = "review overdue" if overdue else "review due"
        line = (f"Its review was due on {long_date(arrangement.review_on)} (§16)." if overdue
                else f"Its review is due on {long_date(arrangement.review_on)} (§16).")
        subject = f"{BASE_MARKING}: {arrangement.reference} {what}"
        for person in notifications.owners(arrangement):
            sent += send_once(case_type=ARRANGEMENTS, case=arrangement, kind=kind,
                              milestone=arrangement.review_on.isoformat(), recipient=person, subject=subject,
                              lines=[f"Data sharing arrangement {arrangement.reference}.", line],
                              marking=BASE_MARKING)
    return sent
