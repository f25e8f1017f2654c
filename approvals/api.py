"""The approvals API: what I may decide, one approval, and the three outcomes (§10, §17)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from approvals import services
from approvals.cases import APPROVALS
from approvals.filters import ApprovalFilter
from concordat import limits
from sharing.serializers import ApprovalSerializer
from workflow.api import CaseActions


class VersionedText(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=limits.COUNTER_MAX)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                 help_text="The note (approve), the reasons (refuse) or the question (return).")


class ApprovalViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Approvals asked for on requests; `?waiting=me` lists those you may decide now."""

    serializer_class = ApprovalSerializer
    filterset_class = ApprovalFilter
    lookup_value_regex = limits.ID_PATTERN

    def get_queryset(self):
        approvals = APPROVALS.visible(self.request.user).select_related("requested_by__organisation",
                                                                        "decided_by__organisation")
        return approvals.order_by("-requested_at", "-pk")

    @extend_schema(request=VersionedText, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.case_action(VersionedText, services.approve, note="text")

    @extend_schema(request=VersionedText, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.case_action(VersionedText, services.refuse, reasons="text")

    @extend_schema(request=VersionedText, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_justification(self, request, pk=None):
        return self.case_action(VersionedText, services.ask_for_justification, question="text")
