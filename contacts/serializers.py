"""The §18 directory's API shapes. Organisations by slug; every text bounded as the model bounds it."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from concordat import limits
from contacts.models import EMAIL_MAX, NAME_MAX, PHONE_MAX, ROLE_MAX, Contact, Unit
from sharing.serializers import PersonRefSerializer


class UnitSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    last_checked_by = PersonRefSerializer(allow_null=True)
    check_due = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "organisation", "name", "version", "last_checked_at", "last_checked_by", "check_due"]

    def get_check_due(self, unit) -> bool:
        return unit.check_due(timezone.now())


class ContactSerializer(UnitSerializer):
    unit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "organisation", "unit", "name", "role_title", "email", "phone", "version",
                  "last_checked_at", "last_checked_by", "check_due"]


class UnitInput(serializers.Serializer):
    organisation = serializers.SlugField(max_length=50, help_text="The slug of the department or body.")
    name = serializers.CharField(max_length=NAME_MAX)


class ContactFields(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX, required=False)
    role_title = serializers.CharField(max_length=ROLE_MAX, required=False)
    email = serializers.CharField(max_length=EMAIL_MAX, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=PHONE_MAX, required=False, allow_blank=True)
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.ID_MAX)


class ContactInput(ContactFields):
    organisation = serializers.SlugField(max_length=50, help_text="The slug of the department or body.")


class ContactChange(ContactFields):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)


class CheckInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
