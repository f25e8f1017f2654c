"""The arrangements API's shapes (§16). Every text is bounded (concordat.limits); the services decide the rest."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from arrangements.models import DPIA_REFERENCE_MAX, TITLE_MAX, Arrangement
from arrangements.services import PARTIES_MAX
from arrangements.states import DpiaOutcome
from concordat import limits


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]


class ArrangementSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    personal_data_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    drafted_by = serializers.StringRelatedField()
    signed_off_by = serializers.StringRelatedField(allow_null=True)
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Arrangement
        fields = ["id", "reference", "title", "state", "version", "parties", "purpose", "data_items",
                  "personal_data_categories", "lawful_basis", "dpia_reference", "dpia_completed_on", "dpia_outcome",
                  "starts_on", "review_on", "ends_on", "review_overdue", "drafted_by", "drafted_at",
                  "signed_off_by", "signed_off_at", "last_reviewed_at"]
        read_only_fields = fields

    def get_review_overdue(self, arrangement) -> bool:
        from django.utils import timezone

        return arrangement.state == "active" and arrangement.review_on < timezone.localdate()


class _Fields(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    parties = serializers.ListField(child=serializers.SlugField(max_length=50), max_length=PARTIES_MAX,
                                    required=False, help_text="Organisation slugs: yours and at least one other.")
    purpose = serializers.CharField(max_length=limits.ELEMENT_MAX, required=False, allow_blank=True)
    data_items = serializers.CharField(max_length=limits.ELEMENT_MAX, required=False, allow_blank=True)
    personal_data_categories = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                                     required=False)
    lawful_basis = serializers.CharField(max_length=limits.ELEMENT_MAX, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    dpia_reference = serializers.CharField(max_length=DPIA_REFERENCE_MAX, required=False, allow_blank=True)
    dpia_completed_on = serializers.DateField(required=False, allow_null=True)
    dpia_outcome = serializers.ChoiceField(choices=DpiaOutcome.choices, required=False, allow_blank=True)

    def fields_given(self) -> dict:
        return {name: value for name, value in self.validated_data.items() if name not in ("parties", "version")}

    def parties_given(self):
        slugs = self.validated_data.get("parties")
        if slugs is None:
            return None
        found = {org.slug: org.pk for org in Organisation.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise serializers.ValidationError({"parties": f"No such organisation: {', '.join(missing)}."})
        return [found[slug] for slug in slugs]


class ArrangementCreateSerializer(_Fields):
    pass


class ArrangementUpdateSerializer(_Fields):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX,
                                       help_text="The version you loaded; a changed arrangement answers 409.")


class ArrangementNoteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    text = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True, default="",
                                 help_text="A note (sign off, resume) or the reasons (suspend, end).")


class ArrangementReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    next_review_on = serializers.DateField()
    note = serializers.CharField(max_length=limits.NOTE_MAX, allow_blank=True, help_text="What the review found.")
    dpia_reference = serializers.CharField(max_length=DPIA_REFERENCE_MAX, required=False, allow_blank=True)
    dpia_completed_on = serializers.DateField(required=False, allow_null=True)
    dpia_outcome = serializers.ChoiceField(choices=DpiaOutcome.choices, required=False, allow_blank=True)
