"""The retention pages: what the person's organisation holds and when it falls due, a case's page with the
disposal and its confirmation, and the disposal certificate. They call the services the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from concordat.errors import NotAllowed, RuleViolation
from documents.responses import attachment
from retention import services
from retention.cases import RETENTION
from retention.forms import DisposeForm
from retention.states import RetentionAction
from workflow.views import form_on_page

LISTS = {"due": "Due or overdue", "overdue": "Overdue", "held": "Everything held", "disposed": "Disposed of"}
PAGE_SIZE = 200


@login_required
@require_GET
def index(request):
    which = request.GET.get("show", "due")
    if which not in LISTS:
        which = "due"
    today = timezone.localdate()
    cases = list(services.listed(request.user, today=today, which=which)[:PAGE_SIZE])
    return render(request, "retention/index.html", {
        "cases": cases, "which": which, "which_label": LISTS[which], "lists": LISTS, "today": today, "page_size": PAGE_SIZE})


def _case(user, pk):
    try:
        return services.for_person(pk, by=user)
    except NotAllowed:
        raise Http404("No such retention case, or you cannot see it.") from None


@login_required
def detail(request, pk: int):
    retention = _case(request.user, pk)
    can_dispose = RetentionAction.DISPOSE in RETENTION.available_actions(request.user, retention)
    form = DisposeForm(request.POST or None, retention=retention) if can_dispose else None
    done, status = form_on_page(
        request, form, "The information is disposed of: its files are destroyed. The disposal certificate is below.",
        reverse("retention:detail", kwargs={"pk": pk}), offered=(RETENTION, RetentionAction.DISPOSE, retention))
    if done:
        return done
    req = retention.request
    return render(request, "retention/detail.html", {
        "retention": retention, "req": req, "form": form, "page_marking": req.classification,
        "state_label": RETENTION.state_label(retention.state), "clause": services.disposal_clause(req),
        "files": list(retention.delivery.files.select_related("vault_file").order_by("pk")),
        "events": list(retention.events.select_related("actor").order_by("occurred_at", "pk")),
        "today": timezone.localdate()}, status=status)


@login_required
@require_GET
def certificate(request, pk: int):
    try:
        document = services.certificate(pk, by=request.user)
    except NotAllowed:
        raise Http404("No such retention case, or you cannot see it.") from None
    except RuleViolation as violation:
        messages.error(request, violation.problems[0].message)
        return redirect("retention:detail", pk=pk)
    return attachment(document)
