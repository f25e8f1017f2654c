"""The REST API. Thin: parse, call the service, answer with the request as it now is. Visibility comes
from permissions.visible_requests (a request you may not see is a 404); domain errors become JSON naming
the field and the clause (concordat.api_errors)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import services as approval_services
from concordat import limits
from concordat.api_filters import StrictFilterBackend, StrictOrderingFilter
from concordat.errors import RuleViolation
from protocols.services import current_protocol
from sharing import queries, serializers, services
from sharing.downloads import DOWNLOAD_RESPONSES, serve_download
from sharing.filters import RequestFilter
from sharing.permissions import visible_requests
from sharing.services import reading
from workflow.api import CaseActions

# What a row of the list shows (serializers.RequestListSerializer), and the relations it joins: the elements' long
# texts and the rest of the detail's columns are neither read nor turned into attributes, 50 rows a page (ADR 59).
LIST_COLUMNS = ("reference", "title", "direction", "route", "state", "decision", "classification",
                "personal_data_category", "provision", "requester", *queries.LIST_RELATIONS, "assigned_to",
                "received_on", "acknowledge_by", "provide_by", "next_due_on", "version", "created_at", "updated_at")


class RequestViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests for information under a protocol (§5–9) and outside it (§18, §4 fn 1)."""

    lookup_value_regex = limits.ID_PATTERN
    answer_class = serializers.RequestDetailSerializer

    filterset_class = RequestFilter
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created_at", "reference", "acknowledge_by", "provide_by"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        if self.action == "list":
            return queries.request_list(self.request.user).only(*LIST_COLUMNS)
        if self.action == "retrieve":
            return queries.request_detail_rows(self.request.user)  # its collections once found (with_collections)
        return visible_requests(self.request.user)  # the service locks and reloads it

    def get_serializer_class(self):
        return serializers.RequestListSerializer if self.action == "list" else serializers.RequestDetailSerializer

    def filter_queryset(self, queryset):
        if self.action != "list" and not self.request.query_params:
            return queryset  # nothing to filter or order by: the filter set would answer the queryset as it is
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            reading.refused_lookup("lookup", self.kwargs.get(self.lookup_field), by=self.request.user)
            raise

    def retrieve(self, request, *args, **kwargs):
        target = queries.with_collections(self.get_object())
        reading.viewed(target, by=request.user, how="api")
        return Response(self.get_serializer(target).data)

    def fresh(self, pk: int):
        found = queries.request_detail_rows(self.request.user).filter(pk=pk).first()
        return found and queries.with_collections(found)

    @extend_schema(request=serializers.DraftCreateSerializer, responses={201: serializers.RequestDetailSerializer})
    def create(self, request):
        data = self.parsed(serializers.DraftCreateSerializer)
        protocol = _protocol(data.validated_data.get("protocol"))
        created = services.create_draft(
            by=request.user, direction=data.validated_data["direction"], protocol=protocol,
            holder_org=data.validated_data.get("holder_org"), fields=data.draft_fields(),
            named_people=data.validated_data.get("named_people"), parts=_parts(data))
        return self.answer(created, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DraftUpdateSerializer, responses=serializers.RequestDetailSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self.parsed(serializers.DraftUpdateSerializer)
        services.update_draft(target, by=request.user, expected_version=data.validated_data["version"],
                              fields=data.draft_fields(), named_people=data.validated_data.get("named_people"),
                              parts=_parts(data))
        return self.answer(target)

    def _note_action(self, service):
        return self.case_action(serializers.NoteSerializer, service, "note")

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._note_action(services.submit)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._note_action(services.acknowledge)

    @extend_schema(request=serializers.ReassignSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        return self.case_action(serializers.ReassignSerializer, services.reassign, "to_org", "to_user", "reason")

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def start_assessment(self, request, pk=None):
        return self._note_action(services.start_assessment)

    @extend_schema(request=serializers.QuestionSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def request_further_information(self, request, pk=None):
        return self.case_action(serializers.QuestionSerializer, services.request_further_information,
                                "question")

    @extend_schema(request=serializers.RespondSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self.case_action(serializers.RespondSerializer, services.respond, "answer", fields="changes")

    @extend_schema(request=serializers.ChecklistSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def record_checklist(self, request, pk=None):
        return self.case_action(serializers.ChecklistSerializer, services.record_checklist,
                                answers=lambda values: [services.ChecklistEntry(entry["item"], entry["satisfied"],
                                                                                entry["note"])
                                                        for entry in values["answers"]])

    @extend_schema(request=serializers.RequestApprovalSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def request_approval(self, request, pk=None):
        """§10, §17: ask the holder's approvers; each approval is then decided at /api/approvals/."""
        return self.case_action(serializers.RequestApprovalSerializer, approval_services.ask, "justification")

    @extend_schema(request=serializers.DecideSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.case_action(serializers.DecideSerializer, services.decide, "decision", "reasons",
                                "provided_scope", "withheld_scope")

    @extend_schema(request={"multipart/form-data": serializers.DeliverSerializer},
                   responses={201: serializers.RequestDetailSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def deliver(self, request, pk=None):
        return self.case_action(serializers.DeliverSerializer, services.deliver, "description", "marking",
                                "answer", code=status.HTTP_201_CREATED, uploads="files", occasion_id="occasion")

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._note_action(services.close)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.RequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._note_action(services.withdraw)


def _protocol(slug: str | None):
    if not slug:
        return None
    protocol = current_protocol(slug)
    if protocol is None:
        raise RuleViolation("No protocol with that name is loaded.", field="protocol")
    return protocol


class FileDownloadView(APIView):
    """A delivered file, always as an attachment, only to people who may see its request."""

    # The path's <id:pk> is documented as {id} (drf-spectacular's SCHEMA_COERCE_PATH_PK), with the converter's
    # pattern: no separate "pk", which is no parameter of the path.
    @extend_schema(responses=DOWNLOAD_RESPONSES)
    def get(self, request, pk: int):
        return serve_download(services.file_for_download, pk, request)  # 404 whether the file exists or not


def _parts(data):
    """The parts sent, as plain dicts for the service; None when the field was not sent (left as they are)."""
    parts = data.validated_data.get("parts")
    return None if parts is None else [dict(part) for part in parts]
