"""The personal-data record in the API (§15–17, Annex B): what is recorded, what is still missing, and the body of
a change. Bounds are the model's; choices are the legislation's (dataprotection.legislation)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from concordat import limits
from dataprotection.legislation import (
    Article6Basis,
    Article9Condition,
    Article10Authority,
    Schedule1Condition,
)
from dataprotection.models import DATA_ITEMS_MAX, ITEM_MAX, SHORT_MAX, TEXT_MAX, DataItem, PersonalDataRecord
from sharing.serializers import PersonRefSerializer


class DataItemSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=ITEM_MAX, allow_blank=True, help_text="The item of personal data.")
    reason = serializers.CharField(max_length=TEXT_MAX, allow_blank=True, help_text="Why it is needed.")


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, read_only=True)
    clause = serializers.CharField(allow_null=True, read_only=True)
    message = serializers.CharField(read_only=True)


class DataItemOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataItem
        fields = ["item", "reason"]
        read_only_fields = fields


class PersonalDataRecordSerializer(serializers.ModelSerializer):
    """The record as it stands (version 0 and empty when none is recorded yet), and `problems`: each piece still
    missing, with its field and clause (empty when complete, or when the request needs no record)."""

    # Choices with "" for not given, so the OpenAPI document says an empty value may come back.
    article6_basis = serializers.ChoiceField(choices=Article6Basis.choices, allow_blank=True, read_only=True)
    article9_condition = serializers.ChoiceField(choices=Article9Condition.choices, allow_blank=True, read_only=True)
    schedule1_condition = serializers.ChoiceField(choices=Schedule1Condition.choices, allow_blank=True,
                                                  read_only=True)
    article10_authority = serializers.ChoiceField(choices=Article10Authority.choices, allow_blank=True,
                                                  read_only=True)
    criminal_schedule1_condition = serializers.ChoiceField(choices=Schedule1Condition.choices, allow_blank=True,
                                                           read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Empty before the first save.")
    data_items = serializers.SerializerMethodField()
    updated_by = PersonRefSerializer(read_only=True, allow_null=True)
    confirmed_by = PersonRefSerializer(read_only=True, allow_null=True)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True,
                                         help_text="§17: the holder confirmed this version of the record.")
    needed = serializers.SerializerMethodField(help_text="Whether the request's personal data needs the record.")
    problems = serializers.SerializerMethodField()

    class Meta:
        model = PersonalDataRecord
        fields = ["version", "article6_basis", "article9_condition", "schedule1_condition", "policy_document",
                  "article10_authority", "criminal_schedule1_condition", "statutory_power", "necessity",
                  "data_items", "retention", "deletion", "dpia_reference", "dpo_view", "individual_rights",
                  "updated_by", "updated_at", "confirmed", "confirmed_by", "confirmed_at", "confirmed_version",
                  "confirmation_note", "needed", "problems"]
        read_only_fields = fields

    @extend_schema_field(DataItemOutSerializer(many=True))
    def get_data_items(self, record) -> list:
        return DataItemOutSerializer(record.items.all(), many=True).data if record.pk else []

    def get_needed(self, record) -> bool:
        from dataprotection import rules

        return rules.needs_record(record.request)

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, record) -> list:
        from dataprotection import rules

        request = record.request
        if not rules.needs_record(request):
            return []
        return [p.as_dict() for p in rules.record_problems(request, record if record.pk else None)]


def _choice(choices, help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[("", "Not given"), *choices], required=False, allow_blank=True,
                                   help_text=help_text)


def _text(limit: int, help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=limit, required=False, allow_blank=True, help_text=help_text)


class PersonalDataWriteSerializer(serializers.Serializer):
    """A change to the record: the fields sent are set, those left out are kept; `data_items`, when sent, replaces
    the items. `version` is the record's version as loaded (0 before there is one)."""

    version = serializers.IntegerField(min_value=0, max_value=limits.COUNTER_MAX)
    article6_basis = _choice(Article6Basis.choices, "UK GDPR Article 6(1) lawful basis.")
    article9_condition = _choice(Article9Condition.choices, "UK GDPR Article 9(2) condition (special category).")
    schedule1_condition = _choice(Schedule1Condition.choices, "DPA 2018 Schedule 1 paragraph (special category).")
    policy_document = _text(SHORT_MAX, "The appropriate policy document's reference (DPA 2018 Sch 1 Part 4).")
    article10_authority = _choice(Article10Authority.choices, "UK GDPR Article 10 authority (criminal offence).")
    criminal_schedule1_condition = _choice(Schedule1Condition.choices,
                                           "DPA 2018 Schedule 1 paragraph (criminal offence data, s10(5)).")
    statutory_power = _text(SHORT_MAX, "The statutory power relied on, e.g. Modern Slavery Act 2015 s41.")
    necessity = _text(TEXT_MAX, "Why sharing is necessary (§15, Annex B).")
    data_items = serializers.ListField(child=DataItemSerializer(), required=False, max_length=DATA_ITEMS_MAX,
                                       help_text=f"At most {DATA_ITEMS_MAX} items, each with why it is needed.")
    retention = _text(TEXT_MAX, "How long it is kept.")
    deletion = _text(TEXT_MAX, "How it is deleted.")
    dpia_reference = _text(SHORT_MAX, "The data protection impact assessment's reference.")
    dpo_view = _text(TEXT_MAX, "The data protection officer's view, where there is no DPIA.")
    individual_rights = _text(TEXT_MAX, "How individuals' rights are met.")


class ConfirmSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, max_value=limits.COUNTER_MAX,
                                       help_text="The record's version as you read it.")
    note = serializers.CharField(max_length=limits.NOTE_MAX, required=False, allow_blank=True, default="")
