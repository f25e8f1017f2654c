"""The retention API: the deliveries held on requests you can see (?show=due|overdue|held|disposed), disposing of
one (element (g)), and its disposal certificate. The same services as the pages."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from concordat import limits
from documents.responses import attachment
from retention import services
from retention.models import Retention
from retention.serializers import DisposeInput, RetentionSerializer
from retention.views import LISTS
from workflow.api import CaseActions

SHOW = OpenApiParameter("show", str, enum=list(LISTS), description="Which cases: due (the default), overdue, held, "
                        "disposed.")


class RetentionViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries held on requests you can see, soonest to fall due first."""

    serializer_class = RetentionSerializer
    lookup_value_regex = limits.ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, drawn with no database (check --deploy)
            return Retention.objects.none()
        which = self.request.query_params.get("show", "due") if self.action == "list" else "all"
        queryset = (services.listed(self.request.user, today=timezone.localdate(), which=which)
                    if which in LISTS else services.RETENTION.visible(self.request.user))
        return queryset.select_related("request__requester_org", "delivery", "disposed_by__organisation").prefetch_related(
            "delivery__files__vault_file")

    @extend_schema(parameters=[SHOW])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DisposeInput, responses=RetentionSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        return self.case_action(DisposeInput, services.dispose, "method", "confirmed")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              400: OpenApiResponse(description="Not disposed of yet: no certificate.")})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        target = self.get_object()
        return attachment(services.certificate(target.pk, by=request.user))
