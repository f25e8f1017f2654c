"""The calendar page: a year's non-working days, and closures and openings for administrators to manage."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import Action, is_active_member, user_can
from clock.calendar_store import get_calendar
from clock.core import (
    CALENDAR_LABELS,
    DEFAULT_CALENDAR,
    FIRST_SUPPORTED_DAY,
    LAST_SUPPORTED_DAY,
    long_date,
    non_working_days,
)
from clock.forms import AdjustmentForm
from clock.models import CalendarAdjustment
from clock.services import add_adjustment, remove_adjustment
from concordat.errors import RuleViolation


@login_required
def calendar_page(request):
    if not is_active_member(request.user):
        raise PermissionDenied
    name, year = _chosen_calendar_and_year(request)
    can_manage = user_can(request.user, Action.MANAGE_CALENDAR)
    form = AdjustmentForm(request.POST or None, initial={"calendar": name})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid() and _add(request, form):
            added = form.cleaned_data
            return redirect(_page_url(added["calendar"], added["day"].year))
    return render(request, "clock/calendar.html", {
        "form": form,
        "can_manage": can_manage,
        "calendar_name": name,
        "calendar_label": CALENDAR_LABELS[name],
        "calendars": CALENDAR_LABELS.items(),
        "year": year,
        "years": range(FIRST_SUPPORTED_DAY.year, LAST_SUPPORTED_DAY.year + 1),
        "days_off": _weekdays_off(name, year),
        "adjustments": CalendarAdjustment.objects.filter(calendar=name, day__year=year).select_related("created_by"),
    })


@login_required
@require_POST
def remove(request, pk: int):
    if not user_can(request.user, Action.MANAGE_CALENDAR):
        raise PermissionDenied
    adjustment = get_object_or_404(CalendarAdjustment, pk=pk)
    try:
        remove_adjustment(adjustment, by=request.user)
    except RuleViolation as error:  # removed by somebody else a moment ago
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed the {adjustment.kind} on {long_date(adjustment.day)}.")
    return redirect(_page_url(adjustment.calendar, adjustment.day.year))


def _chosen_calendar_and_year(request) -> tuple[str, int]:
    name = request.GET.get("calendar", DEFAULT_CALENDAR)
    if name not in CALENDAR_LABELS:
        raise Http404("No such calendar")
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError as error:
        raise Http404("No such year") from error
    if not FIRST_SUPPORTED_DAY.year <= year <= LAST_SUPPORTED_DAY.year:
        raise Http404("The calendars cover 2000 to 2050")
    return name, year


def _add(request, form: AdjustmentForm) -> bool:
    data = form.cleaned_data
    try:
        add_adjustment(data["calendar"], data["day"], data["kind"], data["reason"], by=request.user)
    except RuleViolation as error:
        for problem in error.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return False
    messages.success(request, f"Added a {data['kind']} on {long_date(data['day'])}: due dates now skip it.")
    return True


def _weekdays_off(name: str, year: int):
    cal = get_calendar(name)
    first, last = FIRST_SUPPORTED_DAY.replace(year=year), LAST_SUPPORTED_DAY.replace(year=year)
    return non_working_days(first, last, cal, include_weekends=False)


def _page_url(name: str, year: int) -> str:
    return f"{reverse('clock:calendar')}?{urlencode({'calendar': name, 'year': year})}"
