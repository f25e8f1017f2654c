"""The escalations API (§13–14): escalations I may see, one escalation, escalating a request, and each rung's
outcome, going up, closing and withdrawing. POST /api/escalations/ for an HO→IASC request answers 400 in §14's
words: the Commissioner's decision is final."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from concordat import limits
from concordat.errors import Problem, RuleViolation
from escalations import serializers, services
from escalations.cases import ESCALATIONS
from sharing.permissions import visible_requests
from workflow.api import CaseActions


class EscalationViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escalations of requests up the protocol's ladder (§13)."""

    serializer_class = serializers.EscalationSerializer
    lookup_value_regex = limits.ID_PATTERN

    def get_queryset(self):
        return (ESCALATIONS.visible(self.request.user)
                .select_related("request", "opened_by__organisation")
                .prefetch_related("steps__decided_by__organisation").order_by("-opened_at", "-pk"))

    @extend_schema(request=serializers.EscalateSerializer, responses={201: serializers.EscalationSerializer})
    def create(self, request):
        data = self.parsed(serializers.EscalateSerializer).validated_data
        target = visible_requests(request.user).filter(reference=data["request"]).first()
        if target is None:  # unknown or unseen: the same words, so nothing says it exists
            raise RuleViolation(Problem("No such request, or you cannot see it.", field="request"))
        escalation = services.escalate(target, by=request.user, grounds=data["grounds"], reasons=data["reasons"],
                                       ho_objections=data["ho_objections"], attempts=data["attempts_to_resolve"],
                                       expected_version=data["version"])
        return self.answer(escalation, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DecideEscalationSerializer, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.case_action(serializers.DecideEscalationSerializer, services.decide, "outcome", "note")

    @extend_schema(request=serializers.GoUpSerializer, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"], url_path="go-up")
    def go_up(self, request, pk=None):
        return self.case_action(serializers.GoUpSerializer, services.go_up, "rung",
                                "exceptional_circumstances", "note")

    @extend_schema(request=serializers.VersionedNote, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.case_action(serializers.VersionedNote, services.close, "note")

    @extend_schema(request=serializers.VersionedNote, responses=serializers.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.case_action(serializers.VersionedNote, services.withdraw, "note")
