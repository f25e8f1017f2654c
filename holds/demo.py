"""The demo's processing hold: the one the letters describe. From March 2021 the Home Office halted research that
processed personal victim data held under the Modern Slavery Victim Care contract, on the ICO's advice, until a
Contract Change Notice created a mechanism to manage such research (letter of 30 November 2021). Its review date
(30 June 2021) has long passed with no review, so it shows as overdue on "My work" and on every page that shows it.

Placed through the service, as people would, then dated back to the letters like the story's requests
(sharing/demo.py): the chain records, truthfully, that the demo dated it back and what it set."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from audit.services import record_event
from holds import services
from holds.cases import HOLDS
from holds.models import Hold, HoldEvent

LONDON = ZoneInfo("Europe/London")
TITLE = "Research processing personal victim data held under the MSVC contract"
BEGAN = datetime(2021, 3, 15, 9, 30, tzinfo=LONDON)
REVIEW_WAS_DUE = date(2021, 6, 30)


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or Hold.objects.filter(title=TITLE).exists():
        return
    dpo = User.objects.filter(username="ho.dpo").first()
    owner = User.objects.filter(username="ho.approver").first()
    if dpo is None or owner is None:
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):  # fictional people
        hold = services.place(by=dpo, fields={
            "title": TITLE,
            "data_source": "msvc_contract",
            "purposes": ["research"],
            "personal_data_categories": ["personal", "special_category", "pseudonymised"],
            "reason": "The MSVC contract is not clear enough on data handling for research using sensitive and "
                      "personal victim data: there is a significant risk that this Home Office-owned data is being "
                      "used improperly. The Prime Supplier and Sub-Contractors are directed to halt any research "
                      "that processes personal data held under the contract.",
            "advice": "The Information Commissioner's Office: immediately halt processing of personal victim data "
                      "for research until the contractual position is clarified.",
            "owner": owner.pk,
            "began_on": BEGAN.date(),
            "next_review_on": timezone.localdate() + timedelta(days=1),
            "lifting_conditions": "A Contract Change Notice in the MSVC contract creating a mechanism to manage "
                                  "research involving that data, agreed with the Prime Supplier (The Salvation "
                                  "Army) after its impact assessment.",
        })
        _date_back(hold)
    stdout.write(f"Demo processing hold ready: {hold.reference}, its review overdue since "
                 f"{REVIEW_WAS_DUE:%-d %B %Y}.")


@transaction.atomic
def _date_back(hold: Hold) -> None:
    Hold.objects.filter(pk=hold.pk).update(placed_at=BEGAN, next_review_on=REVIEW_WAS_DUE)
    HoldEvent.objects.filter(hold=hold).update(occurred_at=BEGAN)
    for event in HoldEvent.objects.filter(hold=hold):
        event.details = {**event.details, "next_review_on": REVIEW_WAS_DUE.isoformat()}
        event.save(update_fields=["details"])
    hold = Hold.objects.get(pk=hold.pk)
    HOLDS.record_timeline_correction(hold, None, "demo: dated back to the letters")
    record_event("holds.dated_back", obj=hold, organisation_id=hold.department_id, details={
        "reference": hold.reference, "reason": "demo: dated back to the letters", "snapshot": HOLDS.snapshot(hold)})
