"""The retention API's shapes (ADR 33). Every text has the service's bound (concordat/limits.py)."""

from __future__ import annotations

from rest_framework import serializers

from concordat import limits
from retention.models import METHOD_MAX, Retention
from sharing.serializers import PersonRefSerializer


class RetainedFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    disposed = serializers.BooleanField(help_text="Its data key destroyed and its ciphertext deleted (ADR 32).")


class RetentionSerializer(serializers.ModelSerializer):
    request = serializers.CharField(source="request.reference")
    delivery = serializers.IntegerField(source="delivery_id")
    held_by = serializers.CharField(source="request.requester_org.slug", help_text="The organisation that received "
                                    "it and disposes of it.")
    marking = serializers.CharField(source="delivery.marking")
    state_label = serializers.CharField(source="get_state_display")
    disposed_by = PersonRefSerializer(allow_null=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = Retention
        fields = ["id", "request", "delivery", "held_by", "marking", "keep_until", "state", "state_label", "version",
                  "disposed_by", "disposed_at", "method", "files"]

    def get_files(self, retention) -> list[dict]:
        return RetainedFileSerializer([
            {"id": f.pk, "original_name": f.original_name, "sha256": f.sha256, "size": f.size,
             "disposed": getattr(getattr(f, "vault_file", None), "is_disposed", True)}
            for f in retention.delivery.files.all()], many=True).data


class DisposeInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    method = serializers.CharField(max_length=METHOD_MAX, allow_blank=True, trim_whitespace=False,
                                   help_text="How it was disposed of, copies outside Concordat included (element (g)).")
    confirmed = serializers.BooleanField(help_text="true: the files are destroyed and cannot be recovered.")
