"""The approval page: the request it is about, who asked and why, and the approver's decision."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from approvals import subjects
from approvals.cases import APPROVALS
from approvals.forms import ApprovalDecisionForm
from approvals.models import Approval
from approvals.states import OUTCOMES
from workflow.views import case_or_404, form_on_page


def _visible(user, pk: int) -> Approval:
    approval = (Approval.objects.select_related(*APPROVALS.locked_relations, "requested_by__organisation",
                                                "decided_by__organisation")
                .prefetch_related("events__actor__organisation", "request__named_people").filter(pk=pk).first())
    return case_or_404(APPROVALS, user, approval, "No such approval, or you cannot see it.")


@login_required
def detail(request, pk: int):
    approval = _visible(request.user, pk)
    policy = subjects.policy_of(approval)
    if policy is not None:  # a review of another subject is decided on that subject's page
        return redirect(policy.link(approval.subject))
    can_decide = any(action in OUTCOMES for action in APPROVALS.available_actions(request.user, approval))
    form = ApprovalDecisionForm(request.POST or None, approval=approval) if can_decide else None
    done, status = form_on_page(request, form, "Your decision on the approval is recorded.",
                                reverse("approvals:detail", kwargs={"pk": pk}), offered=(APPROVALS, OUTCOMES[0], approval))
    if done:
        return done
    return render(request, "approvals/detail.html", {
        "approval": approval, "req": approval.request, "form": form, "page_marking": approval.request.classification,
        "state_label": APPROVALS.state_label(approval.state),
    }, status=status)
