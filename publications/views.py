"""The publication pages: put forward a proposal on a request, and a proposal's page, where the holder decides
and the requester may withdraw it (§7(b), §9(b)). They call the services the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from concordat.errors import NotAllowed, Problem
from concordat.forms import perform
from publications import services
from publications.cases import PUBLICATIONS, WHO_PROPOSES, publication_clause
from publications.forms import DecisionForm, ProposalForm, WithdrawForm
from publications.models import PublicationProposal
from publications.states import DECISIONS, REVISABLE_STATES, ProposalAction
from sharing import permissions as request_permissions
from sharing.downloads import serve_download
from sharing.models import Request
from sharing.services import reading
from workflow.views import case_or_404, form_on_page


def _request(user, reference: str) -> Request:
    found = (Request.objects.select_related("requester_org", "holder_org", "protocol")
             .filter(pk__in=request_permissions.visible_requests(user).values("pk"), reference=reference).first())
    if found is None:
        reading.refused_lookup("lookup", reference, by=user)
        raise Http404("No such request, or you cannot see it.")
    return found


def _proposal(user, pk: int) -> PublicationProposal:
    proposal = (PublicationProposal.objects.select_related(*PUBLICATIONS.locked_relations, "proposed_by",
                                                           "decided_by", "revises")
                .prefetch_related("events__actor__organisation", "request__named_people", "request__approvals")
                .filter(pk=pk).first())
    return case_or_404(PUBLICATIONS, user, proposal, "No such publication proposal, or you cannot see it.")


@login_required
def propose(request, reference: str):
    """Put forward what the requester proposes to publish (?revises=<id> to revise a refused or changed one)."""
    req = _request(request.user, reference)
    if not request_permissions.is_requester_side(request.user, req):
        clause = publication_clause(req)
        raise NotAllowed(Problem(f"Only {WHO_PROPOSES} can propose publishing this information ({clause}).",
                                 field="request", clause=clause))
    initial = {}
    revises = request.GET.get("revises", "")
    previous = None
    if revises.isdigit() and len(revises) < 19:
        previous = req.publication_proposals.filter(pk=int(revises)).first()
        if previous is not None:
            initial = {"revises": previous.pk, "text": previous.agreed_text or previous.proposed_text}
    form = ProposalForm(request.POST or None, request.FILES or None, sharing_request=req, initial=initial)
    done, status = form_on_page(request, form, f"{req.reference}: your proposal to publish is with the holder.",
                                lambda proposal: reverse("publications:detail", kwargs={"pk": proposal.pk}))
    if done:
        return done
    return render(request, "publications/propose.html", {
        "req": req, "form": form, "previous": previous, "page_marking": req.classification}, status=status)


@login_required
def detail(request, pk: int):
    proposal = _proposal(request.user, pk)
    can_decide = any(a in DECISIONS for a in PUBLICATIONS.available_actions(request.user, proposal))
    form = DecisionForm(request.POST or None, proposal=proposal) if can_decide else None
    done, status = form_on_page(request, form, "Your decision on publication is recorded.",
                                reverse("publications:detail", kwargs={"pk": pk}),
                                offered=(PUBLICATIONS, ProposalAction.AGREE, proposal))
    if done:
        return done
    can_withdraw = ProposalAction.WITHDRAW in PUBLICATIONS.available_actions(request.user, proposal)
    return _render_detail(request, proposal, form, WithdrawForm(proposal=proposal) if can_withdraw else None, status)


def _files_with_flags(proposal) -> list:
    """The proposal's files, each with `flagged_cells` from the proposal's (prefetched) events (ADR 28)."""
    flagged: dict = {}
    for event in proposal.events.all():
        if event.action == ProposalAction.PROPOSE and isinstance((event.details or {}).get("flagged"), dict):
            flagged.update(event.details["flagged"])
    files = list(proposal.files.all())
    for found in files:
        found.flagged_cells = flagged.get(str(found.pk))
    return files


def _render_detail(request, proposal, form, withdraw_form, status):
    req = proposal.request
    return render(request, "publications/detail.html", {
        "proposal": proposal, "proposal_files": _files_with_flags(proposal), "req": req, "form": form,
        "withdraw_form": withdraw_form,
        "page_marking": req.classification, "state_label": PUBLICATIONS.state_label(proposal.state),
        "clause": publication_clause(req),
        "can_revise": (request_permissions.is_requester_side(request.user, req) and proposal.state in
                       REVISABLE_STATES
                       and not PublicationProposal.objects.filter(revises=proposal).exists()),
    }, status=status)


@login_required
@require_POST
def withdraw(request, pk: int):
    proposal = _proposal(request.user, pk)
    PUBLICATIONS.check_actor(request.user, ProposalAction.WITHDRAW, proposal)
    form = WithdrawForm(request.POST, proposal=proposal)
    performed = perform(form, request.user)
    if performed.done:
        messages.success(request, "Your proposal to publish is withdrawn.")
        return redirect("publications:detail", pk=pk)
    return _render_detail(request, proposal, None, form, performed.status)


@login_required
def download(request, file_id: int):
    """A file put forward with a proposal: always a download, for whoever sees the request (as delivered files)."""
    return serve_download(services.file_for_download, file_id, request, not_found="No such file, or you cannot see it.")
