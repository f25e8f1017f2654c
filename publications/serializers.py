"""The publication API's shapes (§7(b), §9(b)). Every text has the service's bound (concordat/limits.py)."""

from __future__ import annotations

from rest_framework import serializers

from concordat import limits
from publications import services
from publications.models import PublicationProposal
from publications.states import DECISIONS
from sharing.serializers import PersonRefSerializer


class PublicationProposalSerializer(serializers.ModelSerializer):
    request = serializers.CharField(source="request.reference")
    proposed_by = PersonRefSerializer()
    decided_by = PersonRefSerializer(allow_null=True)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = PublicationProposal
        fields = ["id", "request", "revises", "state", "state_label", "version", "proposed_text", "proposed_by",
                  "proposed_at", "decided_by", "decided_at", "agreed_text", "reasons"]


class ProposeInput(serializers.Serializer):
    request = serializers.CharField(max_length=30, help_text="The reference of the request.")
    text = serializers.CharField(max_length=services.TEXT_MAX, help_text="What the requester proposes to publish.")
    revises = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.ID_MAX,
                                       help_text="The refused, or changed, proposal this one revises.")


class DecideInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    outcome = serializers.ChoiceField(choices=[action.value for action in DECISIONS])
    agreed_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                        help_text="Agree with changes: the text as agreed.")
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASONS_MAX,
                                    help_text="Refuse, or agree with changes: why.")


class WithdrawInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.REASONS_MAX)
