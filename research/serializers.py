"""The research API's shapes (issue 11). Every text has the service's bound; participant references appear only in
the service provider's own list, never in a project."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from concordat import limits
from dataprotection.legislation import Article6Basis
from protocols.scope import DataSource
from research import holds_link, keys, services
from research.models import (
    DPIA_REFERENCE_MAX,
    ETHICS_MAX,
    FUNDER_MAX,
    TITLE_MAX,
    NonDisclosureAgreement,
    Participation,
    ResearchProject,
)
from research.states import ConsentScope
from sharing.serializers import PersonRefSerializer


class HoldRefSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    began_on = serializers.DateField()
    next_review_on = serializers.DateField()


class VerdictSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="'blocked by hold' or 'not blocked'")
    blocked = serializers.BooleanField()
    reason = serializers.CharField()
    holds = HoldRefSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    deciding_organisation = serializers.CharField(source="deciding_organisation.slug")
    state = serializers.CharField()
    version = serializers.IntegerField()
    conditions = serializers.CharField()
    reasons = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class NdaSerializer(serializers.ModelSerializer):
    signatory = PersonRefSerializer()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = NonDisclosureAgreement
        fields = ["id", "signatory", "signed_on", "expires_on", "original_name", "size", "sha256", "recorded_at",
                  "download_url"]

    def get_download_url(self, nda) -> str:
        return reverse("sharing-api:research-nda-download", kwargs={"pk": nda.pk})


class CountsSerializer(serializers.Serializer):
    told = serializers.IntegerField()
    agreed = serializers.IntegerField()
    declined = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    awaiting_deletion = serializers.IntegerField()


class ProjectSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.slug")
    department = serializers.CharField(source="department.slug")
    partner = serializers.CharField(source="partner.slug", allow_null=True)
    principal_investigator = PersonRefSerializer()
    suppliers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    requests = serializers.SlugRelatedField(many=True, read_only=True, slug_field="reference")
    state_label = serializers.CharField(source="get_state_display")
    hold = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    ndas = NdaSerializer(many=True, read_only=True)
    consent = serializers.SerializerMethodField()
    suspended_by_hold = serializers.CharField(source="suspended_by_hold.reference", allow_null=True, default=None)

    class Meta:
        model = ResearchProject
        fields = ["id", "reference", "title", "funder", "institution", "department", "partner",
                  "principal_investigator", "ethics_reference", "summary", "data_sources", "purpose",
                  "personal_data_categories", "processes_contract_personal_data", "suppliers", "lawful_basis",
                  "lawful_basis_detail", "dpia_reference", "dpia_completed_on", "requests", "state", "state_label",
                  "version", "proposed_at", "approved_at", "suspended_by_hold", "hold", "reviews", "ndas", "consent"]

    def get_hold(self, project) -> dict:
        answer = holds_link.verdict(project, self.context.setdefault("hold_verdicts", {}))
        return VerdictSerializer({"status": answer.status, "blocked": answer.blocked, "reason": answer.reason,
                                  "holds": answer.holds}).data

    def get_reviews(self, project) -> list:
        return ReviewSerializer(sorted(project.reviews.all(), key=lambda r: r.pk), many=True).data

    def get_consent(self, project) -> dict:
        """Counts only: participant references are never part of a project (issue 11)."""
        return CountsSerializer(services.consent_counts(project)).data


class ProjectProposeInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    funder = serializers.CharField(max_length=FUNDER_MAX)
    ethics_reference = serializers.CharField(max_length=ETHICS_MAX)
    summary = serializers.CharField(max_length=services.TEXT_MAX)
    data_sources = serializers.ListField(child=serializers.ChoiceField(choices=DataSource.choices), max_length=10)
    personal_data_categories = serializers.ListField(child=serializers.CharField(max_length=40), max_length=10,
                                                     required=False, default=list)
    processes_contract_personal_data = serializers.BooleanField(default=False)
    suppliers = serializers.ListField(child=serializers.SlugField(max_length=50), max_length=services.SUPPLIERS_MAX,
                                      required=False, default=list, help_text="Suppliers' slugs.")
    partner = serializers.SlugField(max_length=50, required=False, allow_blank=True, default="")
    lawful_basis = serializers.ChoiceField(choices=Article6Basis.choices, required=False, allow_blank=True, default="")
    lawful_basis_detail = serializers.CharField(max_length=services.TEXT_MAX, required=False, allow_blank=True,
                                                default="")
    dpia_reference = serializers.CharField(max_length=DPIA_REFERENCE_MAX, required=False, allow_blank=True, default="")
    dpia_completed_on = serializers.DateField(required=False, allow_null=True, default=None)


class ProjectVersionedNote(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                 help_text="A note; the reason when cancelling.")


class ReviewInput(serializers.Serializer):
    review = serializers.IntegerField(min_value=1, max_value=limits.ID_MAX, help_text="The review's (approval's) id.")
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX, help_text="The review's version.")
    outcome = serializers.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Refuse")])
    conditions = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX)
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX)


class ChoiceInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    case_identifier = serializers.CharField(max_length=40, help_text="The survivor's case identifier in your own "
                                            "records (never a name); only its keyed hash is kept.")
    told_on = serializers.DateField()
    agreed = serializers.BooleanField()
    scope = serializers.ChoiceField(choices=ConsentScope.choices, required=False, allow_blank=True, default="")

    def validate_case_identifier(self, value):
        problem = keys.case_identifier_problem(value)
        if problem:
            raise serializers.ValidationError(problem.message)
        return value


class WithdrawalInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    case_identifier = serializers.CharField(max_length=40)
    withdrawn_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_case_identifier(self, value):
        problem = keys.case_identifier_problem(value)
        if problem:
            raise serializers.ValidationError(problem.message)
        return value


class DeletionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    participation = serializers.IntegerField(min_value=1, max_value=limits.ID_MAX)


class NdaInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    signatory = serializers.IntegerField(min_value=1, max_value=limits.ID_MAX, help_text="The signatory's person id.")
    signed_on = serializers.DateField()
    expires_on = serializers.DateField()
    file = serializers.FileField(allow_empty_file=True, help_text="Send as multipart/form-data: the signed copy.")


class ParticipationSerializer(serializers.ModelSerializer):
    """The service provider's own records: the reference, never the identifier it was made from."""

    supplier = serializers.CharField(source="supplier.slug")
    awaiting_deletion = serializers.BooleanField()

    class Meta:
        model = Participation
        fields = ["id", "supplier", "participant_ref", "told_on", "agreed", "scope", "withdrawn_on",
                  "awaiting_deletion", "deletion_recorded_at"]


class DeletionFlagSerializer(serializers.ModelSerializer):
    """What a researcher sees of a withdrawal: an id to record the deletion against, never the reference."""

    class Meta:
        model = Participation
        fields = ["id", "withdrawn_on"]


class LinkRequestInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    reference = serializers.CharField(max_length=40, help_text="The reference of a request you can see.")
