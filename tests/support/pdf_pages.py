"""Reading generated PDFs as a person would see them: each page rendered to an image (pypdfium2), and the text
found in its top and bottom margins, where the marking must be (§7(e), §10; ADR 29)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2

BAND = 68  # points: the 24 mm margins the documents' @page rule sets


@dataclass
class Page:
    number: int
    text: str  # all the page's text
    top: str  # the text in the top margin
    bottom: str  # the text in the bottom margin
    top_inked: bool  # the rendered image has dark pixels in the top margin
    bottom_inked: bool
    image: object  # PIL image of the whole page


def _inked(image) -> bool:
    darkest, _ = image.convert("L").getextrema()
    return darkest < 128


def pages(pdf: bytes, scale: float = 1.0) -> list[Page]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        text = page.get_textpage()
        image = page.render(scale=scale).to_pil()
        band = int(BAND * scale)
        found.append(Page(
            number=index + 1, text=text.get_text_range(),
            top=text.get_text_bounded(0, height - BAND, width, height),
            bottom=text.get_text_bounded(0, 0, width, BAND),
            top_inked=_inked(image.crop((0, 0, image.width, band))),
            bottom_inked=_inked(image.crop((0, image.height - band, image.width, image.height))),
            image=image))
    return found


def save_png(page: Page, name: str) -> Path:
    """Keep a rendered page for people to look at (test-artifacts/ at the top of the worktree)."""
    target = Path(__file__).resolve().parents[2] / "test-artifacts" / name
    target.parent.mkdir(exist_ok=True)
    page.image.save(target)
    return target


def flat(text: str) -> str:
    """The text without line breaks or spaces (a hash or a long word may wrap)."""
    return "".join(text.split())
