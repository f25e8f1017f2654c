"""The API's generated documents: /api/requests/<id>/documents/<kind>/ and /api/deliveries/<id>/bundle/, the
same services and answers as the pages (a request you may not see is a 404, the refusal audited)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from concordat.errors import NotAllowed
from documents import services
from documents.responses import attachment


class FileNegotiation(DefaultContentNegotiation):
    """A client asking for `Accept: application/pdf` (or zip) gets the file: only errors go through a renderer,
    and they are JSON whatever was asked for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


class RequestDocumentView(APIView):
    """One of the request's generated documents as a PDF attachment, its marking on every page (§7(e), §10);
    404 when the step it records has not happened yet."""

    content_negotiation_class = FileNegotiation

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int, kind: str):
        try:
            document = services.request_document(kind, by=request.user, pk=pk)
        except (NotAllowed, services.NotAvailable):
            raise Http404 from None
        return attachment(document)


class DeliveryBundleView(APIView):
    """A delivery's files as one zip with a cover sheet listing each file's marking, size and SHA-256."""

    content_negotiation_class = FileNegotiation

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY,
                              (410, "text/plain"): OpenApiTypes.STR})  # disposed of (ADR 33)
    def get(self, request, pk: int):
        try:
            document = services.delivery_bundle(pk, by=request.user)
        except NotAllowed:
            raise Http404 from None
        except services.FileDisposed as disposed:  # 410, as a disposed file's own download (ADR 33)
            return HttpResponse(str(disposed), status=410, content_type="text/plain; charset=utf-8")
        return attachment(document)


def api_urlpatterns():
    """The API's paths, for sharing.api_urls (one per kind of document: the kind is part of the path)."""
    from django.urls import path

    from documents.kinds import Kind

    return [
        *[path(f"requests/<id:pk>/documents/{kind.value}/", RequestDocumentView.as_view(), {"kind": kind.value},
               name=f"request-document-{kind.value}") for kind in Kind],
        path("deliveries/<id:pk>/bundle/", DeliveryBundleView.as_view(), name="delivery-bundle"),
    ]
