from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render


@login_required
def home(request):
    return redirect("workflow:my_work")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def profile(request):
    """Who the signed-in person is, where they belong and what roles they hold."""
    grants = request.user.role_grants.order_by("role")
    return render(request, "profile.html", {"grants": grants})
