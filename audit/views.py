from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import Action, check
from audit import browse, keys
from audit.checkpointing import CheckpointRefused, latest_checkpoints, sign_checkpoint
from audit.checkpoints import CheckpointReport
from audit.models import AuditEvent
from audit.verify import verify_all, verify_checkpoints
from concordat.errors import NotAllowed, RuleViolation
from scrutiny import exports
from scrutiny.tables import Column, Table


@login_required
def event_log(request):
    """The audit log browser (ADR 42): filtered, in words, linked to each case; reads of OFFICIAL-SENSITIVE cases;
    the checkpoints' status."""
    check(request.user, Action.VIEW_AUDIT)
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    context = {"head": head, "checkpoints": latest_checkpoints(), "signing_party": _own_party(request.user),
               "checkpoint_report": _checkpoint_report(head[0] if head else 0),
               "params": {name: str(request.GET.get(name) or "")[:browse.MAX_TEXT]
                          for name in ("person", "case", "action", "from", "to")}}
    try:
        log_filter = browse.parse_filter(request.GET)
    except RuleViolation as violation:
        return render(request, "audit/log.html", {**context, "problems": violation.problems}, status=400)
    page = Paginator(browse.filtered_events(log_filter), browse.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        **context, "page": page, "lines": browse.described(page.object_list, request.user),
        "filter_query": log_filter.as_query(), "formats": exports.FORMATS.values(),
        "sensitive_reads": browse.described(browse.sensitive_reads(), request.user)})


def _checkpoint_report(count: int):
    """The checkpoints against the parties' public keys and the chain (a few rows, not a walk of the chain)."""
    try:
        return verify_checkpoints(count)
    except (keys.MissingAuditKey, OSError, ValueError) as error:
        return CheckpointReport(problems=[f"The checkpoints could not be checked: {error}"])


EXPORT_LIMIT = 10_000


@login_required
def export_log(request):
    """The filtered events, newest first (at most EXPORT_LIMIT), as CSV, XLSX or ODS; cells neutralised."""
    check(request.user, Action.VIEW_AUDIT)
    try:
        log_filter = browse.parse_filter(request.GET)
        fmt = exports.export_format(request.GET.get("format", ""))
    except RuleViolation as violation:
        return render(request, "scrutiny/refused.html", {"problems": violation.problems}, status=400)
    lines = browse.described(browse.filtered_events(log_filter)[:EXPORT_LIMIT], request.user)
    table = Table("audit-events", "Audit events", "", (
        Column("sequence", "#", True), Column("occurred_at", "When (UTC)"), Column("who", "Who"),
        Column("words", "What"), Column("action", "Action"), Column("case", "Case"), Column("hash", "Hash")),
        tuple((line.event.sequence, line.event.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), line.event.actor_label,
               line.words, line.event.action, line.case, line.event.hash) for line in lines))
    response = HttpResponse(exports.export(table, fmt), content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(table, fmt)}"'
    return response


@login_required
@require_POST
def verify(request):
    check(request.user, Action.VERIFY_AUDIT)
    result = verify_all(state=True)
    return render(request, "audit/verified.html", {"result": result, "report": result.chain,
                                                   "checkpoints": latest_checkpoints()})


@login_required
@require_POST
def sign(request):
    """An auditor has their own party sign the head of the chain now (ADR 17)."""
    check(request.user, Action.VERIFY_AUDIT)
    party = _own_party(request.user)
    if party is None:
        raise NotAllowed("Only an auditor of a party to the protocol can sign a checkpoint for it.")
    try:
        row = sign_checkpoint(party, signed_by=request.user.get_username())
    except (CheckpointRefused, keys.MissingAuditKey) as error:
        messages.error(request, f"No checkpoint was signed: {error}")
    else:
        messages.success(request, f"{row.party} signed the chain at event {row.count}.")
    return redirect("audit:log")


def _own_party(user) -> str | None:
    organisation = getattr(user, "organisation", None)
    slug = organisation.department.slug if organisation is not None else None
    return slug if slug in keys.parties() else None
