"""The notifications API: what happened to my cases, and marking it read (the page's functions)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from concordat.api_filters import YES_OR_NO
from concordat.links import absolute_url
from workflow import notify
from workflow.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "case_kind", "case_reference", "kind", "marking", "subject", "sent_at", "read_at", "url"]

    def get_url(self, notification) -> str | None:
        return absolute_url(notification.link) if notification.link else None


class MarkRead(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
                                max_length=1000, help_text="Only these; all of yours when left out.")


class MarkedRead(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(choices=YES_OR_NO, method="filter_unread",
                                         help_text="true for those not yet read, false for those read.")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first; `?unread=true` for those not yet read."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()  # for the schema; get_queryset gives each person their own

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user)

    @extend_schema(request=MarkRead, responses=MarkedRead)
    @action(detail=False, methods=["post"])
    def read(self, request):
        data = MarkRead(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notify.mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": marked, "unread": notify.unread_count(request.user)})
