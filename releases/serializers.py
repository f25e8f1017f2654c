"""The API's shapes for datasets and releases (§15). Bounded inputs; a verdict is shown to the other checker only
once both are given (services.visible_checks)."""

from __future__ import annotations

from rest_framework import serializers

from concordat import limits
from protocols.scope import DataSource
from releases import datasets, services
from releases.models import ColumnRole, Dataset, DatasetColumn, Release, ReleaseCheck
from releases.states import Outcome, ReleaseKind, Verdict
from sharing.serializers import PersonRefSerializer

NAMES_MAX = 500


class DatasetColumnSerializer(serializers.ModelSerializer):
    class Meta:
        model = DatasetColumn
        fields = ["position", "name", "dtype", "role", "distinct", "nulls"]


class DatasetSerializer(serializers.ModelSerializer):
    columns = DatasetColumnSerializer(many=True, read_only=True)
    uploaded_by = PersonRefSerializer()

    class Meta:
        model = Dataset
        fields = ["id", "title", "classification", "personal_data_category", "data_source", "file_format", "rows",
                  "uploaded_by", "uploaded_at", "columns"]


class DatasetInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text="Send as multipart/form-data: CSV or Parquet.")
    title = serializers.CharField(max_length=datasets.TITLE_MAX)
    classification = serializers.CharField(max_length=40)
    personal_data_category = serializers.CharField(max_length=40)
    data_source = serializers.ChoiceField(choices=DataSource.choices)
    roles = serializers.DictField(child=serializers.ChoiceField(choices=ColumnRole.choices), required=False,
                                  default=dict, help_text="Column name -> role; columns not named are other.")

    def validate_roles(self, value):
        if len(value) > datasets.MAX_COLUMNS or any(len(k) > 200 for k in value):
            raise serializers.ValidationError(f"Name at most {datasets.MAX_COLUMNS} columns of 200 characters.")
        return value


class ReleaseCheckSerializer(serializers.ModelSerializer):
    checker = PersonRefSerializer()

    class Meta:
        model = ReleaseCheck
        fields = ["round", "checker", "verdict", "note", "given_at"]


class ReleaseSerializer(serializers.ModelSerializer):
    request = serializers.CharField(source="request.reference")
    author = PersonRefSerializer()
    state_label = serializers.CharField(source="get_state_display")
    checks = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["id", "request", "dataset", "kind", "title", "state", "state_label", "version", "round", "spec",
                  "policy", "result", "protection", "protection_error", "author", "created_at", "outcome", "delivery",
                  "checks"]

    def get_checks(self, release) -> list[dict]:
        user = self.context["request"].user
        return ReleaseCheckSerializer(services.visible_checks(release, user), many=True).data


class _Names(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(max_length=200), max_length=NAMES_MAX, **kwargs)


class ReleaseSpecInput(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX, required=False)
    dimensions = _Names(required=False)
    measure = serializers.ChoiceField(choices=["count", "sum", "mean"], required=False)
    column = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)
    hierarchies = serializers.BooleanField(required=False)
    policy = serializers.DictField(required=False, help_text="threshold, zeros_disclosive, rounding, "
                                   "rounding_base, redact_at_or_below, protection_fraction, protection_absolute, cost")
    quasi_identifiers = _Names(required=False)
    sensitive = _Names(required=False)
    k = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
    l = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)  # noqa: E741
    max_suppression = serializers.FloatField(required=False, min_value=0, max_value=1)

    def validate_policy(self, value):
        if len(value) > 20:
            raise serializers.ValidationError("At most 20 settings.")
        return value

    def spec(self, kind: str) -> dict:
        data = self.validated_data
        if kind == ReleaseKind.TABLE:
            return {"dimensions": data.get("dimensions", []), "measure": data.get("measure", "count"),
                    "column": data.get("column") or None, "hierarchies": data.get("hierarchies", False)}
        return {key: data[key] for key in ("quasi_identifiers", "sensitive", "k", "l", "max_suppression")
                if key in data}


class ReleaseInput(ReleaseSpecInput):
    request = serializers.CharField(max_length=30, help_text="The reference of the request.")
    dataset = serializers.IntegerField(min_value=1, max_value=limits.ID_MAX)
    kind = serializers.ChoiceField(choices=ReleaseKind.choices)
    title = serializers.CharField(max_length=services.TITLE_MAX)


class ReviseInput(ReleaseSpecInput):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)


class VersionNoteInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTE_MAX)


class VerdictInput(VersionNoteInput):
    verdict = serializers.ChoiceField(choices=Verdict.choices)


class ConsolidateInput(VersionNoteInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class DeliverInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTE_MAX)
