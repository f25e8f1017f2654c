"""The personal-data record's page (§15–17, Annex B): the requesting side fills it in while the request is a draft
or further information is asked for; whoever sees the request reads it; the holder confirms it (§17). Thin: the
rules are dataprotection.services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from concordat.errors import NotAllowed
from concordat.forms import perform
from dataprotection import rules, services
from dataprotection.forms import ConfirmPersonalDataForm, PersonalDataForm
from sharing import rules as sharing_rules
from sharing.permissions import visible_requests
from sharing.services import reading
from sharing.states import RequestState


def _visible(user, reference: str):
    found = (visible_requests(user).select_related("protocol", "holder_org", "requester_org", "routed_to",
                                                    "assigned_org")
             .prefetch_related("named_people", "approvals").filter(reference=reference).first())
    if found is None:
        reading.refused_lookup("lookup", reference, by=user)
        raise Http404("No such request, or you cannot see it.")
    return found


def _may_confirm_now(user, req) -> bool:
    return (req.state == RequestState.UNDER_ASSESSMENT and rules.needs_record(req)
            and services.may_confirm(user, req))


def _page(request, req, form=None, confirm_form=None, status=200):
    record = rules.record_of(req)
    if confirm_form is None and form is None and _may_confirm_now(request.user, req):
        confirm_form = ConfirmPersonalDataForm(sharing_request=req)
    return render(request, "dataprotection/record.html", {
        "req": req, "record": record, "items": list(record.items.all()) if record else [],
        "form": form, "confirm_form": confirm_form, "page_marking": req.classification,
        "needed": rules.needs_record(req), "problems": rules.record_problems(req) if rules.needs_record(req) else [],
        "can_edit": form is not None,
        "category_label": sharing_rules.spec_of(req).personal_data.label(req.personal_data_category),
    }, status=status)


@login_required
def record(request, reference: str):
    req = _visible(request.user, reference)
    editable = req.state in services.EDITABLE_STATES and services.may_edit(request.user, req)
    if request.method != "POST":
        return _page(request, req, PersonalDataForm(sharing_request=req) if editable else None)
    if not services.may_edit(request.user, req):
        raise NotAllowed(f"Only {services.EDITORS} can change the personal-data record.")
    form = PersonalDataForm(request.POST, sharing_request=req)
    if "add_item" in request.POST:
        return _page(request, req, form)
    performed = perform(form, request.user)
    status = performed.status
    if performed.done:
        messages.success(request, f"{req.reference}: personal-data record saved.")
        return redirect("dataprotection:record", reference=reference)
    return _page(request, req, form, status=status)


@login_required
@require_POST
def confirm(request, reference: str):
    req = _visible(request.user, reference)
    if not services.may_confirm(request.user, req):
        raise NotAllowed(f"Only {services.CONFIRMERS} can confirm the personal-data record.")
    form = ConfirmPersonalDataForm(request.POST, sharing_request=req)
    performed = perform(form, request.user)
    status = performed.status
    if performed.done:
        messages.success(request, f"{req.reference}: you confirmed the personal-data record (§17).")
        return redirect("dataprotection:record", reference=reference)
    return _page(request, req, confirm_form=form, status=status)
