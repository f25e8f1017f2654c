"""The table_rows tag draws a figure's rows exactly as _figure.html's template loop did, cell by cell (ADR 54):
links on the first cell only (and not where a row has none), a dash for a missing value, due dates as "j M Y",
numbers right-aligned, everything escaped, a row longer than the columns."""

from datetime import date

from django.template import Context, Template

from scrutiny.tables import Column, Table

# The loop _figure.html used before the tag, verbatim.
TEMPLATE_LOOP = Template("""{% load scrutiny %}{% for row in table.rows %}
      <tr class="govuk-table__row" role="row">
      {% for value in row %}{% with column=table.columns|index:forloop.counter0 %}
        <td class="govuk-table__cell{% if column.numeric %} govuk-table__cell--numeric{% else %} concordat-wrap{% endif %}" role="cell" data-label="{{ column.label }}">{% if forloop.first and table.links %}{% with link=table.links|index:forloop.parentloop.counter0 %}{% if link %}<a class="govuk-link" href="{{ link }}">{{ value }}</a>{% else %}{{ value }}{% endif %}{% endwith %}{% elif value is None %}<span class="govuk-visually-hidden">none</span>–{% elif column.key == "due_on" %}{{ value|date:"j M Y" }}{% else %}{{ value }}{% endif %}</td>
      {% endwith %}{% endfor %}
      </tr>
    {% endfor %}""")  # noqa: E501
TAG = Template("{% load scrutiny %}{% table_rows table %}")

COLUMNS = (Column("reference", "Case"), Column("title", "Title <b>"), Column("due_on", "Due"),
           Column("open", "Open", True), Column("since", "Since"))
ROWS = (("IASC-1 <i>&", "Flats & <script>", date(2026, 12, 7), 3, date(2025, 1, 2)),
        ("IASC-2", None, None, 0, None),
        ("HO-3", "A \"quoted\" title", date(2027, 1, 31), 1_234, "2026-01-01", "past the columns"))


def drawn(template, table) -> str:
    return template.render(Context({"table": table}))


def test_the_tag_draws_what_the_template_loop_drew():
    for links in ((), ("/a/?x=1&y=2", "", "/c/<"), ("/only-one/",)):
        table = Table("t", "T", "", COLUMNS, ROWS, links=links)
        assert drawn(TAG, table) == drawn(TEMPLATE_LOOP, table), links


def test_a_table_without_rows_draws_none():
    assert drawn(TAG, Table("t", "T", "", COLUMNS, ())) == ""
