"""The holds pages: every hold, for everyone signed in (a hold's existence and scope are not secret: both sides
are to see what is blocked); a hold with its scope, status, age, review date, the work it blocks that the viewer
may see, and its history; placing, reviewing and lifting one. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from concordat.errors import RuleViolation
from concordat.forms import perform
from holds import coverage, permissions, presenting
from holds.cases import HOLDS
from holds.forms import HoldActionForm, PlaceHoldForm
from holds.models import Hold
from holds.states import HoldAction, HoldState

BUTTONS = {HoldAction.REVIEW: "Record a review", HoldAction.LIFT: "Lift the hold"}
PAGE_ACTIONS = (HoldAction.REVIEW, HoldAction.LIFT)
LIST_MAX = 500
BLOCKED_SHOWN = 100  # of each kind of work, on the hold's page


def _visible(user, pk: int) -> Hold:
    hold = (Hold.objects.select_related("department", "owner__organisation", "placed_by__organisation",
                                        "lifted_by__organisation", "last_reviewed_by")
            .prefetch_related("events__actor__organisation").filter(pk=pk).first())
    if hold is None or not HOLDS.can_view(user, hold):
        raise Http404("No such hold, or you cannot see it.")
    return hold


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


@login_required
def act(request, pk: int, action: str):
    hold = _visible(request.user, pk)
    if action not in {a.value for a in PAGE_ACTIONS}:
        raise Http404("No such action.")
    HOLDS.check_actor(request.user, action, hold)
    form = HoldActionForm(request.POST or None, hold=hold, action=action)
    status, problem = 200, HOLDS.action_problem(action, hold)
    if request.method == "POST":
        performed = perform(form, request.user)
        status = performed.status
        if performed.done:
            messages.success(request, f"{BUTTONS[HoldAction(action)]}: recorded.")
            return redirect("holds:detail", pk=pk)
    return render(request, "holds/action.html", {
        "form": form, "hold": hold, "action": action, "problem": None if form.errors else problem,
        "button": BUTTONS[HoldAction(action)]}, status=status)
