"""The scrutiny pages: each person's dashboard, the compliance statistics with their charts, every table's export,
and the annual protocol report. They call scrutiny.services, as the API does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from concordat.errors import RuleViolation
from protocols.markings import BASE_MARKING
from scrutiny import charts, dashboard, exports, permissions, report, services
from scrutiny import transparency as public
from scrutiny.compliance import GROUPINGS
from sharing import schedule


def _figures(tables):
    """Each table with its chart, for the page."""
    return [{"table": table, "chart": _chart_url(table)} for table in tables]


def _chart_url(table):
    drawn = charts.svg(table)
    return charts.data_url(drawn) if drawn else None


def _export_response(table, fmt, suffix=""):
    response = HttpResponse(exports.export(table, fmt), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(table, fmt, suffix)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def my_dashboard(request):
    board = dashboard.dashboard(request.user, schedule.today())
    return render(request, "scrutiny/dashboard.html", {
        "board": board, "figures": _figures(board.tables), "page_marking": board.marking,
        "formats": exports.FORMATS.values()})


@login_required
@require_GET
def dashboard_export(request):
    board = dashboard.dashboard(request.user, schedule.today())
    key = request.GET.get("table", "")[:40]
    table = next((table for table in board.tables if table.key == key), None)
    try:
        if table is None:  # only the person's own dashboard's tables: nobody else's cases are reachable
            raise RuleViolation(f"Your dashboard has no table called “{key}”: its tables are "
                                f"{', '.join(table.key for table in board.tables)}.", field="table")
        fmt = exports.export_format(request.GET.get("format", ""))
    except RuleViolation as violation:
        return _refused(request, violation)
    return _export_response(table, fmt)


def _refused(request, violation, status=400):
    return render(request, "scrutiny/refused.html", {"problems": violation.problems}, status=status)


@login_required
@require_GET
def statistics(request):
    _check_reader(request.user)
    today = schedule.today()
    context = {"groupings": GROUPINGS, "params": _shown_params(request.GET, today),
               "formats": exports.FORMATS.values(), "page_marking": BASE_MARKING}
    try:
        query = services.parse_query(request.GET, today)
    except RuleViolation as violation:
        return render(request, "scrutiny/statistics.html", {**context, "problems": violation.problems}, status=400)
    tables = services.statistics(request.user, query)
    return render(request, "scrutiny/statistics.html", {
        **context, "query": query, "figures": _figures(tables), "export_query": _export_query(query)})


def _check_reader(user):
    if not permissions.may_read_statistics(user):
        from concordat.errors import NotAllowed

        raise NotAllowed("Only members of a party to a protocol can read its statistics.")


def _shown_params(params, today):
    return {"from": str(params.get("from") or services.default_start(today))[:20],
            "to": str(params.get("to") or today)[:20], "by": str(params.get("by") or services.DEFAULT_GROUPING)[:20]}


def _export_query(query):
    return f"from={query.start.isoformat()}&to={query.end.isoformat()}&by={query.grouping}"


@login_required
@require_GET
def statistics_export(request):
    _check_reader(request.user)
    try:
        query = services.parse_query(request.GET, schedule.today())
        fmt = exports.export_format(request.GET.get("format", ""))
        table = services.table_named(request.user, query, request.GET.get("table", "")[:40])
    except RuleViolation as violation:
        return _refused(request, violation)
    return _export_response(table, fmt, f"-{query.start.isoformat()}-to-{query.end.isoformat()}-by-{query.grouping}")


@login_required
@require_GET
def annual_report(request):
    _check_reader(request.user)
    try:
        year = report.report_year(request.GET.get("year", ""), schedule.today())
    except RuleViolation as violation:
        return _refused(request, violation)
    pdf = report.annual_report_pdf(request.user, year, schedule.today())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="OFFICIAL-annual-protocol-report-{year}.pdf"'
    return response


@require_GET
def transparency(request):
    """Public: no sign-in. A 404 unless CONCORDAT_TRANSPARENCY is on, as if the page did not exist."""
    if not public.enabled():
        raise Http404("No such page.")
    tables = public.public_tables(schedule.today())
    return render(request, "scrutiny/transparency.html", {
        "figures": [{"table": table, "chart": None} for table in tables], "formats": (),
        "page_marking": BASE_MARKING, "first_year": public.FIRST_YEAR})
