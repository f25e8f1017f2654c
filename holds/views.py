"""The holds pages: every hold, for everyone signed in (a hold's existence and scope are not secret: both sides
are to see what is blocked); a hold with its scope, status, age, review date, the work it blocks that the viewer
may see, and its history; placing, reviewing and lifting one. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from concordat.errors import RuleViolation
from holds import coverage, permissions, presenting
from holds.cases import HOLDS
from holds.forms import HoldActionForm, PlaceHoldForm
from holds.models import Hold
from holds.states import HoldAction, HoldState
from workflow.views import ActionView, case_or_404

BUTTONS = {HoldAction.REVIEW: "Record a review", HoldAction.LIFT: "Lift the hold"}
PAGE_ACTIONS = (HoldAction.REVIEW, HoldAction.LIFT)
LIST_MAX = 500
BLOCKED_SHOWN = 100  # of each kind of work, on the hold's page


def _visible(user, pk: int) -> Hold:
    hold = (Hold.objects.select_related("department", "owner__organisation", "placed_by__organisation",
                                        "lifted_by__organisation", "last_reviewed_by")
            .prefetch_related("events__actor__organisation").filter(pk=pk).first())
    return case_or_404(HOLDS, user, hold, "No such hold, or you cannot see it.")


@login_required
@require_GET
def hold_list(request):
    """Every hold, in force first; ?status= filters."""
    status = request.GET.get("status", "")
    if status not in HoldState.values:
        status = ""
    shown = HOLDS.visible(request.user).select_related("owner", "department").order_by("state", "next_review_on",
                                                                                         "pk")
    if status:
        shown = shown.filter(state=status)
    labels = coverage.category_labels()
    return render(request, "holds/list.html", {
        "rows": [presenting.summary(hold, labels=labels) for hold in shown[:LIST_MAX]], "status": status,
        "states": HoldState.choices, "can_place": permissions.may_place(request.user)})


@login_required
def new(request):
    if not permissions.may_place(request.user):
        raise PermissionDenied(f"Only {permissions.WHO_PLACES} can place a processing hold.")
    form = PlaceHoldForm(request.POST or None, placer=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                hold = form.perform(request.user)
            except RuleViolation as violation:
                form.add_problems(violation)
            else:
                messages.success(request, f"Hold {hold.reference} placed: it is in force.")
                return redirect("holds:detail", pk=hold.pk)
    return render(request, "holds/form.html", {"form": form}, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    hold = _visible(request.user, pk)
    available = HOLDS.available_actions(request.user, hold)
    return render(request, "holds/detail.html", {
        "hold": hold, "summary": presenting.summary(hold),
        "blocked": coverage.blocked_work(hold, request.user, limit=BLOCKED_SHOWN), "blocked_shown": BLOCKED_SHOWN,
        "actions": [(action.value, BUTTONS[action]) for action in PAGE_ACTIONS if action in available]})


class HoldActionView(ActionView):
    cases, form_class, form_case, detail = HOLDS, HoldActionForm, "hold", "holds:detail"
    buttons = {action: BUTTONS[action] for action in PAGE_ACTIONS}

    def case(self, user, pk: int) -> Hold:
        return _visible(user, pk)
