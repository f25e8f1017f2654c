"""The publication API: proposals I may see, putting one forward, the holder's decision, withdrawing (§7(b),
§9(b)). The same services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.views import APIView

from concordat import limits
from concordat.errors import Problem, RuleViolation
from publications import services
from publications.cases import PUBLICATIONS
from publications.serializers import DecideInput, ProposeInput, PublicationProposalSerializer, WithdrawInput
from sharing import permissions as request_permissions
from sharing.downloads import DOWNLOAD_RESPONSES, serve_download
from workflow.api import CaseActions


class PublicationProposalViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals to publish information shared on requests you can see, newest first."""

    serializer_class = PublicationProposalSerializer
    lookup_value_regex = limits.ID_PATTERN
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (PUBLICATIONS.visible(self.request.user)
                .select_related("request", "proposed_by__organisation", "decided_by__organisation")
                .prefetch_related("files")
                .order_by("-proposed_at", "-pk"))

    @extend_schema(request=ProposeInput, responses={201: PublicationProposalSerializer})
    def create(self, request):
        data = self.parsed(ProposeInput)
        target = (request_permissions.visible_requests(request.user)
                  .filter(reference=data.validated_data["request"]).first())
        if target is None:  # the same answer whether it exists or not: a 400 naming the field, as for any bad value
            raise RuleViolation(Problem("No such request, or you cannot see it.", field="request"))
        proposal = services.propose(target, by=request.user, text=data.validated_data["text"],
                                    revises=data.validated_data.get("revises"), uploads=data.validated_data["files"])
        return self.answer(proposal, status.HTTP_201_CREATED)

    @extend_schema(request=DecideInput, responses=PublicationProposalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.case_action(DecideInput, services.decide, "outcome", "agreed_text", "reasons")

    @extend_schema(request=WithdrawInput, responses=PublicationProposalSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.case_action(WithdrawInput, services.withdraw, "note")


class PublicationFileDownloadView(APIView):
    """A file put forward with a proposal, always as an attachment, only to people who may see its request."""

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    def get(self, request, pk: int):
        return serve_download(services.file_for_download, pk, request)  # 404 whether the file exists or not
