"""PDFs from Django templates with WeasyPrint (ADR 29). Every page carries the marking centred in capitals at its
top and bottom (§7(e), §10) and the reference, protocol version and clause, through CSS @page margin boxes, so a
page printed or sent on its own still says what it is and how it must be handled.

The margin boxes are written here, not in the templates: their text is CSS, where Django's HTML escaping means
nothing, so every value is escaped for a CSS string (css_string). WeasyPrint fetches nothing: a document is made
only of its template and the database's values (no images, no fonts but the system's, no URLs followed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# A system sans-serif: not GDS Transport, which is for GOV.UK's own pages only.
FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", sans-serif'
PAGE_CSS = """
@page {{
  size: A4;
  margin: 24mm 18mm 24mm 18mm;
  @top-center {{ content: {marking}; font-family: {font}; font-weight: bold; font-size: 12pt; }}
  @bottom-center {{ content: {marking}; font-family: {font}; font-weight: bold; font-size: 12pt; }}
  @top-right {{ content: {reference}; font-family: {font}; font-size: 8pt; }}
  @bottom-left {{ content: {footer}; font-family: {font}; font-size: 8pt; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font-family: {font}; font-size: 8pt; }}
}}
"""


@dataclass(frozen=True)
class PageMarks:
    """What every page of a document carries."""

    marking: str  # OFFICIAL or OFFICIAL-SENSITIVE (protocols.markings)
    reference: str  # the request's reference
    protocol: str  # "ho-iasc version 2020-05-13"
    clause: str  # the clause the document applies, e.g. §12

    @property
    def footer(self) -> str:
        return f"Protocol {self.protocol}" + (f" · {self.clause}" if self.clause else "")


def css_string(value: str) -> str:
    """A CSS string literal: letters, digits and a few safe signs as they are, everything else as a CSS escape, so
    no value can end the string or the rule."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:-–·§()/")
    return '"' + "".join(ch if ch in safe else f"\\{ord(ch):x} " for ch in value) + '"'


def page_css(marks: PageMarks) -> str:
    return PAGE_CSS.format(marking=css_string(marks.marking.upper()), reference=css_string(marks.reference),
                           footer=css_string(marks.footer), font=FONT_FAMILY)


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"Generated documents fetch nothing (asked for {url[:80]!r})")


def render_pdf(template_name: str, context: dict, marks: PageMarks) -> bytes:
    """The template rendered as HTML with the page marks, then laid out as a PDF."""
    from weasyprint import HTML  # imported here: loading pango is only worth it when a document is made

    html = render_to_string(template_name, {**context, "marks": marks, "page_css": mark_safe(page_css(marks))})
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
