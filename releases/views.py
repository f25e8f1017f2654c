"""The pages of datasets and releases (§15): upload a dataset, draft a release on a request and preview it with
its suppression pattern, and the checkers' and author's actions. The same services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from concordat.errors import NotAllowed, Problem
from concordat.forms import perform
from protocols.services import current_protocol
from releases import datasets, services
from releases.cases import RELEASES
from releases.engine import PREVIEW_CELLS_SHOWN
from releases.forms import ACTION_FORMS, DatasetForm, ReleaseForm
from releases.models import Dataset, Protection, Release
from releases.states import ReleaseAction, ReleaseKind
from sharing import permissions as request_permissions
from sharing.models import Request
from sharing.services import reading
from sharing.states import Action


def _perform(request, form, success: str, *args):
    """Run a valid form's service; (result, status): the result on success, else None and 400/409."""
    performed = perform(form, request.user, *args)
    if performed.done:
        messages.success(request, success)
    return performed.result, performed.status


@login_required
@require_GET
def dataset_list(request):
    found = datasets.visible(request.user).select_related("uploaded_by").order_by("-uploaded_at", "-pk")[:200]
    return render(request, "releases/dataset_list.html", {
        "datasets": found, "may_upload": datasets.may_upload(request.user)})


@login_required
def dataset_upload(request):
    if not datasets.may_upload(request.user):
        raise NotAllowed(Problem(f"Only {datasets.WHO_UPLOADS} can upload a dataset.", clause="§15"))
    protocol = current_protocol()
    if protocol is None:
        raise Http404("No protocol is loaded.")
    form = DatasetForm(request.POST or None, request.FILES or None, protocol=protocol)
    status = 200
    if request.method == "POST":
        dataset, status = _perform(request, form, "The dataset is in the vault.")
        if dataset is not None:
            return redirect("releases:dataset", pk=dataset.pk)
    return render(request, "releases/dataset_upload.html", {"form": form}, status=status)


@login_required
@require_GET
def dataset_detail(request, pk: int):
    dataset = Dataset.objects.select_related("uploaded_by", "organisation").filter(pk=pk).first()
    if dataset is None or not datasets.can_view(request.user, dataset):
        raise Http404("No such dataset, or you cannot see it.")
    releases = RELEASES.visible(request.user).filter(dataset=dataset).order_by("-pk")[:100]
    return render(request, "releases/dataset_detail.html", {
        "dataset": dataset, "columns": dataset.columns.all(), "releases": releases,
        "page_marking": dataset.classification})


@login_required
@require_GET
def release_list(request):
    found = RELEASES.visible(request.user).select_related("dataset", "request").order_by("-pk")[:200]
    return render(request, "releases/release_list.html", {"releases": found, "state_label": RELEASES.state_label})


def _sharing_request(user, reference: str) -> Request:
    found = (Request.objects.select_related("requester_org", "holder_org", "protocol")
             .filter(pk__in=request_permissions.visible_requests(user).values("pk"), reference=reference).first())
    if found is None:
        reading.refused_lookup("lookup", reference, by=user)
        raise Http404("No such request, or you cannot see it.")
    return found


@login_required
def release_new(request, reference: str):
    req = _sharing_request(request.user, reference)
    if not request_permissions.user_can(request.user, Action.DELIVER, req):
        raise NotAllowed(Problem(f"Only {services.WHO_DRAFTS} can draft a release on it.", field="request",
                                 clause="§15"))
    form = ReleaseForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        release, status = _perform(request, form, _previewed("Your release is drafted"), req)
        if release is not None:
            return redirect("releases:detail", pk=release.pk)
    return render(request, "releases/release_form.html", {"form": form, "req": req,
                                                          "page_marking": req.classification}, status=status)


def _previewed(done: str) -> str:
    if services.on_worker():  # ADR 51: the preview comes when a worker has protected it
        return f"{done}: its preview is being prepared."
    return f"{done}: check its preview."


def _release(user, pk: int) -> Release:
    release = (Release.objects.select_related("dataset", "request", "author", "consolidated_by", "delivery")
               .filter(pk=pk).first())
    if release is None or not RELEASES.can_view(user, release):
        raise Http404("No such release, or you cannot see it.")
    return release


@login_required
@require_GET
def release_detail(request, pk: int):
    release = _release(request.user, pk)
    return _render_detail(request, release, {}, 200)


def _render_detail(request, release, bound: dict, status: int):
    available = RELEASES.available_actions(request.user, release)
    if release.protection != Protection.READY:  # nothing to submit until its preview is there (ADR 51)
        available = [a for a in available if a != ReleaseAction.SUBMIT]
    forms_shown = {name: bound.get(name) or form_class(release=release)
                   for name, form_class in ACTION_FORMS.items() if name in available}
    result = release.result or {}
    dims = result.get("dimensions", [])
    cells = [{**cell, "parts": list(zip(dims, cell["labels"], strict=False))} for cell in result.get("cells", [])]
    return render(request, "releases/release_detail.html", {
        "release": release, "result": result, "cells": cells[:PREVIEW_CELLS_SHOWN],
        "cells_hidden": max(0, len(cells) - PREVIEW_CELLS_SHOWN), "is_table": release.kind == ReleaseKind.TABLE,
        "state_label": RELEASES.state_label(release.state), "checks": services.visible_checks(release, request.user),
        "forms": forms_shown, "can_revise": ReleaseAction.REVISE in available,
        "events": release.events.select_related("actor").order_by("occurred_at", "pk"),
        "page_marking": release.dataset.classification}, status=status)


@login_required
def release_revise(request, pk: int):
    release = _release(request.user, pk)
    RELEASES.check_actor(request.user, ReleaseAction.REVISE, release)
    RELEASES.check_action(ReleaseAction.REVISE, release)
    form = ReleaseForm(request.POST or None, user=request.user, release=release)
    status = 200
    if request.method == "POST":
        revised, status = _perform(request, form, _previewed("Your release is revised"))
        if revised is not None:
            return redirect("releases:detail", pk=pk)
    return render(request, "releases/release_form.html", {"form": form, "req": release.request, "release": release,
                                                          "page_marking": release.dataset.classification},
                  status=status)


def _act(action: str):
    @login_required
    @require_POST
    def view(request, pk: int):
        release = _release(request.user, pk)
        RELEASES.check_actor(request.user, action, release)
        form = ACTION_FORMS[action](request.POST, release=release)
        done, status = _perform(request, form, f"Done: {RELEASES.phrase(action)}.")
        if done is not None:
            return redirect("releases:detail", pk=pk)
        return _render_detail(request, release, {action: form}, status)

    view.__name__ = f"release_{action}"
    return view


release_submit = _act(ReleaseAction.SUBMIT.value)
release_check = _act(ReleaseAction.CHECK.value)
release_consolidate = _act(ReleaseAction.CONSOLIDATE.value)
release_deliver = _act(ReleaseAction.DELIVER.value)
release_withdraw = _act(ReleaseAction.WITHDRAW.value)
