from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults

from accounts import delegation
from accounts.token_views import token_rows
from concordat import health


@login_required
def home(request):
    return redirect("workflow:my_work")


def page_not_found(request, exception=None):
    """handler404: the API answers in its error shape; pages get the service's own 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": None, "clause": None,
                                         "message": "No such object, or not one you may see."}]}, status=404)
    return defaults.page_not_found(request, exception)


def healthz(request):
    """Liveness (ADR 39): the process serves requests. Nothing else is touched, so a database outage does not get
    every web process restarted at once."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Readiness (ADR 39): 200 when the database, broker, vault storage and key store are reachable; otherwise 503
    naming each that is not (never why, which could carry a secret)."""
    failing = health.failing_checks()
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def profile(request):
    """Who the signed-in person is, where they belong, what roles they hold, and their API tokens (ADR 16)."""
    grants = request.user.role_grants.order_by("role")
    return render(request, "profile.html", {"grants": grants, "tokens": token_rows(request.user),
                                            "in_commissioner_office": delegation.office_of(request.user) is not None})
