"""The registry of figure providers: each case type adds its statistics to the statistics page, the exports and
the annual report by registering one provider in its app's ready():

    from scrutiny.figures import FigureProvider, register

    register(FigureProvider("holds", "Holds", lambda query: [holds_table(query)]))

A provider takes a StatisticsQuery (the period, the grouping, today) and returns Tables (scrutiny.tables), each
with a key unique on the page. It reads in a fixed number of queries whatever the data size: the page's query
count is asserted. Counts only, never a case's content: the figures are for every member of a party.
No imports of other apps here, so anything may register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StatisticsQuery:
    start: date  # the first day counted (received, opened or asked on or after it)
    end: date  # the last day counted
    grouping: str  # a key of scrutiny.compliance.GROUPINGS
    today: date


@dataclass(frozen=True)
class FigureProvider:
    key: str
    title: str
    tables: Callable[[StatisticsQuery], list]
    order: int = 100  # where its tables come on the page: lower first


_PROVIDERS: dict[str, FigureProvider] = {}


def register(provider: FigureProvider) -> FigureProvider:
    _PROVIDERS[provider.key] = provider
    return provider


def providers() -> list[FigureProvider]:
    return sorted(_PROVIDERS.values(), key=lambda provider: (provider.order, provider.key))
