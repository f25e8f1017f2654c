"""The escalation pages (§13–14): the IASC's escalate page (the §13 record; for an HO→IASC request, §14's words
and no form), and the escalation page with its ladder and the forms of whoever may act now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from concordat.errors import NotAllowed, RuleViolation, StaleObject
from escalations import ladder, services
from escalations.cases import DECIDERS, ESCALATIONS, ESCALATORS
from escalations.forms import ACTION_FORMS, EscalateForm
from escalations.models import Escalation
from escalations.presenting import ladder_rows
from sharing import queries
from sharing.cases import REQUESTS
from sharing.states import Action
from workflow.views import case_or_404, form_on_page


def _request(user, reference: str):
    found = queries.request_detail_queryset(user).filter(reference=reference).first()
    if found is None:
        raise Http404("No such request, or you cannot see it.")
    return found


@login_required
def new(request, reference: str):
    req = _request(request.user, reference)
    no_ladder = services.no_ladder_problem(req)
    context = {"req": req, "page_marking": req.classification, "no_ladder": no_ladder,
               "must_record": ladder.must_record(req), "rungs": ladder_rows(req, None),
               "working_level": ladder.working_level(req)}
    if no_ladder is not None:  # §14: say so, offer nothing
        return render(request, "escalations/new.html", context, status=400 if request.method == "POST" else 200)
    if not REQUESTS.may_act(request.user, Action.ESCALATE, req):
        raise NotAllowed("Only a requester or case officer of the requesting office, or the Commissioner, can "
                         f"escalate this request ({ladder.clause_of(req)}).")
    state_problem = REQUESTS.action_problem(Action.ESCALATE, req)
    if state_problem is not None:  # a draft, a request already escalated or finished: say why, offer nothing
        return render(request, "escalations/new.html", {**context, "no_ladder": state_problem},
                      status=400 if request.method == "POST" else 200)
    form = EscalateForm(request.POST or None, sharing_request=req)
    done, status = form_on_page(
        request, form, lambda escalation: f"{req.reference} is escalated to {escalation_rung_title(escalation)}.",
        lambda escalation: reverse("escalations:detail", kwargs={"pk": escalation.pk}))
    if done:
        return done
    return render(request, "escalations/new.html", {**context, "form": form}, status=status)


def escalation_rung_title(escalation) -> str:
    return ladder.rung_at(escalation.request, escalation.position).title


def _visible(user, pk: int) -> Escalation:
    escalation = (Escalation.objects.select_related(*ESCALATIONS.locked_relations)
                  .prefetch_related("steps__decided_by", "events__actor", "request__named_people",
                                    "request__approvals").filter(pk=pk).first())
    return case_or_404(ESCALATIONS, user, escalation, "No such escalation, or you cannot see it.")


@login_required
def detail(request, pk: int):
    escalation = _visible(request.user, pk)
    available = ESCALATIONS.available_actions(request.user, escalation)
    chosen = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {action: ACTION_FORMS[action](request.POST if action == chosen else None, escalation=escalation)
             for action in available if action in ACTION_FORMS}
    status = 200
    if request.method == "POST":
        if not forms:
            raise NotAllowed(f"Only {DECIDERS} decides it, and only {ESCALATORS} take it further.")
        form = forms.get(chosen)
        status = 400
        if form is None and chosen in ACTION_FORMS:
            ESCALATIONS.check_actor(request.user, chosen, escalation)  # 403: not theirs to take
            problem = ESCALATIONS.action_problem(chosen, escalation)
            messages.error(request, problem.message if problem else "You cannot do that now.")
        elif form is None:
            messages.error(request, "Choose what to do.")
        elif form.is_valid():
            try:
                form.perform(request.user)
            except RuleViolation as violation:
                form.add_problems(violation)
                status = 409 if isinstance(violation, StaleObject) else 400
            else:
                messages.success(request, "Recorded.")
                return redirect("escalations:detail", pk=pk)
    return render(request, "escalations/detail.html", {
        "escalation": escalation, "req": escalation.request, "page_marking": escalation.request.classification,
        "state_label": ESCALATIONS.state_label(escalation.state), "rungs": ladder_rows(escalation.request, escalation),
        "forms": forms, "must_record": ladder.must_record(escalation.request),
    }, status=status)
