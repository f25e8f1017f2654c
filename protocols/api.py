"""Read-only API for protocol versions. Include with `path("api/", include(protocols.api.urls))`:

- GET /api/protocols/                      every loaded version (paginated; ?slug= filters)
- GET /api/protocols/<slug>/               the current version, with its definition
- GET /api/protocols/<slug>/<version>/     one version, with its definition
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers

from accounts.permissions import Action, user_can
from protocols.models import Protocol
from protocols.services import current_protocol


class CanViewProtocols(permissions.BasePermission):
    message = "You do not have permission to view the protocols."

    def has_permission(self, request, view):
        return user_can(request.user, Action.VIEW_PROTOCOL)


class ProtocolSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Protocol
        fields = ["slug", "version", "title", "last_updated", "sha256", "loaded_at", "url"]

    def get_url(self, protocol: Protocol) -> str:
        location = reverse("api-protocol-detail", args=[protocol.slug, protocol.version])
        request = self.context.get("request")
        return request.build_absolute_uri(location) if request else location


class ProtocolSerializer(ProtocolSummarySerializer):
    class Meta(ProtocolSummarySerializer.Meta):
        fields = [*ProtocolSummarySerializer.Meta.fields, "definition"]


# The paths' <slug:slug> and <str:version>, as patterns: any other text is no URL of the API.
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")
VERSION = OpenApiParameter("version", str, OpenApiParameter.PATH, pattern=r"^[^/]+$")


class ProtocolReadMixin:
    permission_classes = [permissions.IsAuthenticated, CanViewProtocols]
    queryset = Protocol.objects.order_by("slug", "-last_updated", "-loaded_at")


class ProtocolListAPI(ProtocolReadMixin, generics.ListAPIView):
    serializer_class = ProtocolSummarySerializer
    filterset_fields = ["slug"]


@extend_schema_view(get=extend_schema(operation_id="protocols_version_retrieve", parameters=[SLUG, VERSION]))
class ProtocolDetailAPI(ProtocolReadMixin, generics.RetrieveAPIView):
    serializer_class = ProtocolSerializer

    def get_object(self) -> Protocol:
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"], version=self.kwargs["version"])


@extend_schema_view(get=extend_schema(operation_id="protocols_current_retrieve", parameters=[SLUG]))
class CurrentProtocolAPI(ProtocolReadMixin, generics.RetrieveAPIView):
    serializer_class = ProtocolSerializer

    def get_object(self) -> Protocol:
        protocol = current_protocol(self.kwargs["slug"])
        if protocol is None:
            raise Http404(f"No protocol '{self.kwargs['slug']}' is loaded.")
        return protocol


urls = [
    path("protocols/", ProtocolListAPI.as_view(), name="api-protocol-list"),
    path("protocols/<slug:slug>/", CurrentProtocolAPI.as_view(), name="api-protocol-current"),
    path("protocols/<slug:slug>/<str:version>/", ProtocolDetailAPI.as_view(), name="api-protocol-detail"),
]
