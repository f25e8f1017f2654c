from django import template

register = template.Library()


@register.filter
def index(sequence, position):
    """sequence[position], for a table's columns and links beside its cells."""
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return None
