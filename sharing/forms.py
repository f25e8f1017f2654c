"""Forms for the pages, one per action. They parse what was typed; every rule is the service's, so a form
calls its service in `perform()` and shows the service's problems beside the fields with `add_problems()`:

    form = ACTION_FORMS[action](request.POST or None, request.FILES or None, sharing_request=obj)
    if request.method == "POST" and form.is_valid():
        try:
            form.perform(obj, by=request.user)
        except RuleViolation as problems:   # StaleObject included: it lands on the version field
            form.add_problems(problems)

Labels come from the protocol definition, and `form.clauses[field]` gives the clause to show beside each
field (includes/field.html takes it as `clause`).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from accounts.models import Organisation, User
from accounts.roles import Role
from approvals import services as approval_services
from clock.forms import GovukDateInput
from concordat import limits
from concordat.errors import RuleViolation
from concordat.forms import GovukCheckboxes, GovukRadioSelect, form_rows
from protocols.scope import DataSource, Purpose
from protocols.wording import element_questions
from sharing import policies, rules, services
from sharing.hold_scope import PARTS_MAX
from sharing.models import PART_WHAT_MAX, Request
from sharing.states import Action, ApprovalKind, Decision, Frequency, Provision, PublicationIntent
from vault import checks as upload_checks

TEXT = {"class": "govuk-input"}
TEXTAREA = {"class": "govuk-textarea", "rows": 4}
SELECT = {"class": "govuk-select"}


def _textarea(label: str, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs=TEXTAREA), strip=True)


class OptionalDateInput(GovukDateInput):
    """The GOV.UK date input, for a date that may be left out of the submitted data altogether."""

    def value_from_datadict(self, data, files, name):
        parts = [widget.value_from_datadict(data, files, f"{name}_{index}") for index, widget in enumerate(self.widgets)]
        if not any(part and str(part).strip() for part in parts):
            return None
        day, month, year = ((part or "").strip() for part in parts)
        return f"{year}-{month}-{day}"


def _date(label: str, help_text: str = "For example, 27 3 2026") -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"], widget=OptionalDateInput(),
                           help_text=help_text, error_messages={"invalid": "Enter a real date, for example 27 3 2026."})


class BoundedIds:
    """Model choice fields that refuse, as an invalid choice, any value that cannot be one of our ids, before
    it reaches the database (a number past 2**63 would otherwise raise there)."""

    def _refuse_unless_ids(self, values) -> None:
        if any(value not in self.empty_values and not limits.is_id(value) for value in values):
            raise forms.ValidationError("Choose from the list.", code="invalid_choice")


class BoundedModelChoiceField(BoundedIds, forms.ModelChoiceField):
    def to_python(self, value):
        self._refuse_unless_ids([value])
        return super().to_python(value)


class NamedPeopleField(BoundedIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        values = list(value)
        if len(values) > limits.NAMED_PEOPLE_MAX:
            raise forms.ValidationError(f"Name at most {limits.NAMED_PEOPLE_MAX} people.", code="list")
        self._refuse_unless_ids(values)
        return super()._check_values(values)

    def label_from_instance(self, person):
        return f"{person}, {person.job_title or 'no job title'} ({person.organisation})"


def _name_the_field_when_missing(field: forms.Field) -> None:
    """Django's "This field is required." names nothing: say which answer is missing, in the GOV.UK way."""
    if field.error_messages.get("required") != forms.Field.default_error_messages["required"]:
        return  # the form said it better
    label = str(field.label or "").rstrip("?:. ")
    if not label:
        return
    verb = "Choose" if isinstance(field, forms.ChoiceField) else "Enter"
    field.error_messages = {**field.error_messages,
                            "required": f"{verb} an answer for “{label}”" if label[0].isupper() and " " in label
                            and label.split()[0] in QUESTION_WORDS else f"{verb} {label[0].lower()}{label[1:]}"}


QUESTION_WORDS = frozenset({"Why", "What", "Which", "Who", "How", "When", "Where", "Is", "Are", "Does", "Do",
                            "Will", "Can"})


class ProblemsForm(forms.Form):
    """A form that shows a service's problems beside the fields they name, with their clause."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_aliases: dict[str, str] = {}

    def __init__(self, *args, sharing_request: Request | None = None, **kwargs):
        self.sharing_request = sharing_request
        self.clauses: dict[str, str] = {}
        if sharing_request is not None:
            kwargs.setdefault("initial", {}).setdefault("version", sharing_request.version)
        super().__init__(*args, **kwargs)
        self.fields["version"].required = sharing_request is not None
        for field in self.fields.values():
            _name_the_field_when_missing(field)

    def add_problems(self, violation: RuleViolation) -> None:
        for problem in violation.problems:
            name = self.field_aliases.get(problem.field, problem.field)
            target = name if name in self.fields and name != "version" else None
            message = problem.message if not problem.clause else f"{problem.message} ({problem.clause})"
            self.add_error(target, message)

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def rows(self) -> list[dict]:
        return form_rows(self, self.clauses)


# --- drafting a request -------------------------------------------------------------------------------

PART_ROWS = 3  # rows for parts on the page; a draft with more shows one row beyond its last
PART_FIELDS = ("what", "data_source", "purpose_kind", "personal_data_category")


class RequestDraftForm(ProblemsForm):
    """The request form of one direction (§6 a–g / §8 a–g) or other route (§18, §4 fn 1), new or a draft.

    RequestDraftForm(data, protocol=..., direction="iasc_to_ho", requester=user) for a new request;
    RequestDraftForm(data, sharing_request=draft) to edit one."""

    title = forms.CharField(label="Short title", max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    field_aliases = {"parts": "part_1_what"}

    def __init__(self, *args, protocol=None, direction: str | None = None, requester: User | None = None,
                 sharing_request: Request | None = None, **kwargs):
        self.protocol = sharing_request.protocol if sharing_request else protocol or services.default_protocol()
        self.direction = sharing_request.direction if sharing_request else direction
        self.requester = sharing_request.requester if sharing_request else requester
        if sharing_request is not None:
            kwargs.setdefault("initial", {}).update(_draft_initial(sharing_request))
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        spec = self.protocol.spec
        self.route = self._route(spec)
        self._add_element_fields(spec)
        self._add_classification_fields(spec)
        self._add_schedule_fields(spec)
        if self.route != "protocol":
            self._add_other_route_fields(spec)

    def _route(self, spec) -> str:
        routes = {route.key: route for route in spec.other_routes}
        if self.direction in routes:
            return rules.ROUTE_FOR_ORGANISATION_KIND[routes[self.direction].organisation_kind]
        return "protocol"

    def _party_key(self, spec) -> str | None:
        party = rules.party_of_organisation(spec, self.requester.organisation) if self.requester else None
        return party.key if party else None

    def _add_element_fields(self, spec) -> None:
        party = self._party_key(spec)
        elements = rules.element_fields(spec, self.direction, self.route, party)
        # Put to the requester in the second person; outside the protocol (§18, §4 fn 1), in the words of
        # the requester's own direction, whose elements those routes follow.
        source = (spec.direction(self.direction) if self.route == "protocol"
                  else rules.commissioner_direction(spec, party))
        questions = element_questions(spec, source)
        for element in elements:
            label = questions.get(element.key, element.label)
            self.clauses[element.field] = element.clause
            if element.key == "publication":
                self.fields[element.field] = forms.ChoiceField(
                    label=label, required=False, choices=PublicationIntent.choices, widget=GovukRadioSelect)
                self.fields["publication_detail"] = _textarea("What will be published, and how", help_text=element.hint)
                self.clauses["publication_detail"] = element.clause
            else:
                self.fields[element.field] = _textarea(label, help_text=element.hint)
            if element.key == "access":
                self.fields["named_people"] = NamedPeopleField(
                    label="People named in the access list", required=False, queryset=self._people_of_parties(spec),
                    help_text="They may see the request even when it is OFFICIAL-SENSITIVE.",
                    widget=GovukCheckboxes)
                self.clauses["named_people"] = element.clause

    def _people_of_parties(self, spec):
        slugs = [party.organisation for party in spec.parties]
        return (User.objects.filter(is_active=True, organisation__isnull=False)
                .filter(Q(organisation__slug__in=slugs) | Q(organisation__parent__slug__in=slugs))
                .select_related("organisation").order_by("full_name", "username"))

    def _add_classification_fields(self, spec) -> None:
        classifications, personal = spec.classifications, spec.personal_data
        # A free field under a select: a tampered SECRET still reaches the service and its §10 words.
        self.fields["classification"] = forms.CharField(
            label="Security classification", initial=classifications.levels[0],
            widget=forms.Select(choices=[(level, level) for level in classifications.levels], attrs=SELECT),
            help_text=classifications.approval_note)
        self.fields["personal_data_category"] = forms.CharField(
            label="Personal data", initial=personal.default,
            widget=forms.Select(choices=[(c, personal.label(c)) for c in personal.categories], attrs=SELECT))
        self.fields["legal_basis"] = _textarea(
            "Legal basis for sharing personal data: further explanation (optional)",
            help_text="The UK GDPR Article 6 basis and the rest of the Annex B record are kept on the request's "
                      "personal data page (§15–17).")
        self.clauses.update(classification=classifications.clause, personal_data_category=personal.clause,
                            legal_basis=personal.clause)
        self._add_scope_fields(personal)

    def _add_scope_fields(self, personal) -> None:
        """What the request draws on and what for (protocols.scope), for the whole request and, when it asks for
        several things, for each part: processing holds are compared with these (issue 11)."""
        self.fields["data_source"] = forms.ChoiceField(
            label="Data source", required=False, choices=[("", "Not stated"), *DataSource.choices],
            widget=forms.Select(attrs=SELECT), help_text="Where the information comes from. A processing hold on a "
                                                         "source blocks provision of what falls inside it.")
        self.fields["purpose_kind"] = forms.ChoiceField(
            label="Kind of purpose", required=False, choices=[("", "Not stated"), *Purpose.choices],
            widget=forms.Select(attrs=SELECT))
        existing = list(self.sharing_request.parts.all()) if self.sharing_request is not None else []
        self.part_rows = min(max(PART_ROWS, len(existing) + 1), PARTS_MAX)
        categories = [("", "Choose"), *[(c, personal.label(c)) for c in personal.categories]]
        for row in range(1, self.part_rows + 1):
            self.fields[f"part_{row}_what"] = forms.CharField(
                label=f"Part {row}: what it asks for", required=False, max_length=PART_WHAT_MAX, strip=True,
                widget=forms.TextInput(attrs=TEXT),
                help_text="Only when the request asks for several things with different sources, purposes or "
                          "categories (for example a joint request): each part is checked against holds alone."
                if row == 1 else "")
            self.fields[f"part_{row}_data_source"] = forms.ChoiceField(
                label=f"Part {row}: data source", required=False, choices=[("", "Choose"), *DataSource.choices],
                widget=forms.Select(attrs=SELECT))
            self.fields[f"part_{row}_purpose_kind"] = forms.ChoiceField(
                label=f"Part {row}: kind of purpose", required=False, choices=[("", "Choose"), *Purpose.choices],
                widget=forms.Select(attrs=SELECT))
            self.fields[f"part_{row}_personal_data_category"] = forms.ChoiceField(
                label=f"Part {row}: personal data", required=False, choices=categories,
                widget=forms.Select(attrs=SELECT))
        for row, part in enumerate(existing, start=1):
            for name in PART_FIELDS:
                self.initial.setdefault(f"part_{row}_{name}", getattr(part, name))
        self.clauses.update({f"part_{row}_personal_data_category": personal.clause
                             for row in range(1, self.part_rows + 1)})

    def parts_given(self) -> list[dict] | None:
        """The parts typed, in order, rows left empty skipped; None when the form was sent without them."""
        if not any(key.startswith("part_") for key in self.data):
            return None
        parts = []
        for row in range(1, self.part_rows + 1):
            part = {name: self.cleaned_data.get(f"part_{row}_{name}") or "" for name in PART_FIELDS}
            if any(part.values()):
                parts.append(part)
        return parts

    def _add_schedule_fields(self, spec) -> None:
        kinds = (spec.direction(self.direction).request_kinds if self.route == "protocol"
                 else [kind.value for kind in Provision])
        self.fields["provision"] = forms.ChoiceField(
            label="One-off or regular", choices=[(k, Provision(k).label) for k in kinds], initial=Provision.ONE_OFF,
            widget=GovukRadioSelect)
        self.fields["frequency"] = forms.ChoiceField(label="How often", required=False,
                                                     choices=[("", "Choose"), *Frequency.choices],
                                                     widget=forms.Select(attrs=SELECT))
        self.fields["period_start"] = _date("First date of the period")
        self.fields["period_end"] = _date("Last date of the period")

    def _add_other_route_fields(self, spec) -> None:
        route = next(r for r in spec.other_routes if r.key == self.direction)
        if self.sharing_request is None:
            self.fields["holder_org"] = BoundedModelChoiceField(
                label="Body asked", queryset=Organisation.objects.filter(kind=route.organisation_kind),
                widget=forms.Select(attrs=SELECT))
        self.fields["acknowledge_by"] = _date("Target date for acknowledgement")
        self.fields["provide_by"] = _date("Target date for the information")
        for name in ("holder_org", "acknowledge_by", "provide_by"):
            self.clauses[name] = route.clause

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.DRAFT_FIELDS if name in self.fields}

    def perform(self, sharing_request: Request | None = None, *, by: User) -> Request:
        people = self.cleaned_data.get("named_people")
        if sharing_request is None:
            return services.create_draft(by=by, direction=self.direction, protocol=self.protocol,
                                         holder_org=self.cleaned_data.get("holder_org"), fields=self.service_fields(),
                                         named_people=people, parts=self.parts_given())
        return services.update_draft(sharing_request, by=by, expected_version=self.expected_version,
                                     fields=self.service_fields(), named_people=people, parts=self.parts_given())


def _draft_initial(request: Request) -> dict:
    initial = {name: getattr(request, name) for name in services.DRAFT_FIELDS}
    initial["named_people"] = list(request.named_people.all())
    return initial


# --- the lifecycle ---------------------------------------------------------------------------------------

class NoteForm(ProblemsForm):
    """Submit, acknowledge, start the assessment, close or withdraw, with an optional note."""

    note = _textarea("Note (optional)")
    service = None

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        return type(self).service(sharing_request, by=by, expected_version=self.expected_version,
                                  note=self.cleaned_data["note"])


class SubmitForm(NoteForm):
    service = staticmethod(services.submit)


class AcknowledgeForm(NoteForm):
    service = staticmethod(services.acknowledge)


class StartAssessmentForm(NoteForm):
    service = staticmethod(services.start_assessment)


class CloseForm(NoteForm):
    service = staticmethod(services.close)


class WithdrawForm(NoteForm):
    service = staticmethod(services.withdraw)
    note = _textarea("Why are you withdrawing the request? (optional)")


class ReassignForm(ProblemsForm):
    """§11: pass the request to the team that holds the information."""

    to_org = BoundedModelChoiceField(label="Team", queryset=Organisation.objects.none(),
                                    widget=forms.Select(attrs=SELECT))
    to_user = BoundedModelChoiceField(label="Assessor (optional)", queryset=User.objects.none(), required=False,
                                     widget=forms.Select(attrs=SELECT))
    reason = _textarea("Reason")

    def __init__(self, *args, sharing_request: Request, **kwargs):
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        direction = rules.direction_of(sharing_request)
        within = direction.routing.reassign_within if direction and direction.routing else None
        teams = (Organisation.objects.filter(Q(slug=within) | Q(parent__slug=within))
                 if within else Organisation.objects.filter(pk=sharing_request.holder_org_id))
        self.fields["to_org"].queryset = teams
        self.fields["to_user"].queryset = User.objects.filter(
            is_active=True, organisation__in=teams, role_grants__role=Role.ASSESSOR).distinct()
        self.clauses = dict.fromkeys(("to_org", "to_user", "reason"), rules.route_clause(sharing_request)
                                     if not direction or not direction.routing else direction.routing.clause)

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        return services.reassign(sharing_request, by=by, expected_version=self.expected_version,
                                 to_org=self.cleaned_data["to_org"], to_user=self.cleaned_data["to_user"],
                                 reason=self.cleaned_data["reason"])


class FurtherInformationForm(ProblemsForm):
    """§10: ask for further justification before deciding."""

    question = _textarea("What further information do you need?")

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        return services.request_further_information(sharing_request, by=by, expected_version=self.expected_version,
                                                    question=self.cleaned_data["question"])


class RespondForm(ProblemsForm):
    """The requester's answer, with any element amended (left as it was unless changed)."""

    answer = _textarea("Your answer")

    def __init__(self, *args, sharing_request: Request, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.update({name: getattr(sharing_request, name) for name in services.RESPONSE_FIELDS})
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        for element in rules.request_element_fields(sharing_request):
            if element.key == "publication":
                self.fields[element.field] = forms.ChoiceField(label=element.label, required=False,
                                                               choices=PublicationIntent.choices,
                                                               widget=GovukRadioSelect)
            else:
                self.fields[element.field] = _textarea(element.label)
            self.clauses[element.field] = element.clause
        self.fields["publication_detail"] = _textarea("What will be published, and how")
        self.fields["legal_basis"] = _textarea("Legal basis for sharing personal data")

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        changes = {name: self.cleaned_data[name] for name in services.RESPONSE_FIELDS
                   if self.cleaned_data[name] != getattr(sharing_request, name)}
        return services.respond(sharing_request, by=by, expected_version=self.expected_version,
                                answer=self.cleaned_data["answer"], fields=changes)


SATISFIED_CHOICES = [("yes", "Satisfied"), ("no", "Not satisfied")]


class ChecklistForm(ProblemsForm):
    """§7 / §9: one yes/no and a note per point of the holder's checklist; unanswered points stay open."""

    def __init__(self, *args, sharing_request: Request, **kwargs):
        answers = {a.item_key: a for a in sharing_request.checklist_answers.all()}
        initial = kwargs.setdefault("initial", {})
        for key, answer in answers.items():
            initial[key] = "yes" if answer.satisfied else "no"
            initial[f"{key}_note"] = answer.note
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        self.items = rules.checklist_of(sharing_request)
        self.field_aliases = {f"checklist.{item.key}": item.key for item in self.items}
        for item in self.items:
            self.fields[item.key] = forms.ChoiceField(label=item.label, required=False, widget=GovukRadioSelect,
                                                      choices=SATISFIED_CHOICES)
            self.fields[f"{item.key}_note"] = _textarea("Note (say why, if not satisfied)")
            self.clauses[item.key] = self.clauses[f"{item.key}_note"] = item.clause

    def entries(self) -> list[services.ChecklistEntry]:
        return [services.ChecklistEntry(item.key, self.cleaned_data[item.key] == "yes",
                                        self.cleaned_data[f"{item.key}_note"])
                for item in self.items if self.cleaned_data.get(item.key)]

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        return services.record_checklist(sharing_request, by=by, expected_version=self.expected_version,
                                         answers=self.entries())


class RequestApprovalForm(ProblemsForm):
    """§10 / §17: ask the holder's approvers for the approvals sharing needs."""

    justification = _textarea("Why the information should be shared (for the approver)")

    def __init__(self, *args, sharing_request: Request, **kwargs):
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        self.to_ask = policies.approvals_to_ask(sharing_request)
        spec = rules.spec_of(sharing_request)
        self.clauses["justification"] = ", ".join(rules.approval_clause(spec, kind) for kind in self.to_ask)
        self.fields["justification"].help_text = "Asking for: " + "; ".join(
            ApprovalKind(kind).label for kind in self.to_ask)

    def perform(self, sharing_request: Request, *, by: User):
        return approval_services.ask(sharing_request, by=by, expected_version=self.expected_version,
                                     justification=self.cleaned_data["justification"])


class DecideForm(ProblemsForm):
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices, widget=GovukRadioSelect)
    reasons = _textarea("Reasons", help_text="Required when declining.")
    provided_scope = _textarea("What will be provided", help_text="When agreeing in part.")
    withheld_scope = _textarea("What will not be provided", help_text="When agreeing in part.")
    field_aliases = {"approvals": None, "legal_basis": None, "checklist": None}

    def perform(self, sharing_request: Request, *, by: User) -> Request:
        return services.decide(sharing_request, by=by, expected_version=self.expected_version,
                               **{name: self.cleaned_data[name] for name in (
                                   "decision", "reasons", "provided_scope", "withheld_scope")})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        kwargs.setdefault("allow_empty_file", True)  # the service refuses it, in its own words
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def upload_help(lead: str = "") -> str:
    """The types taken and the size limit, as the upload checks enforce them (ADR 28); read when the form is made,
    so a changed CONCORDAT_MAX_FILE_BYTES shows at once."""
    return f"{lead}{upload_checks.TYPE_WORDS}. {upload_checks.size_limit_words()}"


class DeliverForm(ProblemsForm):
    """What was provided, its marking (§7(e)) and its files; for a regular request, the occasion (§6)."""

    description = _textarea("What is being provided")
    answer = _textarea("The answer in writing", help_text="Write the answer here, attach files, or both.")
    marking = forms.CharField(label="Security classification of what is provided")
    occasion = forms.TypedChoiceField(label="Occasion", required=False, coerce=int, empty_value=None,
                                      widget=forms.Select(attrs=SELECT))
    files = MultipleFileField(label="Files", required=False)
    field_aliases = {"state": None}

    def __init__(self, *args, sharing_request: Request, **kwargs):
        super().__init__(*args, sharing_request=sharing_request, **kwargs)
        spec = rules.spec_of(sharing_request)
        levels = spec.classifications.levels
        allowed = levels[: levels.index(sharing_request.classification) + 1]
        self.fields["marking"].widget = forms.Select(choices=[(level, level) for level in allowed], attrs=SELECT)
        self.fields["marking"].initial = sharing_request.classification
        self.clauses["marking"] = spec.classifications.clause
        self.fields["files"].help_text = upload_help()
        if sharing_request.is_regular:
            self.fields["occasion"].choices = [(o.pk, f"Occasion {o.sequence}, due {o.due_on:%d %B %Y}")
                                               for o in policies.open_occasions(sharing_request)]
        else:
            del self.fields["occasion"]

    def perform(self, sharing_request: Request, *, by: User):
        return services.deliver(sharing_request, by=by, expected_version=self.expected_version,
                                description=self.cleaned_data["description"], marking=self.cleaned_data["marking"],
                                uploads=self.cleaned_data["files"], occasion_id=self.cleaned_data.get("occasion"),
                                answer=self.cleaned_data["answer"])


ACTION_FORMS: dict[Action, type[ProblemsForm]] = {
    Action.UPDATE: RequestDraftForm,
    Action.SUBMIT: SubmitForm,
    Action.ACKNOWLEDGE: AcknowledgeForm,
    Action.REASSIGN: ReassignForm,
    Action.START_ASSESSMENT: StartAssessmentForm,
    Action.REQUEST_FURTHER_INFORMATION: FurtherInformationForm,
    Action.RESPOND: RespondForm,
    Action.RECORD_CHECKLIST: ChecklistForm,
    Action.REQUEST_APPROVAL: RequestApprovalForm,
    Action.DECIDE: DecideForm,
    Action.DELIVER: DeliverForm,
    Action.CLOSE: CloseForm,
    Action.WITHDRAW: WithdrawForm,
}


class RouteChoiceForm(forms.Form):
    """Step one of a new request: a direction of the protocol, or one of its other routes (§18, §4 fn 1)."""

    direction = forms.ChoiceField(label="Who are you asking?", widget=GovukRadioSelect)

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = choices

    def rows(self) -> list[dict]:
        return form_rows(self)
