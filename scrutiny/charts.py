"""Charts drawn on the server as SVG with matplotlib (ADR 41): a horizontal bar per row of a table, its labels as
text. Pages show it as an <img> of a data: URL (the CSP allows data: images, and an image runs no script), with
the table itself beside it; the annual report embeds the SVG itself. Nothing is fetched from anywhere."""

from __future__ import annotations

import base64
import io
from functools import cache, lru_cache

from scrutiny.tables import Table

MAX_BARS = 40
MAX_LABEL = 44
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT_COLOUR = "#0b0c0c"
WIDTH_INCHES = 8.0


@cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "concordat", "font.size": 10,
                                "font.family": "sans-serif", "text.color": TEXT_COLOUR,
                                "axes.labelcolor": TEXT_COLOUR, "xtick.color": TEXT_COLOUR,
                                "ytick.color": TEXT_COLOUR, "axes.edgecolor": TEXT_COLOUR})
    import matplotlib.pyplot as plt

    return plt


def _bars(table: Table) -> list[tuple[str, float]]:
    chart = table.chart
    labels = [table.column_index(key) for key in chart.label_columns]
    value = table.column_index(chart.value_column)
    bars = [(_shortened(" · ".join(str(row[i]) for i in labels)), row[value]) for row in table.rows
            if row[value] is not None]
    return bars[:MAX_BARS]


CHARACTER_INCHES = 0.075  # a 10 pt sans-serif character, near enough to place the axis without measuring text


def _leave_room_for_labels(figure, labels: list[str]) -> None:
    """The axis placed after its longest label (measuring the text, as tight_layout does, costs more than the
    drawing)."""
    width, height = figure.get_size_inches()
    left = min(0.6, (0.25 + CHARACTER_INCHES * max(map(len, labels))) / width)
    figure.subplots_adjust(left=left, right=0.97, top=1 - 0.25 / height, bottom=0.6 / height)


def _shortened(label: str) -> str:
    """A bar's label, short enough to leave the bar room; the table beside the chart has it in full."""
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def svg(table: Table) -> str | None:
    """The table's chart as SVG text, or None when it has no chart or nothing to draw; the same table's chart is
    drawn once per process."""
    if table.chart is None:
        return None
    return _drawn(table.title, table.chart, tuple(_bars(table)))


@lru_cache(maxsize=256)
def _drawn(title: str, chart, bars: tuple) -> str | None:
    """The table's chart as SVG text, or None when it has no chart or nothing to draw."""
    if not bars:
        return None
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, 0.9 + 0.32 * len(bars)))
    try:
        labels = [label for label, _ in bars][::-1]
        values = [float(value) for _, value in bars][::-1]
        drawn = axes.barh(range(len(bars)), values, color=BAR_COLOUR)
        axes.bar_label(drawn, labels=[f"{value:g}" for value in values], padding=3, fontsize=9)
        axes.set_yticks(range(len(bars)), labels=labels)
        axes.set_xlabel(chart.value_label)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.12)
        if all(value.is_integer() for value in values):
            axes.xaxis.get_major_locator().set_params(integer=True)
        _leave_room_for_labels(figure, labels)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
        return out.getvalue()
    finally:
        plt.close(figure)


def data_url(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode()).decode("ascii")


def inline_svg(svg_text: str) -> str:
    """The SVG for embedding in a document's HTML (the annual report): its XML declaration and DOCTYPE removed."""
    return svg_text[svg_text.index("<svg"):]
