"""The escalations API (§13–14): escalations I may see, one escalation, escalating a request, and each rung's
outcome, going up, closing and withdrawing. POST /api/escalations/ for an HO→IASC request answers 400 in §14's
words: the Commissioner's decision is final."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from concordat import limits
from concordat.errors import Problem, RuleViolation
from escalations import serializers, services
from escalations.cases import ESCALATIONS
from sharing.permissions import visible_requests


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escalations of requests up the protocol's ladder (§13)."""

    serializer_class = serializers.EscalationSerializer
    lookup_value_regex = limits.ID_PATTERN

    def get_queryset(self):
        return (ESCALATIONS.visible(self.request.user)
                .select_related("request", "opened_by__organisation")
                .prefetch_related("steps__decided_by__organisation").order_by("-opened_at", "-pk"))

    def _parsed(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(serializers.EscalationSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=serializers.EscalateSerializer, responses={201: serializers.EscalationSerializer})
    def create(self, request):
        data = self._parsed(serializers.EscalateSerializer)
        target = visible_requests(request.user).filter(reference=data["request"]).first()
        if target is None:  # unknown or unseen: the same words, so nothing says it exists
            raise RuleViolation(Problem("No such request, or you cannot see it.", field="request"))
        escalation = services.escalate(target, by=request.user, grounds=data["grounds"], reasons=data["reasons"],
                                       ho_objections=data["ho_objections"], attempts=data["attempts_to_resolve"],
                                       expected_version=data["version"])
        return self._answer(escalation.pk, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DecideEscalationSerializer, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.DecideEscalationSerializer)
        services.decide(target, by=request.user, outcome=data["outcome"], note=data["note"],
                        expected_version=data["version"])
        return self._answer(target.pk)

    @extend_schema(request=serializers.GoUpSerializer, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"], url_path="go-up")
    def go_up(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.GoUpSerializer)
        services.go_up(target, by=request.user, expected_version=data["version"], rung=data["rung"],
                       exceptional_circumstances=data["exceptional_circumstances"], note=data["note"])
        return self._answer(target.pk)

    @extend_schema(request=serializers.VersionedNote, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.VersionedNote)
        services.close(target, by=request.user, expected_version=data["version"], note=data["note"])
        return self._answer(target.pk)

    @extend_schema(request=serializers.VersionedNote, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        target = self.get_object()
        data = self._parsed(serializers.VersionedNote)
        services.withdraw(target, by=request.user, expected_version=data["version"], note=data["note"])
        return self._answer(target.pk)
