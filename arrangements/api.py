"""The arrangements API (§16): the register, one arrangement, drafting and changing it, and its actions.
Thin: the same services as the pages; an arrangement you may not see is a 404."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from arrangements import serializers, services
from arrangements.cases import ARRANGEMENTS
from arrangements.models import Arrangement
from arrangements.states import ArrangementState
from concordat import limits


class ArrangementFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ArrangementState.choices)

    class Meta:
        model = Arrangement
        fields = ["state"]


class ArrangementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Data sharing arrangements your organisation is party to (§16); `?state=active` filters."""

    serializer_class = serializers.ArrangementSerializer
    filterset_class = ArrangementFilter
    lookup_value_regex = limits.ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (ARRANGEMENTS.visible(self.request.user).select_related("drafted_by", "signed_off_by")
                .prefetch_related("parties").order_by("review_on", "pk"))

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(serializers.ArrangementSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def _parsed(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data

    @extend_schema(request=serializers.ArrangementCreateSerializer,
                   responses={201: serializers.ArrangementSerializer})
    def create(self, request):
        data = self._parsed(serializers.ArrangementCreateSerializer)
        made = services.create(by=request.user, parties=data.parties_given() or [], fields=data.fields_given())
        return self._answer(made.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ArrangementUpdateSerializer, responses=serializers.ArrangementSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.ArrangementUpdateSerializer)
        services.update(target, by=request.user, expected_version=data.validated_data["version"],
                        fields=data.fields_given(), parties=data.parties_given())
        return self._answer(target.pk)

    def _text_action(self, perform):
        target = self.get_object()
        data = self._parsed(serializers.ArrangementNoteSerializer)
        perform(target, self.request.user, data.validated_data["version"], data.validated_data["text"])
        return self._answer(target.pk)

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """§16: an approver or data protection officer of a party who did not draft it; the DPIA recorded."""
        return self._text_action(lambda a, by, v, text: services.sign_off(a, by=by, expected_version=v, note=text))

    @extend_schema(request=serializers.ArrangementReviewSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.ArrangementReviewSerializer).validated_data
        services.review(target, by=request.user, expected_version=data["version"],
                        next_review_on=data["next_review_on"], note=data["note"],
                        dpia={name: data.get(name) for name in services.DPIA_FIELDS})
        return self._answer(target.pk)

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._text_action(lambda a, by, v, text: services.suspend(a, by=by, expected_version=v, reasons=text))

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._text_action(lambda a, by, v, text: services.resume(a, by=by, expected_version=v, note=text))

    @extend_schema(request=serializers.ArrangementNoteSerializer, responses=serializers.ArrangementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._text_action(lambda a, by, v, text: services.end(a, by=by, expected_version=v, reasons=text))
