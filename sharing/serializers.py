"""API shapes. Input serializers only parse types: every rule is applied by sharing.services, so the API
and the pages refuse the same things with the same words (field and clause)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from approvals.models import Approval
from concordat import limits
from concordat.api_representation import PlannedRepresentation
from sharing import hold_scope, queries, rules
from sharing.cases import REQUESTS
from sharing.hold_scope import PARTS_MAX
from sharing.models import (
    PART_WHAT_MAX,
    ChecklistAnswer,
    Delivery,
    DeliveryFile,
    DeliveryOccasion,
    Reassignment,
    Request,
    RequestEvent,
)
from sharing.services import DRAFT_FIELDS, RESPONSE_FIELDS
from sharing.states import Decision

# --- references -------------------------------------------------------------------------------------


class OrganisationRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name"]


class PersonRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "organisation"]


# --- reading -----------------------------------------------------------------------------------------


class RequestListSerializer(PlannedRepresentation, serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    requester = PersonRefSerializer()
    requester_org = OrganisationRefSerializer()
    holder_org = OrganisationRefSerializer()
    assigned_org = OrganisationRefSerializer()
    assigned_to = PersonRefSerializer(allow_null=True)
    owner = serializers.SerializerMethodField()
    next_due = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()

    class Meta:
        model = Request
        fields = ["id", "reference", "title", "direction", "route", "state", "state_label", "decision",
                  "classification", "personal_data_category", "provision", "requester", "requester_org",
                  "holder_org", "assigned_org", "assigned_to", "owner", "received_on", "acknowledge_by",
                  "provide_by", "next_due", "is_overdue", "version", "created_at", "updated_at"]

    def get_owner(self, request) -> str:
        return queries.owner_of(request)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_due(self, request):
        return queries.next_due(request)


class EventSerializer(PlannedRepresentation, serializers.ModelSerializer):
    actor = PersonRefSerializer(allow_null=True)
    from_state = serializers.CharField(help_text="A request state; empty for the creation of the draft.")
    to_state = serializers.CharField(help_text="A request state.")
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = RequestEvent
        fields = ["id", "action", "action_label", "actor", "occurred_at", "from_state", "to_state", "note",
                  "details"]


class ChecklistAnswerSerializer(PlannedRepresentation, serializers.ModelSerializer):
    answered_by = PersonRefSerializer()

    class Meta:
        model = ChecklistAnswer
        fields = ["satisfied", "note", "answered_by", "answered_at"]


class ChecklistRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    clause = serializers.CharField()
    label = serializers.CharField()
    answer = ChecklistAnswerSerializer(allow_null=True)


class ElementSerializer(serializers.Serializer):
    key = serializers.CharField()
    field = serializers.CharField()
    clause = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    value = serializers.CharField(allow_blank=True)


class ApprovalSerializer(PlannedRepresentation, serializers.ModelSerializer):
    requested_by = PersonRefSerializer(allow_null=True)
    decided_by = PersonRefSerializer(allow_null=True)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Approval
        fields = ["id", "kind", "clause", "role_required", "state", "state_label", "version", "requested_by",
                  "requested_at", "justification", "decided_by", "decided_at", "reasons"]


class ReassignmentSerializer(PlannedRepresentation, serializers.ModelSerializer):
    from_org = OrganisationRefSerializer()
    to_org = OrganisationRefSerializer()
    to_user = PersonRefSerializer(allow_null=True)
    reassigned_by = PersonRefSerializer()

    class Meta:
        model = Reassignment
        fields = ["from_org", "to_org", "to_user", "reason", "reassigned_by", "reassigned_at"]


class DeliveryFileSerializer(PlannedRepresentation, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, delivery_file) -> str:
        return reverse("sharing-api:file-download", args=[delivery_file.pk])


class DeliverySerializer(PlannedRepresentation, serializers.ModelSerializer):
    delivered_by = PersonRefSerializer()
    occasion = serializers.IntegerField(source="occasion.sequence", allow_null=True, default=None)
    files = DeliveryFileSerializer(many=True)

    class Meta:
        model = Delivery
        fields = ["id", "description", "marking", "delivered_by", "delivered_at", "occasion", "files"]


class OccasionSerializer(PlannedRepresentation, serializers.ModelSerializer):
    delivered = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryOccasion
        fields = ["id", "sequence", "scheduled_on", "due_on", "delivered"]

    def get_delivered(self, occasion) -> bool:
        return hasattr(occasion, "delivery")


class MilestoneStatusSerializer(PlannedRepresentation, serializers.Serializer):
    state = serializers.CharField()
    working_days = serializers.IntegerField()
    label = serializers.CharField()


class SkippedDaySerializer(PlannedRepresentation, serializers.Serializer):
    day = serializers.DateField()
    reason = serializers.CharField()


class MilestoneSerializer(PlannedRepresentation, serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    clause = serializers.CharField()
    due = serializers.DateField()
    met_on = serializers.DateField(allow_null=True)
    status = MilestoneStatusSerializer()
    skipped = SkippedDaySerializer(many=True)


class RequestPartSerializer(serializers.Serializer):
    """One part of a request (issue 11): what it asks for and its own scope, compared with processing holds."""

    what = serializers.CharField(max_length=PART_WHAT_MAX)
    data_source = serializers.CharField(max_length=40, help_text="protocols.scope.DataSource: e.g. msvc_contract.")
    purpose_kind = serializers.CharField(max_length=40, help_text="protocols.scope.Purpose: e.g. research.")
    personal_data_category = serializers.CharField(max_length=40, help_text="A category of the protocol (§15–17).")


class HoldRefSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    began_on = serializers.DateField()
    age_days = serializers.IntegerField()
    next_review_on = serializers.DateField()
    review_overdue = serializers.BooleanField()
    url = serializers.CharField()


class HoldVerdictSerializer(serializers.Serializer):
    part = serializers.IntegerField(allow_null=True, help_text="The part's position; null for the whole request.")
    status = serializers.CharField(help_text="'blocked by hold' or 'not blocked'.")
    blocked = serializers.BooleanField()
    reason = serializers.CharField()
    holds = HoldRefSerializer(many=True)


class RequestDetailSerializer(RequestListSerializer):
    protocol = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    routed_to = OrganisationRefSerializer()
    named_people = PersonRefSerializer(many=True)
    acknowledged_by = PersonRefSerializer(allow_null=True)
    decided_by = PersonRefSerializer(allow_null=True)
    elements = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    approvals_required = serializers.SerializerMethodField()
    approvals = ApprovalSerializer(many=True)
    reassignments = ReassignmentSerializer(many=True)
    occasions = OccasionSerializer(many=True)
    deliveries = DeliverySerializer(many=True)
    events = EventSerializer(many=True)
    milestones = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    parts = RequestPartSerializer(many=True, read_only=True)
    holds = serializers.SerializerMethodField()

    class Meta(RequestListSerializer.Meta):
        fields = RequestListSerializer.Meta.fields + [
            "protocol", "protocol_version", "routed_to", "routed_role", "necessity", "information_requested",
            "purpose", "publication_intent", "publication_detail", "access", "named_people", "storage_retention",
            "retain_until", "disposal", "legal_basis", "frequency", "period_start", "period_end", "calendar_name", "submitted_at",
            "acknowledged_at", "acknowledged_by", "decided_at", "decided_by", "decision_reasons",
            "provided_scope", "withheld_scope", "declined_items", "closed_at", "withdrawn_at", "elements",
            "checklist", "approvals_required", "approvals", "reassignments", "occasions", "deliveries", "events",
            "milestones", "available_actions", "data_source", "purpose_kind", "parts", "holds",
        ]

    @extend_schema_field(ElementSerializer(many=True))
    def get_elements(self, request):
        return [{"key": e.key, "field": e.field, "clause": e.clause, "label": e.label, "required": e.required,
                 "value": str(value)} for e, value in queries.element_values(request)]

    @extend_schema_field(ChecklistRowSerializer(many=True))
    def get_checklist(self, request):
        answer_shape = ChecklistAnswerSerializer()  # one for every row: building a serializer is its costly part
        return [{"key": item.key, "clause": item.clause, "label": item.label,
                 "answer": answer_shape.to_representation(answer) if answer else None}
                for item, answer in queries.checklist_rows(request)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text="An approval kind.")))
    def get_approvals_required(self, request):
        return [str(kind) for kind in rules.approvals_required(request)]

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, request):
        return MilestoneSerializer(queries.milestones(request), many=True).data

    @extend_schema_field(HoldVerdictSerializer(many=True))
    def get_holds(self, request):
        """Processing holds (issue 11): for each part, or the whole request, blocked by hold or not, and why."""
        return [{"part": scope.part.position if scope.part else None, "status": scope.verdict.status,
                 "blocked": scope.verdict.blocked, "reason": scope.verdict.reason,
                 "holds": [_hold_ref(hold, labels={}) for hold in scope.verdict.holds]}
                for scope in hold_scope.verdicts(request)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, request):
        return [str(action) for action in REQUESTS.available_actions(self.context["request"].user, request)]


def _hold_ref(hold, labels: dict) -> dict:
    from holds import presenting

    summary = presenting.summary(hold, labels=labels)  # the categories' labels are not shown here
    return {"reference": hold.reference, "title": hold.title, "state": hold.state, "began_on": hold.began_on,
            "age_days": summary.age_days, "next_review_on": hold.next_review_on,
            "review_overdue": summary.review_overdue, "url": reverse("sharing-api:hold-detail", args=[hold.pk])}


# --- writing -----------------------------------------------------------------------------------------

class BoundedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key no larger than any id can be: a larger number is refused, not sent to the database."""

    def to_internal_value(self, data):
        if not limits.is_id(data):
            self.fail("does_not_exist", pk_value=str(data)[:30])
        return super().to_internal_value(data)


def _draft_field(name: str) -> serializers.Field:
    if name in ("period_start", "period_end", "acknowledge_by", "provide_by", "retain_until"):
        return serializers.DateField(required=False, allow_null=True)
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class _DraftFieldsMixin(serializers.Serializer):
    parts = RequestPartSerializer(many=True, required=False, max_length=PARTS_MAX,
                                  help_text="The parts of the request, each with its own scope; replaces any it had.")
    named_people = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=limits.ID_MAX), required=False,
        max_length=limits.NAMED_PEOPLE_MAX, help_text="People named in the access list (§6(e) / §8(e)), by id.")

    def get_fields(self):
        fields = super().get_fields()
        for name in DRAFT_FIELDS:
            fields[name] = _draft_field(name)
        return fields

    def draft_fields(self) -> dict:
        return {name: self.validated_data[name] for name in DRAFT_FIELDS if name in self.validated_data}


class DraftCreateSerializer(_DraftFieldsMixin):
    protocol = serializers.CharField(required=False, help_text="Protocol slug; the only one loaded by default.")
    direction = serializers.CharField(help_text="A direction of the protocol, e.g. iasc_to_ho, or another route.")
    holder_org = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(), required=False,
                                              help_text="The body asked, for requests outside the protocol.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX,
                                       help_text="The version you loaded; a changed request answers 409.")


class DraftUpdateSerializer(_DraftFieldsMixin, VersionSerializer):
    pass


class NoteSerializer(VersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(VersionSerializer):
    to_org = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all())
    to_user = BoundedPrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class QuestionSerializer(VersionSerializer):
    question = serializers.CharField(allow_blank=True)


class RespondSerializer(VersionSerializer):
    answer = serializers.CharField(allow_blank=True)
    changes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                    help_text=f"Amended elements: any of {', '.join(RESPONSE_FIELDS)}.")


class ChecklistEntrySerializer(serializers.Serializer):
    item = serializers.CharField()
    satisfied = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ChecklistSerializer(VersionSerializer):
    answers = ChecklistEntrySerializer(many=True)


class RequestApprovalSerializer(VersionSerializer):
    justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class DecideSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    provided_scope = serializers.CharField(required=False, allow_blank=True, default="")
    withheld_scope = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverSerializer(VersionSerializer):
    description = serializers.CharField(allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    marking = serializers.CharField()
    occasion = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.ID_MAX,
                                        help_text="Occasion id, for a regular request.")
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list,
        help_text="Send as multipart/form-data, each file up to CONCORDAT_MAX_FILE_BYTES (50 MB unless set), checked "
                  "by content and name (ADR 28): PDF, CSV, TXT, JSON, Parquet, XLSX, DOCX, ODS, ODT, PNG or JPEG "
                  "without macros. CSV and spreadsheet cells that could run as formulas are kept as sent and flagged "
                  "in the delivery's event (events[].details.files[].flagged).")
