"""The publication API's shapes (§7(b), §9(b)). Every text has the service's bound (concordat/limits.py)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from concordat import limits
from publications import services
from publications.models import PublicationFile, PublicationProposal
from publications.states import DECISION_CHOICES
from sharing.serializers import PersonRefSerializer


class PublicationFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = PublicationFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, item) -> str:
        return reverse("sharing-api:publication-file-download", kwargs={"pk": item.pk})


class PublicationProposalSerializer(serializers.ModelSerializer):
    request = serializers.CharField(source="request.reference")
    files = PublicationFileSerializer(many=True, read_only=True)
    proposed_by = PersonRefSerializer()
    decided_by = PersonRefSerializer(allow_null=True)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = PublicationProposal
        fields = ["id", "request", "revises", "state", "state_label", "version", "proposed_text", "files",
                  "proposed_by", "proposed_at", "decided_by", "decided_at", "agreed_text", "reasons"]


class ProposeInput(serializers.Serializer):
    request = serializers.CharField(max_length=30, help_text="The reference of the request.")
    text = serializers.CharField(max_length=services.TEXT_MAX, help_text="What the requester proposes to publish.")
    revises = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.ID_MAX,
                                       help_text="The refused, or changed, proposal this one revises.")
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list,
                                  help_text="Send as multipart/form-data: a draft page or table, checked by content.")


class DecideInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    outcome = serializers.ChoiceField(choices=DECISION_CHOICES)
    agreed_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                        help_text="Agree with changes: the text as agreed.")
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASONS_MAX,
                                    help_text="Refuse, or agree with changes: why.")


class WithdrawInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASONS_MAX)
