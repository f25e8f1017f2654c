"""Pages every case type shares: 'My work' and the person's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from concordat.pagination import page_number, page_of
from protocols.markings import highest_marking
from sharing import schedule
from workflow import notify, work
from workflow.models import Notification

PAGE_SIZE = 25


@login_required
def my_work(request):
    today = schedule.today()
    number = page_number(request.GET.get("page"))
    # Each case type gives its soonest cases up to the end of this page, plus one to know if there is a next.
    with work.one_page():
        items = work.items_for(request.user, today, limit=number * PAGE_SIZE + 1)
        counts = work.counts(request.user, today)
    page = page_of(items, str(number), PAGE_SIZE)
    return render(request, "workflow/my_work.html", {
        "page": page, "counts": counts,
        "page_marking": highest_marking(*(item.marking for item in page.object_list)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        notify.mark_read(request.user)
        return redirect("workflow:notifications")
    mine = Notification.objects.filter(recipient=request.user)
    page = page_of(mine, request.GET.get("page"), PAGE_SIZE)
    return render(request, "workflow/notifications.html", {
        "page": page, "page_marking": highest_marking(*(n.marking for n in page.object_list)),
    })
