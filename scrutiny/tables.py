"""A table of figures as every page, chart and export reads it: columns with labels, rows of plain values.
No Django here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Chart:
    """What to draw: a bar per row, labelled by the `label_columns`, as long as the `value_column`."""

    label_columns: tuple[str, ...]
    value_column: str
    value_label: str


@dataclass(frozen=True)
class Table:
    key: str  # unique on a page: the export's name
    title: str
    clause: str  # the protocol clause the figures measure ("§12"), or ""
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    chart: Chart | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    links: tuple[str, ...] = ()  # one per row, or none: where the row's first cell leads (a case the person sees)
    marking: str = "OFFICIAL"  # the highest marking of what the rows name (a dashboard's cases); counts: OFFICIAL

    def column_index(self, key: str) -> int:
        return [column.key for column in self.columns].index(key)

    def as_dicts(self) -> list[dict]:
        return [dict(zip((column.key for column in self.columns), row, strict=True)) for row in self.rows]
