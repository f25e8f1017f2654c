"""The scrutiny API: /api/statistics/ (every table of the statistics page for a period and grouping) and
/api/dashboard/ (the person's own dashboard), the same services as the pages (ADR 4, ADR 41). Read only."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import dashboard, services
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


class StatisticsSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    grouping = serializers.CharField(read_only=True)
    tables = TableSerializer(many=True, read_only=True)


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


class StatisticsView(APIView):
    """Compliance statistics (§12, §13, §10, §17): counts only, for every member of an organisation."""

    @extend_schema(parameters=PERIOD, responses=StatisticsSerializer)
    def get(self, request):
        query = services.parse_query(request.query_params, schedule.today())
        tables = services.statistics(request.user, query)
        return Response(StatisticsSerializer({"start": query.start, "end": query.end, "grouping": query.grouping,
                                              "tables": tables}).data)


class DashboardView(APIView):
    """Your dashboard: what waits on you, due this week, overdue and by how long, open escalations by rung."""

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        board = dashboard.dashboard(request.user, schedule.today())
        return Response(DashboardSerializer({"total": board.counts.total, "overdue": board.counts.overdue,
                                             "due_this_week": board.counts.due_this_week,
                                             "tables": board.tables}).data)
