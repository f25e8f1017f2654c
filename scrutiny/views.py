"""The scrutiny pages: each person's dashboard, the compliance statistics with their charts, every table's export,
and the annual protocol report. They call scrutiny.services, as the API does."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_GET, require_POST

from concordat.errors import NotAllowed, RuleViolation
from protocols.markings import BASE_MARKING
from scrutiny import charts, dashboard, exports, permissions, report, services, snapshots
from scrutiny import transparency as public
from scrutiny.compliance import GROUPINGS
from scrutiny.models import Trigger
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
    """The figures of the query: its snapshot when fresh; otherwise computed inline, or the last snapshot while
    newer figures are computed on a worker (ADR 53)."""
    _check_reader(request.user)
    today = schedule.today()
    context = {"groupings": GROUPINGS, "params": _shown_params(request.GET, today),
               "formats": exports.FORMATS.values(), "page_marking": BASE_MARKING,
               "may_recompute": permissions.may_recompute_statistics(request.user)}
    try:
        query = services.parse_query(request.GET, today)
    except RuleViolation as violation:
        return render(request, "scrutiny/statistics.html", {**context, "problems": violation.problems}, status=400)
    shown = snapshots.figures(request.user, query)
    refresh = _polite_refresh(request, shown)
    response = render(request, "scrutiny/statistics.html", {
        **context, "query": query, "shown": shown, "age": _age(shown), "figures": _figures(shown.tables),
        "refresh": refresh,
        "query_string": _query_string(query), "export_query": _export_query(query, shown)})
    if refresh and refresh["next"]:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={refresh['next']}"
    return response


def _age(shown) -> str:
    """How old a snapshot's figures are, in words ("just now" under a minute, not "0 minutes ago")."""
    if shown.snapshot_id is None or shown.computed_at is None:
        return ""
    if timezone.now() - shown.computed_at < timedelta(minutes=1):
        return "just now"
    return f"{timesince(shown.computed_at)} ago"


REFRESH_SECONDS = 10
REFRESH_AT_MOST = 12  # two minutes of waiting, then the page stops reloading itself and says so


def _polite_refresh(request, shown) -> dict | None:
    """While there is nothing to show yet, the page reloads itself every few seconds, says so, and can be told to
    stop (WCAG 2.2.1); at most REFRESH_AT_MOST times. An HTTP Refresh header: no JavaScript (ADR 53)."""
    if shown.tables or not shown.computing:
        return None
    waited = str(request.GET.get("waited", "0"))[:3]
    waited = int(waited) if waited.isdigit() else 0
    stopped = request.GET.get("refresh") == "off" or waited >= REFRESH_AT_MOST
    base = f"{reverse('scrutiny:statistics')}?{_query_string(shown.query)}"
    return {"next": None if stopped else f"{base}&waited={waited + 1}", "seconds": REFRESH_SECONDS,
            "stop": f"{base}&refresh=off", "now": base, "stopped": stopped}


def _check_reader(user):
    if not permissions.may_read_statistics(user):
        raise NotAllowed("Only members of a party to a protocol can read its statistics.")


def _shown_params(params, today):
    return {"from": str(params.get("from") or services.default_start(today))[:20],
            "to": str(params.get("to") or today)[:20], "by": str(params.get("by") or services.DEFAULT_GROUPING)[:20]}


def _query_string(query):
    return f"from={query.start.isoformat()}&to={query.end.isoformat()}&by={query.grouping}"


def _export_query(query, shown=None):
    """The page's query, and the snapshot it showed: a download is of the very figures on the screen."""
    snapshot = f"&snapshot={shown.snapshot_id}" if shown is not None and shown.snapshot_id else ""
    return _query_string(query) + snapshot


@login_required
@require_POST
def statistics_recompute(request):
    """"Recompute now" for the query on the screen (ADR 53): a job on the heavy queue, or none when one runs."""
    if not permissions.may_recompute_statistics(request.user):
        raise NotAllowed("Only staff of the Home Office and the Commissioner's office can recompute the statistics.")
    try:
        query = services.parse_query(request.POST, schedule.today())
    except RuleViolation as violation:
        return _refused(request, violation)
    try:
        job, started = snapshots.request_recompute(request.user, query, trigger=Trigger.BUTTON)
    except snapshots.TooManyRecomputes as limit:  # the person's limit (ADR 53): nothing asked for, said plainly
        messages.warning(request, limit.problems[0].message)
        return redirect(f"{reverse('scrutiny:statistics')}?{_query_string(query)}")
    if not snapshots.on_worker():
        messages.success(request, "The figures have been recomputed.")
    elif started:
        messages.info(request, "The figures are being recomputed. Refresh this page in a moment to see them.")
    else:
        messages.info(request, f"The figures are already being recomputed (asked for at "
                               f"{timezone.localtime(job.requested_at):%H:%M}). Refresh this page in a moment.")
    return redirect(f"{reverse('scrutiny:statistics')}?{_query_string(query)}")


def _computing(request, shown):
    """An export or report of figures not computed yet (or not asked for: the person's limit): said in words, with
    the way back."""
    response = render(request, "scrutiny/computing.html", {
        "query_string": _query_string(shown.query), "held_back": shown.held_back, "page_marking": BASE_MARKING},
        status=503)
    response["Retry-After"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_GET
def statistics_export(request):
    """One table of the figures the page showed: the snapshot it names, or the query's figures as the page has
    them now."""
    _check_reader(request.user)
    try:
        fmt = exports.export_format(request.GET.get("format", ""))
        if request.GET.get("snapshot"):
            shown = snapshots.snapshot_figures(request.user, request.GET["snapshot"])
        else:
            shown = snapshots.figures(request.user, services.parse_query(request.GET, schedule.today()))
        if not shown.tables:
            return _computing(request, shown)
        table = services.table_in(shown.tables, request.GET.get("table", "")[:40])
    except RuleViolation as violation:
        return _refused(request, violation)
    query = shown.query
    return _export_response(table, fmt, f"-{query.start.isoformat()}-to-{query.end.isoformat()}-by-{query.grouping}")


@login_required
@require_GET
def annual_report(request):
    _check_reader(request.user)
    today = schedule.today()
    try:
        year = report.report_year(request.GET.get("year", ""), today)
    except RuleViolation as violation:
        return _refused(request, violation)
    shown = snapshots.figures(request.user, report.report_query(year, today))
    if not shown.tables:
        return _computing(request, shown)
    response = HttpResponse(report.annual_report_pdf(year, shown), content_type="application/pdf")
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
