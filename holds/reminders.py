"""Reviews of processing holds falling due and passed (issue 11: "the Commissioner could get no date for the end of
that review"): each day, for every hold in force whose next review date is within REMINDER_WORKING_DAYS working days,
its keepers (owner, and the department's approvers and DPOs) and the people whose work it blocks are told the review
is due soon; once the date has passed with no review, they are reminded it is overdue. Each reminder goes once per
review date and person (workflow.notify.send_once), so a second daily run, or a retry, sends nothing more; a review
sets a new date, which is reminded afresh. "My work" flags the overdue holds (HoldCaseType.waiting_on)."""

from __future__ import annotations

from datetime import date

from clock.calendar_store import get_calendar
from clock.core import add_working_days, long_date
from protocols.markings import BASE_MARKING
from workflow.notify import send_once

REMINDER_WORKING_DAYS = 5
DUE_SOON = "hold_review_due_soon"
OVERDUE = "hold_review_overdue"


def horizon(today: date) -> date:
    """The last review date that counts as due soon today."""
    return add_working_days(today, REMINDER_WORKING_DAYS, get_calendar())


def send_review_reminders(today: date) -> int:
    from holds.models import Hold
    from holds.states import HoldState

    sent = 0
    falling_due = (Hold.objects.filter(state=HoldState.IN_FORCE, next_review_on__lte=horizon(today))
                   .select_related("owner__organisation", "department").order_by("pk"))
    for hold in falling_due:
        sent += _remind(hold, overdue=hold.next_review_on < today)
    return sent


def _remind(hold, *, overdue: bool) -> int:
    from holds import notifications
    from holds.cases import HOLDS

    due = long_date(hold.next_review_on)
    if overdue:
        kind, what = OVERDUE, "review overdue"
        lines = [f"Processing hold {hold.reference} is still in force.",
                 f"Its review was due on {due} and has not been recorded.",
                 "Its owner is asked to review it and set the next review date, or to lift it."]
    else:
        kind, what = DUE_SOON, "review due soon"
        lines = [f"Processing hold {hold.reference} is in force.",
                 f"Its review is due on {due}.",
                 "Its owner is asked to review it by then and set the next review date, or to lift it."]
    subject = f"{BASE_MARKING}: processing hold {hold.reference} {what}"
    return sum(send_once(case_type=HOLDS, case=hold, kind=kind, milestone=hold.next_review_on.isoformat(),
                         recipient=person, subject=subject, lines=lines, marking=BASE_MARKING)
               for person in notifications.concerned(hold))
