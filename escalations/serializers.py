"""What the escalations API reads and answers (§13–14)."""

from __future__ import annotations

from rest_framework import serializers

from concordat import limits
from escalations.models import Escalation, EscalationStep
from escalations.states import Grounds, Outcome
from sharing.serializers import PersonRefSerializer

TEXT = {"max_length": limits.NOTE_MAX, "allow_blank": True, "required": False, "default": ""}


class EscalationStepSerializer(serializers.ModelSerializer):
    decided_by = PersonRefSerializer(allow_null=True)

    class Meta:
        model = EscalationStep
        fields = ["position", "rung_key", "role", "reached_at", "decided_by", "decided_at", "outcome", "note"]


class EscalationSerializer(serializers.ModelSerializer):
    request = serializers.CharField(source="request.reference", help_text="The request's reference.")
    opened_by = PersonRefSerializer()
    state_label = serializers.CharField(source="get_state_display")
    steps = EscalationStepSerializer(many=True)

    class Meta:
        model = Escalation
        fields = ["id", "request", "state", "state_label", "version", "position", "rung_key", "rung_role",
                  "grounds", "opened_by", "opened_at", "reasons", "ho_objections", "attempts_to_resolve",
                  "exceptional_circumstances", "finished_at", "steps"]


class EscalateSerializer(serializers.Serializer):
    """§13: the request, the reasons for it, the HO's objections and the attempts made to resolve the matter."""

    request = serializers.CharField(max_length=30, help_text="The reference of the IASC→HO request to escalate.")
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX,
                                       help_text="The request's version, as you loaded it.")
    grounds = serializers.ChoiceField(choices=Grounds.choices)
    reasons = serializers.CharField(max_length=limits.NOTE_MAX, allow_blank=True)
    ho_objections = serializers.CharField(max_length=limits.NOTE_MAX, allow_blank=True)
    attempts_to_resolve = serializers.CharField(max_length=limits.NOTE_MAX, allow_blank=True)


class VersionedNote(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    note = serializers.CharField(**TEXT)


class DecideEscalationSerializer(VersionedNote):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class GoUpSerializer(VersionedNote):
    rung = serializers.CharField(max_length=60, allow_blank=True, required=False, default="",
                                 help_text="The next rung's key, if you name it: never one above it (§13).")
    exceptional_circumstances = serializers.CharField(**TEXT)
