"""The API of datasets and releases (§15): the same services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from releases import datasets, services
from releases.cases import RELEASES
from releases.serializers import (
    ConsolidateInput,
    DatasetInput,
    DatasetSerializer,
    DeliverInput,
    ReleaseInput,
    ReleaseSerializer,
    ReviseInput,
    VerdictInput,
    VersionNoteInput,
)
from sharing import permissions as request_permissions
from workflow.api import CaseActions


class DatasetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your department's datasets, newest first; upload one as multipart/form-data."""

    serializer_class = DatasetSerializer
    lookup_value_regex = limits.ID_PATTERN
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return (datasets.visible(self.request.user).select_related("uploaded_by__organisation")
                .prefetch_related("columns").order_by("-uploaded_at", "-pk"))

    @extend_schema(request=DatasetInput, responses={201: DatasetSerializer})
    def create(self, request):
        if not datasets.may_upload(request.user):
            raise NotAllowed(Problem(f"Only {datasets.WHO_UPLOADS} can upload a dataset.", field="file"))
        data = DatasetInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dataset = datasets.upload(values["file"], by=request.user, title=values["title"],
                                  classification=values["classification"],
                                  personal_data_category=values["personal_data_category"],
                                  data_source=values["data_source"], roles=values["roles"])
        return Response(DatasetSerializer(self.get_queryset().get(pk=dataset.pk)).data, status=status.HTTP_201_CREATED)


class ReleaseViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Releases you can see: yours, and, for output checkers and auditors, your department's."""

    serializer_class = ReleaseSerializer
    lookup_value_regex = limits.ID_PATTERN

    def get_queryset(self):
        return (RELEASES.visible(self.request.user).select_related("request", "dataset", "author__organisation")
                .order_by("-pk"))

    @extend_schema(request=ReleaseInput, responses={201: ReleaseSerializer})
    def create(self, request):
        data = self.parsed(ReleaseInput)
        values = data.validated_data
        target = (request_permissions.visible_requests(request.user).filter(reference=values["request"]).first())
        if target is None:
            raise RuleViolation(Problem("No such request, or you cannot see it.", field="request"))
        release = services.draft(target, by=request.user, dataset=values["dataset"], kind=values["kind"],
                                 title=values["title"], spec=data.spec(values["kind"]), policy=values.get("policy"))
        return self.answer(release, status.HTTP_201_CREATED)

    @extend_schema(request=ReviseInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        target = self.get_object()
        data = self.parsed(ReviseInput)
        values = data.validated_data
        return self.answer(services.revise(target, by=request.user, expected_version=values["version"],
                                           title=values.get("title"), spec=data.spec(target.kind),
                                           policy=values.get("policy")))

    @extend_schema(request=VersionNoteInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.case_action(VersionNoteInput, services.submit, "note")

    @extend_schema(request=VerdictInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self.case_action(VerdictInput, services.check, "verdict", "note")

    @extend_schema(request=ConsolidateInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def consolidate(self, request, pk=None):
        return self.case_action(ConsolidateInput, services.consolidate, "outcome", "note")

    @extend_schema(request=DeliverInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self.case_action(DeliverInput, services.deliver, "description")

    @extend_schema(request=VersionNoteInput, responses=ReleaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.case_action(VersionNoteInput, services.withdraw, "note")
