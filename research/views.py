"""The research pages: the projects a person sees, proposing one, a project's page (its hold status, reviews, NDAs,
survivors' choices as counts), and each action, which call the services the API calls (issue 11)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from approvals.models import Approval
from approvals.states import ApprovalState
from concordat.errors import NotAllowed
from holds.coverage import category_label
from protocols.scope import DataSource
from research import holds_link, services
from research.cases import PROJECTS, WHO_RESEARCHES
from research.forms import (
    ACTIONS,
    ActionForm,
    ChoiceForm,
    DeletionForm,
    LinkRequestForm,
    NdaForm,
    ProjectForm,
    ReviewForm,
    WithdrawalForm,
)
from research.models import ResearchProject
from research.states import ProjectAction
from sharing import permissions as request_permissions
from vault import services as vault
from vault.crypto import VaultIntegrityError
from workflow.views import ActionView, case_or_404, form_on_page


def _project(user, pk: int) -> ResearchProject:
    project = (ResearchProject.objects.select_related(*PROJECTS.locked_relations, "proposed_by", "approved_by",
                                                      "arrangement")
               .prefetch_related("suppliers", "events__actor", "ndas__signatory", "participations", "requests",
                                 "reviews__deciding_organisation", "reviews__decided_by")
               .filter(pk=pk).first())
    return case_or_404(PROJECTS, user, project, "No such research project, or you cannot see it.")


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _detail_url(project) -> str:
    return reverse("research:detail", kwargs={"pk": project.pk})


@login_required
@require_GET
def project_list(request):
    projects = (PROJECTS.visible(request.user).select_related("institution", "partner")
                .prefetch_related("suppliers").order_by("-proposed_at", "-pk")[:200])
    cache: dict = {}
    rows = [{"project": p, "verdict": holds_link.verdict(p, cache)} for p in projects]
    return render(request, "research/list.html", {
        "rows": rows, "can_propose": request.user.has_role(Role.RESEARCHER)})


@login_required
def propose(request):
    if not request.user.has_role(Role.RESEARCHER):
        raise NotAllowed(f"Only {WHO_RESEARCHES} can propose a research project.")
    form = ProjectForm(request.POST or None)
    done, status = form_on_page(request, form, lambda project: f"{project.reference} is proposed.", _detail_url)
    if done:
        return done
    return render(request, "research/propose.html", {"form": form}, status=status)


def _review_rows(user, project) -> list[dict]:
    rows = []
    for review in sorted(project.reviews.all(), key=lambda r: (r.requested_at, r.pk)):
        review.research_project = project
        open_for_me = review.state == ApprovalState.REQUESTED and _may_review(user, review)
        rows.append({"review": review, "form": ReviewForm(approval=review, prefix=f"r{review.pk}")
                     if open_for_me else None})
    return rows


def _may_review(user, review) -> bool:
    from approvals.cases import APPROVALS

    return APPROVALS.may_act(user, "approve", review)


@login_required
@require_GET
def detail(request, pk: int):
    project = _project(request.user, pk)
    return _render_detail(request, project)


def _render_detail(request, project, status=200, **forms):
    user = request.user
    available = PROJECTS.available_actions(user, project)
    verdict = holds_link.verdict(project)
    from research.cases import is_service_provider

    return render(request, "research/detail.html", {
        "project": project, "verdict": verdict, "state_label": PROJECTS.state_label(project.state),
        "actions": [(key, ACTIONS[key][0]) for key in ACTIONS if key in available],
        "blocked_actions": [(key, ACTIONS[key][0], problem) for key in ACTIONS
                            if PROJECTS.may_act(user, key, project) and project.state in
                            PROJECTS.machine.transitions[key].sources
                            and (problem := PROJECTS.action_problem(key, project)) is not None],
        "reviews": _review_rows(user, project), "counts": services.consent_counts(project),
        "awaiting_deletion": services.awaiting_deletion(project),
        "can_record_deletion": ProjectAction.RECORD_DELETION in available,
        "can_record_nda": ProjectAction.RECORD_NDA in available,
        "can_link_request": ProjectAction.LINK_REQUEST in available,
        "can_record_choice": ProjectAction.RECORD_CONSENT in available,
        "can_record_withdrawal": ProjectAction.RECORD_WITHDRAWAL in available,
        "sees_references": is_service_provider(user, project),
        "source_labels": [_label(DataSource, s) for s in project.data_sources or []],
        "category_labels": [category_label(c) for c in project.personal_data_categories or []],
        "linked_requests": [r for r in project.requests.all() if request_permissions.user_can_view(user, r)],
        "version": project.version, **forms,
    }, status=status)


@login_required
def act(request, pk: int, action: str):
    project = _project(request.user, pk)
    if action not in ACTIONS:
        raise Http404("No such action.")
    PROJECTS.check_actor(request.user, action, project)
    if request.method != "POST":  # the actions are buttons on the project's page
        return redirect("research:detail", pk=pk)
    form = ActionForm(request.POST, project=project, project_action=action)
    done, status = form_on_page(request, form, f"{project.reference}: {ACTIONS[action][0].lower()}: done.",
                                _detail_url(project))
    if done:
        return done
    return _render_detail(request, project, status, action_form=form, action_name=action)


@login_required
@require_POST
def review(request, pk: int):
    """A review of a project under the contract mechanism (an approval, ADR 10), decided on the project's page."""
    project_id = Approval.objects.filter(pk=pk, research_project__isnull=False).values_list(
        "research_project_id", flat=True).first()
    if project_id is None:
        raise Http404("No such review, or you cannot see it.")
    project = _project(request.user, project_id)
    approval = next(r for r in project.reviews.all() if r.pk == pk)
    approval.research_project = project
    from approvals.cases import APPROVALS

    APPROVALS.check_actor(request.user, "approve", approval)
    form = ReviewForm(request.POST, approval=approval, prefix=f"r{approval.pk}")
    done, status = form_on_page(request, form, "Your review is recorded.", _detail_url(project))
    if done:
        return done
    return _render_detail(request, project, status, review_form=form)


class ProjectRecordPage(ActionView):
    """A page of its own for one thing recorded on a project (an NDA, a survivor's choice, a withdrawal, a linked
    request); the state's objection stays shown beside the form's problems."""

    cases, form_case, detail = PROJECTS, "project", "research:detail"
    success = ""

    def case(self, user, pk: int) -> ResearchProject:
        return _project(user, pk)

    def form(self, project, action: str):
        return self.form_class(self.request.POST or None, self.request.FILES or None, project=project)

    def done_message(self, project, action: str, result) -> str:
        return self.success

    def context(self, project, action: str, form, problem) -> dict:
        return {"project": project, "form": form, "problem": problem}


class RecordNda(ProjectRecordPage):
    only_action, form_class, template_name = ProjectAction.RECORD_NDA, NdaForm, "research/nda.html"
    success = "The non-disclosure agreement is recorded."


class RecordChoice(ProjectRecordPage):
    only_action, form_class, template_name = ProjectAction.RECORD_CONSENT, ChoiceForm, "research/choice.html"
    success = "The survivor's choice is recorded under a pseudonymous reference."


class RecordWithdrawal(ProjectRecordPage):
    only_action, form_class = ProjectAction.RECORD_WITHDRAWAL, WithdrawalForm
    template_name = "research/withdrawal.html"
    success = "The withdrawal is recorded: what is held about them is flagged for deletion."


class LinkRequest(ProjectRecordPage):
    only_action, form_class = ProjectAction.LINK_REQUEST, LinkRequestForm
    template_name = "research/link_request.html"
    success = "The request is linked to the project."


@login_required
@require_POST
def record_deletion(request, pk: int):
    project = _project(request.user, pk)
    PROJECTS.check_actor(request.user, ProjectAction.RECORD_DELETION, project)
    form = DeletionForm(request.POST, project=project)
    done, status = form_on_page(request, form, "The deletion is recorded.", _detail_url(project))
    if done:
        return done
    return _render_detail(request, project, status, deletion_form=form)


@login_required
@require_GET
def participants(request, pk: int):
    """Participant references: the recording service provider's alone; researchers see counts (403)."""
    project = _project(request.user, pk)
    found = services.participations_for(project, by=request.user)
    return render(request, "research/participants.html", {"project": project, "participations": found})


@login_required
@require_GET
def nda_download(request, file_id: int):
    try:
        found = services.nda_for_download(file_id, by=request.user)
    except NotAllowed:
        raise Http404("No such agreement, or you cannot see it.") from None
    return nda_attachment(found, request)


def nda_attachment(nda, request):
    """The signed copy, streamed from the vault as an attachment named from its marking (ADR 27), the read audited;
    a copy failing its integrity check is a plain 409, never a 500."""
    stored = getattr(nda, "vault_file", None)
    if stored is None:
        raise Http404("This agreement has no stored copy.")
    try:
        found = vault.read(stored, by=request.user, via_token=getattr(request, "auth", None) is not None,
                           reference=nda.project.reference, case=nda.project.reference)
    except VaultIntegrityError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    return vault.attachment(found)

