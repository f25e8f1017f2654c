from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import Action, check
from audit import keys
from audit.checkpointing import CheckpointRefused, latest_checkpoints, sign_checkpoint
from audit.models import AuditEvent
from audit.verify import verify_all
from concordat.errors import NotAllowed


@login_required
def event_log(request):
    check(request.user, Action.VIEW_AUDIT)
    events = AuditEvent.objects.order_by("-sequence").only(
        "sequence", "occurred_at", "actor_label", "action", "object_type", "object_id", "hash")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return render(request, "audit/log.html", {
        "page": page, "head": head, "action": action, "checkpoints": latest_checkpoints(),
        "signing_party": _own_party(request.user)})


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
