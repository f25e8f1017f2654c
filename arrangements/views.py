"""The register's pages (§16): the list (filter by status, overdue reviews marked), an arrangement with its
timeline and what you can do, and the forms to draft, change and act on one. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from arrangements import permissions
from arrangements.cases import ARRANGEMENTS, DRAFTERS
from arrangements.forms import ArrangementActionForm, ArrangementForm
from arrangements.models import Arrangement
from arrangements.states import ArrangementAction, ArrangementState
from concordat.errors import RuleViolation, StaleObject
from workflow.views import ActionView, case_or_404

PAGE_ACTIONS = (ArrangementAction.SIGN_OFF, ArrangementAction.REVIEW, ArrangementAction.SUSPEND,
                ArrangementAction.RESUME, ArrangementAction.END)
BUTTONS = {ArrangementAction.SIGN_OFF: "Sign off", ArrangementAction.REVIEW: "Record a review",
           ArrangementAction.SUSPEND: "Suspend", ArrangementAction.RESUME: "Resume", ArrangementAction.END: "End"}


def _visible(user, pk: int) -> Arrangement:
    arrangement = (Arrangement.objects.select_related("drafted_by__organisation", "signed_off_by__organisation",
                                                      "last_reviewed_by")
                   .prefetch_related("parties", "events__actor__organisation").filter(pk=pk).first())
    return case_or_404(ARRANGEMENTS, user, arrangement, "No such arrangement, or you cannot see it.")


@login_required
@require_GET
def register(request):
    """Every arrangement the person's department is party to; ?status= filters, overdue reviews marked."""
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status and status not in ArrangementState.values:
        status = ""
    shown = ARRANGEMENTS.visible(request.user).prefetch_related("parties").order_by("review_on", "pk")
    if status:
        shown = shown.filter(state=status)
    rows = [{"arrangement": a, "overdue": a.state == ArrangementState.ACTIVE and a.review_on < today}
            for a in shown[:500]]
    return render(request, "arrangements/list.html", {
        "rows": rows, "status": status, "states": ArrangementState.choices,
        "can_create": permissions.may_draft(request.user)})


@login_required
def new(request):
    if not permissions.may_draft(request.user):
        raise PermissionDenied(f"Only {DRAFTERS} can draft a data sharing arrangement.")
    form = ArrangementForm(request.POST or None,
                           initial={"parties": [permissions.department_of(request.user)]})
    return _save(request, form, "Draft arrangement saved.", None)


@login_required
def edit(request, pk: int):
    arrangement = _visible(request.user, pk)
    ARRANGEMENTS.check_actor(request.user, ArrangementAction.UPDATE, arrangement)
    problem = ARRANGEMENTS.action_problem(ArrangementAction.UPDATE, arrangement)
    if problem is not None:  # only a draft is changed: what was signed off stays as signed (a review records more)
        messages.error(request, f"{problem.message} Record a review instead.")
        return redirect("arrangements:detail", pk=pk)
    form = ArrangementForm(request.POST or None, arrangement=arrangement)
    return _save(request, form, "Changes saved.", arrangement)


def _save(request, form, done: str, arrangement):
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = form.perform(request.user)
            except RuleViolation as violation:
                if isinstance(violation, PermissionDenied) and not _names_field(violation):
                    raise
                form.add_problems(violation)
                status = 409 if isinstance(violation, StaleObject) else 400
            else:
                messages.success(request, done)
                return redirect("arrangements:detail", pk=saved.pk)
    return render(request, "arrangements/form.html", {"form": form, "arrangement": arrangement}, status=status)


def _names_field(violation) -> bool:
    return any(problem.field == "parties" for problem in violation.problems)


@login_required
@require_GET
def detail(request, pk: int):
    arrangement = _visible(request.user, pk)
    available = ARRANGEMENTS.available_actions(request.user, arrangement)
    return render(request, "arrangements/detail.html", {
        "arrangement": arrangement, "state_label": ARRANGEMENTS.state_label(arrangement.state),
        "can_edit": ArrangementAction.UPDATE in available,
        "actions": [(action.value, BUTTONS[action]) for action in PAGE_ACTIONS if action in available],
        "overdue": arrangement.state == ArrangementState.ACTIVE and arrangement.review_on < timezone.localdate(),
        "categories": _category_labels(arrangement)})


def _category_labels(arrangement) -> list[str]:
    from arrangements.services import personal_categories

    labels = personal_categories()
    return [labels.get(key, key) for key in arrangement.personal_data_categories or []]


class ArrangementActionView(ActionView):
    cases, form_class, form_case, detail = ARRANGEMENTS, ArrangementActionForm, "arrangement", "arrangements:detail"
    buttons = {action: BUTTONS[action] for action in PAGE_ACTIONS}
    warning_actions = (ArrangementAction.SUSPEND, ArrangementAction.END)

    def case(self, user, pk: int) -> Arrangement:
        return _visible(user, pk)
