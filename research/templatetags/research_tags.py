"""A hold's name on a research page, linked to the hold's own page where the holds app has one."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def hold_link(hold):
    try:
        url = reverse("holds:detail", kwargs={"pk": hold.pk})
    except NoReverseMatch:
        return format_html("{}: {}", hold.reference, hold.title)
    return format_html('<a class="govuk-link" href="{}">{}: {}</a>', url, hold.reference, hold.title)


@register.filter
def review_overdue(hold) -> bool:
    return hold.in_force and hold.next_review_on < timezone.localdate()
