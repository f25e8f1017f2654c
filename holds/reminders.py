"""A review date that passes with no review (issue 11: "the Commissioner could get no date for the end of that
review"): each day, for every hold in force whose next review date has passed, its keepers (owner, and the
department's approvers and DPOs) and the people whose work it blocks are reminded, each once per review date
(workflow.notify.send_once), so a second daily run, or a retry, sends nothing more. "My work" flags the same holds
(HoldCaseType.waiting_on)."""

from __future__ import annotations

from datetime import date

from clock.core import long_date
from protocols.markings import BASE_MARKING
from workflow.notify import send_once

OVERDUE = "hold_review_overdue"


def send_review_reminders(today: date) -> int:
    from holds import notifications
    from holds.cases import HOLDS
    from holds.models import Hold
    from holds.states import HoldState

    sent = 0
    overdue = (Hold.objects.filter(state=HoldState.IN_FORCE, next_review_on__lt=today)
               .select_related("owner__organisation", "department").order_by("pk"))
    for hold in overdue:
        subject = f"{BASE_MARKING}: processing hold {hold.reference} review overdue"
        lines = [f"Processing hold {hold.reference} is still in force.",
                 f"Its review was due on {long_date(hold.next_review_on)} and has not been recorded.",
                 "Its owner is asked to review it and set the next review date, or to lift it."]
        for person in notifications.concerned(hold):
            sent += send_once(case_type=HOLDS, case=hold, kind=OVERDUE, milestone=hold.next_review_on.isoformat(),
                              recipient=person, subject=subject, lines=lines, marking=BASE_MARKING)
    return sent
