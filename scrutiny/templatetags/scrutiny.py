from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def index(sequence, position):
    """sequence[position], for a table's columns and links beside its cells."""
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return None


ROW_START, ROW_END = '\n      <tr class="govuk-table__row" role="row">\n      ', "\n      </tr>\n    "
NONE_CELL = '<span class="govuk-visually-hidden">none</span>–'


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """A figure's table rows, the HTML _figure.html drew cell by cell through the template engine (a third of a
    dashboard's CPU for its fifty rows a table, ADR 54), made in one pass: each value shown as `{{ value }}` shows
    it (render_value_in_context: localised and escaped), a due date as "j M Y", a missing value as a dash, and the
    first cell linked to its case when the table has links."""
    columns, links = table.columns, table.links
    return mark_safe("".join(
        ROW_START + "".join(_cell(context, index(columns, n), value, index(links, row_number) if n == 0 and links
                                  else None, linked=n == 0 and bool(links))
                            for n, value in enumerate(row)) + ROW_END
        for row_number, row in enumerate(table.rows)))


def _cell(context, column, value, link, *, linked: bool) -> str:
    numeric = column is not None and column.numeric
    label = render_value_in_context(column.label, context) if column is not None else ""
    if linked:
        shown = render_value_in_context(value, context)
        content = f'<a class="govuk-link" href="{render_value_in_context(link, context)}">{shown}</a>' if link else shown
    elif value is None:
        content = NONE_CELL
    elif column is not None and column.key == "due_on":
        content = render_value_in_context(date_filter(value, "j M Y"), context)
    else:
        content = render_value_in_context(value, context)
    kind = " govuk-table__cell--numeric" if numeric else " concordat-wrap"
    return (f'\n        <td class="govuk-table__cell{kind}" role="cell" data-label="{label}">{content}</td>\n      ')
