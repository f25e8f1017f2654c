from django import template

from workflow.work import COUNT_CAP

register = template.Library()


@register.filter
def count(value: int) -> str:
    """1,234 as "1,234"; anything past the counting cap as "more than 1,000"."""
    return f"more than {COUNT_CAP:,}" if value > COUNT_CAP else f"{value:,}"
