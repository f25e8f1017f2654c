"""The holds API's shapes. Every input is bounded (concordat.limits); the services decide the rest."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from concordat import limits
from holds import presenting
from holds.models import LIFTED_BECAUSE_MAX, TITLE_MAX, Hold
from holds.services import LIST_MAX
from protocols.scope import DataSource, Purpose


class HoldEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.StringRelatedField()
    occurred_at = serializers.DateTimeField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    next_review_on = serializers.SerializerMethodField()

    def get_next_review_on(self, event) -> str | None:
        return (event.details or {}).get("next_review_on")


class HoldSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    department = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = serializers.StringRelatedField()
    purposes = serializers.ListField(child=serializers.CharField(), read_only=True)
    personal_data_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    age_days = serializers.SerializerMethodField()
    review_overdue = serializers.SerializerMethodField()
    history = HoldEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Hold
        fields = ["id", "reference", "title", "state", "version", "department", "data_source", "purposes",
                  "personal_data_categories", "reason", "advice", "owner", "began_on", "age_days", "next_review_on",
                  "review_overdue", "lifting_conditions", "placed_at", "last_reviewed_at", "lifted_at",
                  "lifted_because", "history"]
        read_only_fields = fields

    def get_age_days(self, hold) -> int:
        return presenting.age_days(hold)

    def get_review_overdue(self, hold) -> bool:
        return hold.state == "in_force" and hold.next_review_on < timezone.localdate()


class HoldPlaceSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    data_source = serializers.ChoiceField(choices=DataSource.choices, required=False, allow_blank=True)
    purposes = serializers.ListField(child=serializers.CharField(max_length=40), max_length=LIST_MAX,
                                     required=False, help_text=f"Any of: {', '.join(Purpose.values)}.")
    personal_data_categories = serializers.ListField(child=serializers.CharField(max_length=40),
                                                     max_length=LIST_MAX, required=False)
    reason = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True)
    advice = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                  help_text="The owner's username: a person of your department.")
    began_on = serializers.DateField(required=False, allow_null=True)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    lifting_conditions = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True)


class HoldReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX,
                                       help_text="The version you loaded; a changed hold answers 409.")
    next_review_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True,
                                 help_text="What the review found.")


class HoldLiftSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    lifted_because = serializers.CharField(max_length=LIFTED_BECAUSE_MAX, required=False, allow_blank=True,
                                           help_text="What lifted it, e.g. the Contract Change Notice.")
    note = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True, default="")
