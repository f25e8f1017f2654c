from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.permissions import Action, check
from audit.models import AuditEvent
from audit.verify import verify_stored_chain


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
    return render(request, "audit/log.html", {"page": page, "head": head, "action": action})


@login_required
@require_POST
def verify(request):
    check(request.user, Action.VERIFY_AUDIT)
    report = verify_stored_chain()
    return render(request, "audit/verified.html", {"report": report})
