"""{% load contacts %}: `entry|due_at:now` says whether a directory entry is due a check (six months, ADR 24)."""

from django import template

register = template.Library()


@register.filter
def due_at(entry, now) -> bool:
    return entry.check_due(now)
