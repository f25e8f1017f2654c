"""Pages of a list without counting the whole list.

A COUNT(*) over every request a person may see costs more than the page itself once there are tens of
thousands; GOV.UK pagination needs only "previous" and "next". One row past the page tells whether a next
page exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


MAX_PAGE = 100_000  # beyond any list a person reads; a larger number is the last page anyone could ask for


def page_number(requested: str | None) -> int:
    """The page asked for: 1 if missing or malformed, never beyond MAX_PAGE (no 20-digit OFFSET)."""
    if not requested or not requested.isdigit():
        return 1
    if len(requested) > len(str(MAX_PAGE)):  # never int() a string of any length
        return MAX_PAGE
    return min(max(int(requested), 1), MAX_PAGE)


def page_of(queryset, requested: str | None, size: int) -> Page:
    """Page `requested` (1 if missing or malformed) of the queryset, in one query."""
    number = page_number(requested)
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return Page(rows[:size], number, len(rows) > size)
