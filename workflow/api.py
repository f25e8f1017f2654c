"""What every case type's API shares (CaseActions: one action's load, parse, service call and answer), and the
notifications API: what happened to my cases, and marking it read (the page's functions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from concordat.api_filters import YES_OR_NO
from concordat.links import absolute_url
from workflow import notify, work
from workflow.models import Notification


class CaseActions:
    """For a case type's viewset: each action loads the case the person may see (else 404), validates the body
    (`version` among it, the version the client loaded), runs the service (ADR 4: it checks permission, locks,
    compares the version and audits) and answers with the case as it now is, as GET shows it. The service's
    refusals become JSON naming the field and the clause in concordat.api_errors: RuleViolation 400,
    StaleObject 409, NotAllowed 403 (ADR 49)."""

    def parsed(self, input_class) -> serializers.Serializer:
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data

    def fresh(self, pk: int):
        """The case as its GET would show it, after the change."""
        return self.get_queryset().get(pk=pk)

    answer_class = None  # what an action answers with; the viewset's serializer_class when None

    def answer(self, case, code: int = status.HTTP_200_OK) -> Response:
        shown = self.fresh(case.pk)
        answer_class = self.answer_class or self.serializer_class
        return Response(answer_class(shown, context=self.get_serializer_context()).data, status=code)

    def case_action(self, input_class, service: Callable[..., Any], *fields: str, code: int = status.HTTP_200_OK,
                    **arguments: str | Callable[[dict], Any]) -> Response:
        """Run `service(case, by=, expected_version=, ...)` with the validated body: each of `fields` under its
        own name, each of `arguments` from the field it names (`note="text"`) or computed from the body
        (`dpia=lambda values: …`); a field left out of the body is None.

        One page (workflow.work.one_page) from the load to the answer: the person's visibility filter, asked of the
        same person to find the case and again to show it afterwards, is built once (ADR 61). It is evaluated by
        the database in both queries, so the answer still shows only what the person may see after the change."""
        with work.one_page():
            case = self.get_object()
            values = self.parsed(input_class).validated_data
            arguments = {**{name: name for name in fields}, **arguments}
            service(case, by=self.request.user, expected_version=values["version"],
                    **{name: source(values) if callable(source) else values.get(source)
                       for name, source in arguments.items()})
            return self.answer(case, code)


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
