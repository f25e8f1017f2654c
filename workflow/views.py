"""Pages every case type shares: a case's action page (ActionView), 'My work' and the person's notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods

from concordat.forms import perform
from concordat.pagination import page_number, page_of
from protocols.markings import highest_marking
from sharing import schedule
from workflow import notify, work
from workflow.models import Notification

PAGE_SIZE = 25


def case_or_404(cases, user, found, missing: str):
    """`found`, the case a URL names (None when there is none), if the person may see it (`cases.can_view`); else a
    404 with the same words whether it exists or not, so that nothing says it does."""
    if found is None or not cases.can_view(user, found):
        raise Http404(missing)
    return found


def form_on_page(request, form, success: str | Callable[[Any], str], to: str | Callable[[Any], str], *,
                 offered: tuple | None = None) -> tuple[HttpResponse | None, int]:
    """A form drawn on a page of its case, run on a POST through its service (concordat.forms.perform): done, the
    `success` message and a redirect `to` the page that follows, (response, 302); not done, (None, the status to
    draw the page with: 400 or 409), as on a GET (None, 200). Each of `success` and `to` may be a function of the
    service's result. `offered` = (case type, action, case): when the page drew no form for the person, their POST
    is refused with the reason, 403 not theirs to do or 400 not now."""
    if request.method != "POST":
        return None, 200
    if form is None and offered is not None:
        cases, action, case = offered
        cases.check_actor(request.user, action, case)
        cases.check_action(action, case)
    performed = perform(form, request.user)
    if not performed.done:
        return None, performed.status
    messages.success(request, success(performed.result) if callable(success) else success)
    return redirect(to(performed.result) if callable(to) else to), 302


@method_decorator(login_required, name="dispatch")
class ActionView(View):
    """One action on a case, as a page: its form (GET), then the service through the form (POST, ADR 4). An
    action not on the page is a 404, a case the person may not see a 404 (`case`), one they may not act on a 403
    (`check`); bad input a 400 and a case changed under them a 409, the problems beside the fields
    (concordat.forms.perform); done, a message and back to the case's page. A case type's page sets the
    attributes and `case`; it overrides a hook where its page says more (ADR 49)."""

    cases = None  # the case type (workflow.cases.CaseType): who may act, and what its state allows now
    buttons: dict = {}  # action -> its button and heading, for each action this page offers
    form_class = None  # built with the case under `form_case` and the action: form_class(..., hold=h, action=a)
    form_case = "case"
    detail = ""  # the URL name of the case's page, taking its pk
    warning_actions = ()  # the actions whose button warns (red): they stop or end something
    template_name = "workflow/action.html"
    only_action = None  # a page of one action, whose URL does not name it

    def dispatch(self, request, action: str | None = None, **key):  # any method but POST shows the form
        if action is None:
            action = self.only_action
        elif action not in self.buttons:
            raise Http404("No such action.")
        case = self.case(request.user, **key)
        self.check(case, action)
        form = self.form(case, action)
        status, problem = 200, self.state_problem(case, action)  # as the page was loaded, before any attempt
        if request.method == "POST":
            performed = self.perform(form, case)
            status = performed.status
            if performed.done:
                return self.done(case, action, performed.result)
        return render(request, self.template_name, self.context(case, action, form, problem), status=status)

    def case(self, user, **key):
        """The case the URL names, or Http404 when there is none the person may see."""
        raise NotImplementedError

    def check(self, case, action: str) -> None:
        self.cases.check_actor(self.request.user, action, case)

    def form(self, case, action: str):
        return self.form_class(self.request.POST or None, self.request.FILES or None, action=action,
                               **{self.form_case: case})

    def state_problem(self, case, action: str):
        """Why the case's state or rules refuse the action now (workflow.cases.CaseType.action_problem), or None."""
        return self.cases.action_problem(action, case)

    def perform(self, form, case):
        return perform(form, self.request.user)

    def case_url(self, case) -> str:
        return reverse(self.detail, kwargs={"pk": case.pk})

    def done(self, case, action: str, result):
        messages.success(self.request, self.done_message(case, action, result))
        return redirect(self.case_url(case))

    def done_message(self, case, action: str, result) -> str:
        return f"{self.buttons[action]}: recorded."

    def context(self, case, action: str, form, problem) -> dict:
        return {"form": form, "case": case, "action": action, "button": self.buttons[action],
                "case_url": self.case_url(case), "warning": action in self.warning_actions,
                "problem": None if form.errors else problem}  # the form's own problems, once it has them


@login_required
def my_work(request):
    today = schedule.today()
    number = page_number(request.GET.get("page"))
    # Each case type gives its soonest cases up to the end of this page, plus one to know if there is a next.
    with work.one_page():
        items, counts = work.items_and_counts(request.user, today, limit=number * PAGE_SIZE + 1)
    page = page_of(items, str(number), PAGE_SIZE)
    return render(request, "workflow/my_work.html", {
        "page": page, "counts": counts,
        "page_marking": highest_marking(*(item.marking for item in page.object_list)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notify.mark_read(request.user)
        return redirect("workflow:notifications")
    mine = Notification.objects.filter(recipient=request.user)
    page = page_of(mine, request.GET.get("page"), PAGE_SIZE)
    return render(request, "workflow/notifications.html", {
        "page": page, "page_marking": highest_marking(*(n.marking for n in page.object_list)),
    })
