"""The arrangements API (§16): the register, one arrangement, drafting and changing it, and its actions.
Thin: the same services as the pages; an arrangement you may not see is a 404."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from arrangements import serializers, services
from arrangements.cases import ARRANGEMENTS
from arrangements.models import Arrangement
from arrangements.states import ArrangementState
from concordat import limits
from workflow.api import CaseActions


class ArrangementFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ArrangementState.choices)

    class Meta:
        model = Arrangement
        fields = ["state"]


class ArrangementViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Data sharing arrangements your organisation is party to (§16); `?state=active` filters."""

    serializer_class = serializers.ArrangementSerializer
    filterset_class = ArrangementFilter
    lookup_value_regex = limits.ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (ARRANGEMENTS.visible(self.request.user).select_related("drafted_by", "signed_off_by")
                .prefetch_related("parties").order_by("review_on", "pk"))

    @extend_schema(request=serializers.ArrangementCreateSerializer,
                   responses={201: serializers.ArrangementSerializer})
    def create(self, request):
        data = self.parsed(serializers.ArrangementCreateSerializer)
        made = services.create(by=request.user, parties=data.parties_given() or [], fields=data.fields_given())
        return self.answer(made, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ArrangementUpdateSerializer, responses=serializers.ArrangementSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self.parsed(serializers.ArrangementUpdateSerializer)
        services.update(target, by=request.user, expected_version=data.validated_data["version"],
                        fields=data.fields_given(), parties=data.parties_given())
        return self.answer(target)

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """§16: an approver or data protection officer of a party who did not draft it; the DPIA recorded."""
        return self.case_action(serializers.ArrangementNoteSerializer, services.sign_off, note="text")

    @extend_schema(request=serializers.ArrangementReviewSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self.case_action(serializers.ArrangementReviewSerializer, services.review, "next_review_on", "note",
                                dpia=lambda values: {name: values.get(name) for name in services.DPIA_FIELDS})

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self.case_action(serializers.ArrangementNoteSerializer, services.suspend, reasons="text")

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self.case_action(serializers.ArrangementNoteSerializer, services.resume, note="text")

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self.case_action(serializers.ArrangementNoteSerializer, services.end, reasons="text")
