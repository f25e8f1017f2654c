"""The request pages. Thin: each reads through sharing.queries and changes state only through
sharing.services, the same functions the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from concordat.context_processors import highest_marking
from concordat.errors import RuleViolation, StaleObject
from protocols.models import Protocol
from sharing import page_forms, policies, queries, rules, services
from sharing.downloads import attachment_response
from sharing.states import Action, RequestState, RouteKind, StateOwner

PAGE_SIZE = 25
ACTION_TEMPLATE = "sharing/action.html"


# --- lists -----------------------------------------------------------------------------------

LIST_FILTERS = ("direction", "state", "classification", "overdue", "waiting_on", "organisation", "q")


def _filtered(queryset, params):
    if params.get("direction"):
        queryset = queryset.filter(direction=params["direction"])
    if params.get("state") in RequestState.values:
        queryset = queryset.filter(state=params["state"])
    if params.get("classification"):
        queryset = queryset.filter(classification=params["classification"])
    if params.get("overdue") == "yes":
        queryset = queryset.filter(is_overdue=True)
    if params.get("waiting_on") in StateOwner.values:
        queryset = queryset.filter(queries.owner_q(params["waiting_on"]))
    if params.get("organisation"):
        slug = params["organisation"]
        queryset = queryset.filter(Q(requester_org__slug=slug) | Q(holder_org__slug=slug)
                                   | Q(assigned_org__slug=slug))
    if params.get("q"):
        term = params["q"].strip()
        queryset = queryset.filter(Q(reference__icontains=term) | Q(title__icontains=term))
    return queryset


def _filter_choices():
    directions, classifications = {}, set()
    for protocol in Protocol.objects.all():
        spec = protocol.spec
        directions.update({d.key: d.title for d in spec.directions})
        directions.update({r.key: r.title for r in spec.other_routes})
        classifications.update(spec.classifications.levels)
    return {
        "directions": sorted(directions.items(), key=lambda item: item[1]),
        "states": RequestState.choices,
        "classifications": sorted(classifications),
        "owners": StateOwner.choices,
        "organisations": Organisation.objects.order_by("name").values_list("slug", "name"),
    }


def _page_of(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    marking = highest_marking(*(row.classification for row in page.object_list))
    return page, marking


@login_required
@require_GET
def request_list(request):
    params = {name: request.GET.get(name, "") for name in LIST_FILTERS}
    queryset = _filtered(queries.request_list(request.user), params).order_by("-created_at", "-id")
    page, marking = _page_of(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sharing/list.html", {
        "page": page, "params": params, "choices": _filter_choices(), "page_marking": marking,
        "query": query.urlencode(), "can_create": bool(_route_choices(request.user)),
    })


@login_required
@require_GET
def my_work(request):
    page, marking = _page_of(request, queries.my_work(request.user))
    return render(request, "sharing/my_work.html", {"page": page, "page_marking": marking})


# --- one request -----------------------------------------------------------------------------

def _visible(user, reference: str):
    found = queries.request_detail_queryset(user).filter(reference=reference).first()
    if found is None:
        raise Http404("No such request, or you cannot see it.")
    return found


def _marking(req) -> str:
    return highest_marking(req.classification, *(d.marking for d in req.deliveries.all()))


@login_required
@require_GET
def request_detail(request, reference: str):
    req = _visible(request.user, reference)
    actions = queries.available_actions(request.user, req)
    return render(request, "sharing/detail.html", {
        "req": req, "page_marking": _marking(req), "elements": queries.element_values(req),
        "milestones": queries.milestones(req), "checklist": queries.checklist_rows(req),
        "question": queries.open_question(req), "owner": queries.owner_of(req),
        "actions": [(a, a.label) for a in actions if a in ACTION_FORMS],
        "can_edit": Action.UPDATE in actions, "can_submit": Action.SUBMIT in actions,
        "approvals_required": rules.approvals_required(req),
        "outstanding_approvals": policies.outstanding_approvals(req),
        "decision_is_final": rules.decision_is_final(req), "direction": rules.direction_of(req),
    })


@login_required
def download(request, file_id: int):
    delivery_file = services.file_for_download(file_id, by=request.user, http_request=request)
    return attachment_response(delivery_file)


# --- drafting --------------------------------------------------------------------------------

def _route_choices(user) -> list[tuple[str, str]]:
    """The directions and other routes this person may start a request on."""
    choices = []
    for protocol in Protocol.objects.all():
        spec = protocol.spec
        party = rules.party_of_organisation(spec, user.organisation) if user.organisation_id else None
        if party is None or not user.has_role(*services.permissions.REQUESTER_ROLES):
            continue
        choices += [(d.key, f"Ask the {spec.party(d.holder_party).name} ({d.title}, {d.clause})")
                    for d in spec.directions if d.requester_party == party.key]
        if user.organisation.department.kind == "commissioner_office":
            choices += [(r.key, f"{r.title} ({r.clause})") for r in spec.other_routes]
    return list(dict.fromkeys(choices))


def _other_route_holders():
    return Organisation.objects.filter(kind__in=list(rules.ROUTE_FOR_ORGANISATION_KIND)).order_by("name")


@login_required
def request_new(request):
    choices = _route_choices(request.user)
    if not choices:
        raise services.NotAllowed("Only requesters and case officers of a party can make a request.")
    form = page_forms.NewRequestForm(request.POST or None, choices=choices, holder_choices=_other_route_holders())
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_draft(by=request.user, direction=form.cleaned_data["direction"],
                                          holder_org=form.cleaned_data["holder_org"],
                                          fields={"title": "Untitled request"}, http_request=request)
        except RuleViolation as violation:
            form.add_violation(violation)
        else:
            messages.success(request, f"Draft {draft.reference} started. Fill in the request, then submit it.")
            return redirect("sharing:request_edit", reference=draft.reference)
    return render(request, "sharing/new.html", {"form": form})


def _draft_form(req, data=None):
    spec = rules.spec_of(req)
    initial = {name: getattr(req, name) for name in services.DRAFT_FIELDS if hasattr(req, name)}
    initial["named_people"] = [p.pk for p in req.named_people.all()]
    form = page_forms.DraftForm(data, initial=initial, spec=spec, direction_key=req.direction, route=req.route,
                                requester_party=rules.requester_party_key(spec, req), holder_org=req.holder_org,
                                requester_org=req.requester_org)
    return form


@login_required
def request_edit(request, reference: str):
    """Edit a draft; "Save and submit" saves, then submits (two actions, each whole or not at all)."""
    req = _visible(request.user, reference)
    services.permissions.check(request.user, Action.UPDATE, req)
    form = _draft_form(req, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_draft(req, by=request.user, expected_version=request.POST.get("version"),
                                          fields=form.service_fields(), named_people=form.named_people(),
                                          http_request=request)
            if "submit" in request.POST:
                services.submit(saved, by=request.user, expected_version=saved.version, http_request=request)
        except StaleObject as stale:
            form.add_violation(stale)
            status = 409
        except RuleViolation as violation:
            form.add_violation(violation)
            status = 400
        else:
            done = "submitted. The due dates are below" if "submit" in request.POST else "saved"
            messages.success(request, f"{reference} {done}.")
            return redirect("sharing:request_detail", reference=reference)
        req = _visible(request.user, reference)  # the saved draft, at its new version
    elif request.method == "POST":
        status = 400
    return render(request, "sharing/edit.html", {"req": req, "form": form, "page_marking": _marking(req)},
                  status=status)


# --- actions ---------------------------------------------------------------------------------

def _note_action(service, form_class=page_forms.NoteForm, argument="note"):
    def build(req, data, files):
        return form_class(data)

    def run(req, form, user, version, http_request):
        return service(req, by=user, expected_version=version, http_request=http_request,
                       **{argument: form.cleaned_data[next(iter(form.fields))]})

    return build, run


def _reassign():
    def build(req, data, files):
        return page_forms.ReassignForm(data, request=req)

    def run(req, form, user, version, http_request):
        data = form.cleaned_data
        return services.reassign(req, by=user, expected_version=version, to_org=data["to_org"],
                                 to_user=data["to_user"], reason=data["reason"], http_request=http_request)

    return build, run


def _checklist():
    def build(req, data, files):
        answers = {a.item_key: a for a in req.checklist_answers.all()}
        return page_forms.ChecklistForm(data, items=rules.checklist_of(req), answers=answers)

    def run(req, form, user, version, http_request):
        return services.record_checklist(req, by=user, expected_version=version, answers=form.entries(),
                                         http_request=http_request)

    return build, run


def _approve():
    def build(req, data, files):
        return page_forms.ApproveForm(data, outstanding=policies.outstanding_approvals(req))

    def run(req, form, user, version, http_request):
        return services.approve(req, by=user, expected_version=version, kind=form.cleaned_data["kind"],
                                note=form.cleaned_data["note"], http_request=http_request)

    return build, run


def _decide():
    def build(req, data, files):
        return page_forms.DecideForm(data)

    def run(req, form, user, version, http_request):
        return services.decide(req, by=user, expected_version=version, http_request=http_request,
                               **form.cleaned_data)

    return build, run


def _deliver():
    def build(req, data, files):
        return page_forms.DeliverForm(data, files, request=req, open_occasions=policies.open_occasions(req)
                                      if req.is_regular else [])

    def run(req, form, user, version, http_request):
        data = form.cleaned_data
        return services.deliver(req, by=user, expected_version=version, description=data["description"],
                                marking=data["marking"], uploads=data["files"], occasion_id=data.get("occasion"),
                                http_request=http_request)

    return build, run


# What each action's page asks for, and the service it calls.
ACTION_FORMS = {
    Action.SUBMIT: _note_action(services.submit),
    Action.ACKNOWLEDGE: _note_action(services.acknowledge),
    Action.REASSIGN: _reassign(),
    Action.START_ASSESSMENT: _note_action(services.start_assessment),
    Action.REQUEST_FURTHER_INFORMATION: _note_action(services.request_further_information, page_forms.QuestionForm,
                                                     "question"),
    Action.RESPOND: _note_action(services.respond, page_forms.AnswerForm, "answer"),
    Action.RECORD_CHECKLIST: _checklist(),
    Action.APPROVE: _approve(),
    Action.DECIDE: _decide(),
    Action.DELIVER: _deliver(),
    Action.CLOSE: _note_action(services.close),
    Action.WITHDRAW: _note_action(services.withdraw, page_forms.RequiredNoteForm),
}

ACTION_GUIDANCE = {
    Action.ACKNOWLEDGE: "Tell the requester the request is being considered (§12: within the working days shown).",
    Action.REASSIGN: "Pass the request to the team that holds the information, and say why.",
    Action.REQUEST_FURTHER_INFORMATION: "The clock keeps running while the requester answers.",
    Action.RECORD_CHECKLIST: "Record whether you are satisfied of each point before deciding.",
    Action.DECIDE: "Every point of the checklist must be answered first. A decline names the points not satisfied.",
    Action.DELIVER: "Files are checked by their content, stored under a name the service makes, and offered "
                    "only as downloads to the people who may see this request.",
}


@login_required
def request_action(request, reference: str, action: str):
    try:
        chosen = Action(action)
    except ValueError as unknown:
        raise Http404("No such action.") from unknown
    if chosen not in ACTION_FORMS:
        raise Http404("No such action.")
    req = _visible(request.user, reference)
    services.permissions.check(request.user, chosen, req)
    build, run = ACTION_FORMS[chosen]
    form = build(req, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run(req, form, request.user, request.POST.get("version"), request)
        except StaleObject as stale:
            form.add_violation(stale)
            status = 409
        except RuleViolation as violation:
            form.add_violation(violation)
            status = 400
        else:
            messages.success(request, f"{chosen.label}: done.")
            return redirect("sharing:request_detail", reference=reference)
    elif request.method == "POST":
        status = 400
    return render(request, ACTION_TEMPLATE, {
        "req": req, "form": form, "action": chosen, "guidance": ACTION_GUIDANCE.get(chosen, ""),
        "page_marking": _marking(req), "multipart": chosen == Action.DELIVER,
        "route_is_protocol": req.route == RouteKind.PROTOCOL,
        "action_url": reverse("sharing:request_action", args=[reference, chosen.value]),
    }, status=status)
