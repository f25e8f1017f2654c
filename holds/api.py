"""The holds API: every hold (for everyone signed in), one hold with its history, placing one, and its review and
lifting. Thin: the same services as the pages."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from accounts.models import User
from concordat import limits
from holds import serializers, services
from holds.cases import HOLDS
from holds.models import Hold
from holds.states import HoldState
from workflow.api import CaseActions


class HoldFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=HoldState.choices)

    class Meta:
        model = Hold
        fields = ["state"]


class HoldViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Processing holds, seen by everyone signed in at either organisation; `?state=in_force` filters."""

    serializer_class = serializers.HoldSerializer
    filterset_class = HoldFilter
    lookup_value_regex = limits.ID_PATTERN
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (HOLDS.visible(self.request.user).select_related("owner", "department")
                .prefetch_related("events__actor").order_by("state", "next_review_on", "pk"))

    @extend_schema(request=serializers.HoldPlaceSerializer, responses={201: serializers.HoldSerializer})
    def create(self, request):
        """Place a hold: an approver or data protection officer of a government department."""
        fields = dict(self.parsed(serializers.HoldPlaceSerializer).validated_data)
        username = fields.pop("owner", "")
        owner = User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None
        hold = services.place(by=request.user, fields={**fields, "owner": owner})
        return self.answer(hold, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.HoldReviewSerializer, responses=serializers.HoldSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self.case_action(serializers.HoldReviewSerializer, services.review, "next_review_on",
                                note=lambda values: values.get("note", ""))

    @extend_schema(request=serializers.HoldLiftSerializer, responses=serializers.HoldSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        return self.case_action(serializers.HoldLiftSerializer, services.lift, "note",
                                lifted_because=lambda values: values.get("lifted_because", ""))
