"""The scrutiny API: /api/statistics/ (every table of the statistics page for a period and grouping) and
/api/dashboard/ (the person's own dashboard), the same services as the pages (ADR 4, ADR 41). Read only.

The statistics are the page's snapshots (ADR 53): with a worker, a fresh snapshot's tables with `computed_at`; a
stale one's with `newer_figures_computing`; none yet, 202 with Retry-After while they are computed; a person past
their limit of recomputes, 429. With no broker they are computed in the request, as the page does."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import dashboard, services, snapshots
from scrutiny.compliance import GROUPINGS
from sharing import schedule


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    numeric = serializers.BooleanField(read_only=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    clause = serializers.CharField(read_only=True)
    marking = serializers.CharField(read_only=True)
    columns = ColumnSerializer(many=True, read_only=True)
    rows = serializers.SerializerMethodField()
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)

    def get_rows(self, table) -> list[list]:
        return [[value.isoformat() if isinstance(value, date) else value for value in row] for row in table.rows]


class QuerySerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    grouping = serializers.CharField(read_only=True)


class StatisticsSerializer(QuerySerializer):
    computed_at = serializers.DateTimeField(read_only=True, help_text="When these figures were computed.")
    fresh = serializers.BooleanField(read_only=True, help_text=(
        "Computed today and within the last hour (STATISTICS_FRESH_SECONDS): newer figures are not asked for."))
    newer_figures_computing = serializers.BooleanField(read_only=True, help_text=(
        "Newer figures are being computed: ask again in a minute for them. These are the last computed."))
    message = serializers.CharField(read_only=True, allow_null=True, help_text=(
        "Why newer figures were not asked for (the person's limit of recomputes at once), in words; else null."))
    tables = TableSerializer(many=True, read_only=True)


class ComputingSerializer(QuerySerializer):
    message = serializers.CharField(read_only=True, help_text="What is happening, in words to show a person.")


class DashboardSerializer(serializers.Serializer):
    total = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    due_this_week = serializers.IntegerField(read_only=True)
    tables = TableSerializer(many=True, read_only=True)


PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="The first day counted (default: 1 January last year)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="The last day counted (default: today)."),
    OpenApiParameter("by", OpenApiTypes.STR, enum=list(GROUPINGS), description="The grouping (default: quarter)."),
]


RETRY_SECONDS = 10
COMPUTING = "The figures for this period are being computed: ask again in a few seconds (Retry-After)."
RETRY_AFTER = OpenApiParameter("Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[202],
                               description="Seconds to wait before asking again.")
ERRORS = {"$ref": "#/components/schemas/Errors"}  # concordat.openapi


class StatisticsView(APIView):
    """Compliance statistics (§12, §13, §10, §17): counts only, for every member of an organisation. The figures are
    the statistics page's (ADR 53): computed on a worker and kept, so an answer may be up to an hour old (see
    `computed_at`); for a period nobody has asked for yet the first answer is a 202 while they are computed."""

    @extend_schema(parameters=[*PERIOD, RETRY_AFTER], responses={
        200: OpenApiResponse(StatisticsSerializer, description=(
            "The figures, as of `computed_at`: fresh, or the last computed while newer ones are computed.")),
        202: OpenApiResponse(ComputingSerializer, description=COMPUTING),
        429: OpenApiResponse(ERRORS, description=(
            "Too many requests from this token, or this person already has as many sets of figures being computed "
            "as one person may (STATISTICS_RECOMPUTES_PER_PERSON): wait the seconds Retry-After gives.")),
    })
    def get(self, request):
        query = services.parse_query(request.query_params, schedule.today())
        shown = snapshots.figures(request.user, query)
        about = {"start": query.start, "end": query.end, "grouping": query.grouping}
        if shown.computed_at is None and shown.held_back:
            return Response({"errors": [{"field": None, "clause": None, "message": shown.held_back}]},
                            status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(RETRY_SECONDS)})
        if shown.computed_at is None:
            return Response(ComputingSerializer({**about, "message": COMPUTING}).data,
                            status=status.HTTP_202_ACCEPTED, headers={"Retry-After": str(RETRY_SECONDS)})
        return Response(StatisticsSerializer({
            **about, "computed_at": shown.computed_at, "fresh": shown.fresh, "tables": shown.tables,
            "newer_figures_computing": shown.computing, "message": shown.held_back or None}).data)


class DashboardView(APIView):
    """Your dashboard: what waits on you, due this week, overdue and by how long, open escalations by rung."""

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        board = dashboard.dashboard(request.user, schedule.today())
        return Response(DashboardSerializer({"total": board.counts.total, "overdue": board.counts.overdue,
                                             "due_this_week": board.counts.due_this_week,
                                             "tables": board.tables}).data)
