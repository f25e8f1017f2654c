"""The request pages. Thin: each reads through sharing.queries and changes state only through
sharing.services, the same functions the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from clock.core import CALENDAR_LABELS
from concordat import limits
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from concordat.forms import perform
from concordat.pagination import page_of
from contacts.services import contacts_of
from protocols.markings import highest_marking
from protocols.models import Protocol
from sharing import forms, hold_scope, permissions, policies, queries, rules, services
from sharing.cases import REQUESTS
from sharing.downloads import serve_download
from sharing.filters import OWNER_CHOICES, RequestFilter
from sharing.models import Request
from sharing.schedule import preview_due_dates
from sharing.services import reading
from sharing.states import Action, RequestState
from vault import checks as upload_checks
from workflow.views import ActionView

PAGE_SIZE = 25


# --- lists -----------------------------------------------------------------------------------

LIST_FILTERS = ("direction", "state", "classification", "overdue", "owner", "organisation", "q")


def _specs() -> list:
    """Each loaded protocol's parsed definition, its rows read without the 16 kB `definition` (Protocol.spec is
    cached by SHA-256, ADR 54)."""
    return [protocol.spec for protocol in Protocol.objects.defer("definition")]


def _filter_choices(specs):
    directions, classifications = {}, set()
    for spec in specs:
        directions.update({d.key: d.title for d in spec.directions})
        directions.update({r.key: r.title for r in spec.other_routes})
        classifications.update(spec.classifications.levels)
    return {
        "directions": sorted(directions.items(), key=lambda item: item[1]),
        "states": RequestState.choices,
        "classifications": sorted(classifications),
        "owners": OWNER_CHOICES,
        "organisations": Organisation.objects.order_by("name").values_list("slug", "name"),
    }


def _page_of(request, queryset):
    page = page_of(queryset, request.GET.get("page"), PAGE_SIZE)
    marking = highest_marking(*(row.classification for row in page.object_list))
    return page, marking


@login_required
@require_GET
def request_list(request):
    params = {name: request.GET.get(name, "") for name in LIST_FILTERS}
    queryset = RequestFilter(request.GET, queryset=queries.request_list(request.user), request=request).qs
    queryset = queryset.order_by("-created_at", "-id")
    page, marking = _page_of(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    specs = _specs()  # one query for the filters and the "new request" button
    return render(request, "sharing/list.html", {
        "page": page, "params": params, "choices": _filter_choices(specs), "page_marking": marking,
        "query": query.urlencode(), "can_create": bool(_route_choices(request.user, specs)),
    })


# --- one request -----------------------------------------------------------------------------

REFERENCE_MAX = Request._meta.get_field("reference").max_length


def _visible(user, reference: str):
    well_formed = len(reference) <= REFERENCE_MAX and reference.isprintable()  # a NUL would reach the database
    found = well_formed and queries.request_page_rows(user).filter(reference=reference).first()
    if not found:
        reading.refused_lookup("lookup", reference, by=user)
        raise Http404("No such request, or you cannot see it.")
    return queries.with_page_relations(queries.with_collections(found))  # only what it has (ADR 59, ADR 61)


def _marking(req) -> str:
    return highest_marking(req.classification, *(d.marking for d in req.deliveries.all()))


@login_required
@require_GET
def request_detail(request, reference: str):
    req = _visible(request.user, reference)
    reading.viewed(req, by=request.user)
    queries.attach_file_flags(req)
    actions = [Action(a) for a in REQUESTS.available_actions(request.user, req)]
    return render(request, "sharing/detail.html", {
        "req": req, "page_marking": _marking(req), "elements": queries.element_values(req),
        "milestones": queries.milestones(req), "checklist": queries.checklist_rows(req),
        "question": queries.open_question(req), "owner": queries.owner_of(req),
        "actions": [(a, a.label) for a in actions if a in PAGE_ACTIONS],
        "can_edit": Action.UPDATE in actions, "can_submit": Action.SUBMIT in actions,
        "approvals_required": rules.approvals_required(req),
        "outstanding_approvals": policies.outstanding_approvals(req),
        "approvals": list(req.approvals.all()), "waiting_on": queries.waiting_on_words(req),
        "decision_is_final": rules.decision_is_final(req), "direction": rules.direction_of(req),
        "calendar_label": CALENDAR_LABELS.get(req.calendar_name, req.calendar_name),
        "personal_data_label": rules.spec_of(req).personal_data.label(req.personal_data_category),
        "hold_scopes": hold_scope.panel(req),  # processing holds (issue 11)
        **_escalation_context(request.user, req, actions),
    })


def _escalation_context(user, req, actions) -> dict:
    """§13: the ladder and where the latest escalation stands, and whether this person may escalate now."""
    from escalations import ladder as escalation_ladder
    from escalations.presenting import ladder_rows, latest_escalation

    if not escalation_ladder.is_available(req):
        return {}
    escalation = None if queries.has_none(req, "escalations") else latest_escalation(req)
    can_escalate = Action.ESCALATE in actions and not (escalation and escalation.is_open)
    if escalation is None and not can_escalate:
        return {}
    return {"escalation": escalation, "escalation_rungs": ladder_rows(req, escalation),
            "can_escalate": can_escalate}


@login_required
def download(request, file_id: int):
    # As the API: a file you may not see is none.
    return serve_download(services.file_for_download, file_id, request, not_found="No such file, or you cannot see it.")


# --- drafting --------------------------------------------------------------------------------

def _route_choices(user, specs=None) -> list[tuple[str, str]]:
    """The directions and other routes this person may start a request on (as the service decides)."""
    choices = []
    for spec in _specs() if specs is None else specs:
        party = rules.party_of_organisation(spec, user.organisation) if user.organisation_id else None
        if party is None or not user.has_role(*permissions.REQUESTER_ROLES):
            continue
        choices += [(d.key, f"Ask the {spec.party(d.holder_party).name} ({d.title}, {d.clause})")
                    for d in spec.directions if d.requester_party == party.key]
        if user.organisation.department.kind == OrganisationKind.COMMISSIONER_OFFICE:
            choices += [(r.key, f"{r.title} ({r.clause})") for r in spec.other_routes]
    return list(dict.fromkeys(choices))


@login_required
def request_new(request):
    """Step one: which way the request goes."""
    choices = _route_choices(request.user)
    if not choices:
        raise NotAllowed("Only requesters and case officers of a party can make a request.")
    form = forms.RouteChoiceForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        return redirect("sharing:request_new_direction", direction=form.cleaned_data["direction"])
    return render(request, "sharing/new.html", {"form": form}, status=400 if form.errors else 200)


def _save_draft(request, form, existing=None):
    """Create or update the draft; "Save and submit" then submits it. These are two actions, each whole:
    a refused submission leaves the draft saved, and the page then shows that draft with the problems."""
    saved = form.perform(existing, by=request.user)
    if "submit" not in request.POST:
        messages.success(request, f"Draft {saved.reference} saved.")
        return redirect("sharing:request_detail", reference=saved.reference)
    try:
        services.submit(saved, by=request.user, expected_version=saved.version)
    except RuleViolation as violation:
        data = request.POST.copy()
        data["version"] = saved.version
        form = forms.RequestDraftForm(data, sharing_request=saved)
        form.is_valid()
        form.add_problems(violation)
        return _render_draft(request, form, saved, status=400)
    messages.success(request, f"{saved.reference} submitted. Its due dates are below.")
    return redirect("sharing:request_detail", reference=saved.reference)


def _render_draft(request, form, req, status=200):
    # The dates sending it now would set (§12): for the classification as typed, else as saved, else the default.
    values = {"route": form.route, **form.initial, **getattr(form, "cleaned_data", {})}
    return render(request, "sharing/edit.html", {
        "req": req, "form": form, "page_marking": _marking(req) if req else "OFFICIAL",
        "due_preview": preview_due_dates(form.protocol.spec, values), **_offered_contacts(form, req)}, status=status)


def _offered_contacts(form, req) -> dict:
    """§18: once the department is chosen (saved on the draft, sent with the form, or picked with "Show its
    contacts", which works without JavaScript), the directory's contacts there (contacts app, ADR 24)."""
    if form.route == "protocol":
        return {}
    department = req.holder_org if req else None
    if department is None and "holder_org" in form.fields:
        chosen = form.data.get("holder_org") if form.is_bound else form.initial.get("holder_org")
        queryset = form.fields["holder_org"].queryset
        department = queryset.filter(pk=chosen).first() if limits.is_id(chosen) else None
    return {"offered_department": department, "offered": list(contacts_of(department)), "now": timezone.now(),
            "departments": form.fields["holder_org"].queryset if "holder_org" in form.fields else None}


@login_required
def request_new_direction(request, direction: str):
    """Step two: the request itself, with the seven elements of its direction."""
    if direction not in dict(_route_choices(request.user)):
        raise Http404("You cannot make that kind of request.")
    # "Show its contacts" (§18) comes back here as ?holder_org=<id>: the department chosen, the form not yet sent
    chosen = request.GET.get("holder_org", "")
    initial = {"holder_org": chosen} if request.method != "POST" and limits.is_id(chosen) else None
    form = forms.RequestDraftForm(request.POST or None, direction=direction, requester=request.user, initial=initial)
    return _draft_page(request, form, None)


@login_required
def request_edit(request, reference: str):
    req = _visible(request.user, reference)
    permissions.check(request.user, Action.UPDATE, req)
    form = forms.RequestDraftForm(request.POST or None, sharing_request=req)
    return _draft_page(request, form, req)


def _draft_page(request, form, existing):
    if request.method != "POST":
        return _render_draft(request, form, existing)
    if form.is_valid():
        try:
            return _save_draft(request, form, existing)
        except RuleViolation as violation:
            form.add_problems(violation)
            return _render_draft(request, form, existing, status=409 if isinstance(violation, StaleObject) else 400)
    return _render_draft(request, form, existing, status=400)


# --- actions ---------------------------------------------------------------------------------

ACTION_GUIDANCE = {
    Action.ACKNOWLEDGE: "Tell the requester the request is being considered.",
    Action.REASSIGN: "Pass the request to the team that holds the information, and say why.",
    Action.REQUEST_FURTHER_INFORMATION: "The clock keeps running while the requester answers.",
    Action.RESPOND: "Answer the question; amend any element of the request it was about.",
    Action.RECORD_CHECKLIST: "Record whether you are satisfied of each point before deciding.",
    Action.DECIDE: "Every point of the checklist must be answered first. A decline names the points not satisfied.",
    Action.REQUEST_APPROVAL: "The holder's approvers are asked; you can decide once they approve (§10, §17).",
    Action.DELIVER: "Files are checked by their content, stored under a name the service makes, and offered "
                    "only as downloads to the people who may see this request.",
}
PAGE_ACTIONS = {action: form for action, form in forms.ACTION_FORMS.items() if action != Action.UPDATE}


def _done_message(action: Action, reference: str) -> str:
    return f"{reference}: {action.label.lower()} recorded."


class RequestActionView(ActionView):
    """A request's action page, with what the action needs said beside its form (ADR 28 for deliveries)."""

    cases, template_name = REQUESTS, "sharing/action.html"
    buttons = {action: action.label for action in PAGE_ACTIONS}

    def case(self, user, reference: str):
        return _visible(user, reference)

    def check(self, req, action: str) -> None:
        permissions.check(self.request.user, Action(action), req)

    def form(self, req, action: str):
        return PAGE_ACTIONS[Action(action)](self.request.POST or None, self.request.FILES or None,
                                            sharing_request=req)

    def state_problem(self, req, action: str):
        return None  # the page says what is missing instead (policies.missing_before_decision)

    def perform(self, form, req):
        return perform(form, req, by=self.request.user)

    def case_url(self, req) -> str:
        return reverse("sharing:request_detail", kwargs={"reference": req.reference})

    def done(self, req, action: str, result):
        messages.success(self.request, _done_message(Action(action), req.reference))
        for name, count in getattr(result, "flagged_files", ()):
            messages.warning(self.request, _flagged_message(name, count))
        return redirect(self.case_url(req))

    def context(self, req, action: str, form, problem) -> dict:
        chosen = Action(action)
        return {
            "req": req, "form": form, "action": chosen, "guidance": ACTION_GUIDANCE.get(chosen, ""),
            "page_marking": _marking(req), "multipart": chosen == Action.DELIVER,
            "missing": policies.missing_before_decision(req) if chosen == Action.DECIDE else [],
            "scanning_note": upload_checks.scanning_note(self.request.user) if chosen == Action.DELIVER else "",
            "hold_problem": hold_scope.delivery_problem(req) if chosen == Action.DELIVER else None,
        }


def _flagged_message(name: str, count: int) -> str:
    """ADR 28: the uploader is told, the file is kept as sent."""
    cells = "1 cell starts" if count == 1 else f"{count} cells start"
    return (f"{name}: {cells} with =, +, -, @, a tab or a carriage return, which a spreadsheet may run as a "
            "formula. The file was kept exactly as sent; the recipient sees the same warning beside it.")
