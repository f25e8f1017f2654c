"""Moving stored due dates when the calendar changes (§12): a closure or an opening added or removed."""

from __future__ import annotations

from django.db import transaction

from sharing import schedule
from sharing.cases import REQUESTS
from sharing.models import Request
from sharing.states import Action, RouteKind


def recompute_due_dates(calendar_name: str) -> int:
    """After a closure or opening is added or removed, move the due dates not yet met of open
    protocol requests counted on that calendar (§12). Returns how many requests changed."""
    cal = schedule.get_calendar(calendar_name)
    candidates = (Request.objects.open().filter(route=RouteKind.PROTOCOL, calendar_name=calendar_name,
                                                submitted_at__isnull=False).values_list("pk", flat=True))
    return sum(_recompute_one(pk, cal) for pk in list(candidates))


@transaction.atomic
def _recompute_one(pk: int, cal) -> bool:
    request = Request.objects.select_for_update(of=("self",)).select_related("protocol").get(pk=pk)
    dates = schedule.due_dates(request, request.submitted_at, cal)
    before = {"received_on": request.received_on, "acknowledge_by": request.acknowledge_by,
              "provide_by": request.provide_by}
    after = dict(before, received_on=dates.received_on)
    if request.acknowledged_at is None:
        after["acknowledge_by"] = dates.acknowledge_by
    if not request.deliveries.exists():
        after["provide_by"] = dates.provide_by
    for name, value in after.items():
        setattr(request, name, value)
    moved_occasions = _recompute_occasions(request, cal) if request.is_regular else []
    changed = {name: [str(before[name]), str(after[name])] for name in after if before[name] != after[name]}
    if not changed and not moved_occasions:
        return False
    request.next_due_on = schedule.next_due_on(request)
    request.save(update_fields=[*after, "next_due_on", "updated_at"])
    REQUESTS.record(request, None, Action.RECOMPUTE_DUE_DATES, request.state,
                    details={"calendar": cal.name, "changed": changed, "occasions": moved_occasions})
    return True


def _recompute_occasions(request: Request, cal) -> list[int]:
    due_by_sequence = dict(enumerate((due for _, due in schedule.occasion_due_dates(request, cal)), start=1))
    moved = []
    for occasion in request.occasions.filter(delivery__isnull=True):
        due = due_by_sequence.get(occasion.sequence)
        if due and due != occasion.due_on:
            occasion.due_on = due
            occasion.save(update_fields=["due_on"])
            moved.append(occasion.sequence)
    return moved
