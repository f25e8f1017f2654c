"""{{ event.details.next_review_on|isodate|date:"j F Y" }}: a date the timeline's details keep as ISO text."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def isodate(value):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
