"""Failed-redaction detection: text still in a PDF under a box, an image or an annotation drawn
over it, or painted in the colour of what lies behind it.

A "redaction" made by drawing a black rectangle over live text hides nothing: the text is still
in the file, and any reader can select, copy or extract it. This module finds such places on
every page of a PDF and reports them as areas ``{page, bbox, characters, kind, text}``:

- ``covered-by-shape``: an opaque filled path (alpha 1, normal blending) drawn after the text
  covers at least 60 % of each character's box;
- ``covered-by-image``: the same for an opaque image drawn after the text (a scan's page image
  drawn before its invisible OCR text is not this: invisible text is never flagged);
- ``covered-by-annotation``: an unapplied Redact annotation over text, a Square annotation with
  an opaque interior, or a stamp, free text, ink, circle or polygon annotation whose rendering
  leaves no trace of the glyph (never highlights, underlines or strike-outs, nor annotations
  with an opacity below 1);
- ``invisible-colour``: text drawn in the colour behind it — the page's white when nothing is
  beneath it, or the fill of the shape drawn under it (white on white, black on black).

Ordinary layouts are not flagged: shaded table headers and call-out boxes are drawn before
their text, highlights are translucent, and text over a background image is not judged (its
colour cannot be compared without rendering the image).

Built on pypdfium2 (``xray_pdf`` reads the page); the Free Law Project's x-ray (BSD-2) documents
the method but depends on PyMuPDF (AGPL), so we do not use it. Runs in the import worker on the
pages the text reading already loaded, within the file's time budget (``ImportCheck``); a failure
costs one problem line, never the import. ``bbox`` is in PDF points from the page's top-left
corner as displayed (rotation and crop box applied), the contract of ``workbench.pages``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as R

from .extract.pdf_text import clean_pdfium
from .xray_pdf import (
    ANNOTATION,
    COLOUR,
    COVERED,
    IMAGE,
    SHAPE,
    WHITE,
    Char,
    Cover,
    OutOfTime,
    PageObjects,
    Rect,
    Renders,
    TextObj,
    address,
    annotation_covers,
    characters,
    contains_point,
    covered_share,
    overlaps,
    same_colour,
    walk,
)

__all__ = ["ANNOTATION", "COLOUR", "IMAGE", "KINDS", "SHAPE", "ImportCheck", "XrayArea",
           "XrayScan", "import_check", "problem_line", "scan_document", "scan_open_page",
           "scan_pdf"]

KINDS = (SHAPE, IMAGE, ANNOTATION, COLOUR)
PROBLEM = "possible failed redaction"
# The check's share of the time a file has left when it starts (OCR may need the rest), and a
# ceiling: at ~2 ms a page, 20 s is some 10,000 pages.
BUDGET_SHARE = 0.25
MAX_SECONDS = 20.0
PAIRS = 1_000_000  # text x cover box comparisons at once (a few MB)
# Up to this many text x cover pairs a page is compared in plain Python (≈ 2 ms at most):
# loading numpy for it would cost a worker 0.2 s and 15 MB (tests/core/test_import_lean.py).
PYTHON_PAIRS = 10_000


@dataclass(frozen=True)
class XrayArea:
    page: int  # from 1
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1: points, top-left origin
    characters: int
    kind: str
    text: str  # the hidden text: shown only when asked (``--show``), never stored

    def to_json(self, *, show: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"page": self.page, "bbox": list(self.bbox),
                               "characters": self.characters, "kind": self.kind}
        if show:
            out["text"] = self.text
        return out


@dataclass
class XrayScan:
    areas: list[XrayArea] = field(default_factory=list)
    pages: int = 0
    checked: int = 0  # pages checked; fewer than ``pages`` when the time ran out

    @property
    def complete(self) -> bool:
        return self.checked == self.pages


def scan_pdf(source: Path | str | pdfium.PdfDocument, *,
             deadline: float | None = None) -> list[XrayArea]:
    """The areas of a PDF (a path or a document PDFium has open) where text may be hidden."""
    return scan_document(source, deadline=deadline).areas


def scan_document(source: Path | str | pdfium.PdfDocument, *,
                  deadline: float | None = None) -> XrayScan:
    """Every page, until ``deadline`` (``time.monotonic()``) if one is given."""
    doc = pdfium.PdfDocument(str(source)) if isinstance(source, str | Path) else source
    try:
        scan = XrayScan(pages=len(doc))
        limit = deadline if deadline is not None else float("inf")
        for index in range(scan.pages):
            if time.monotonic() > limit:
                break
            try:
                scan.areas.extend(scan_page(doc, index, limit))
            except OutOfTime:
                break
            scan.checked += 1
        return scan
    finally:
        if doc is not source:
            doc.close()


def scan_page(doc: pdfium.PdfDocument, index: int, deadline: float = float("inf")
              ) -> list[XrayArea]:
    page = doc[index]
    try:
        return scan_open_page(page, index + 1, deadline)
    finally:
        page.close()


def scan_open_page(page: pdfium.PdfPage, number: int, deadline: float = float("inf"),
                   textpage: pdfium.PdfTextPage | None = None) -> list[XrayArea]:
    """One page already loaded (the import's, while it reads the text: loading a page is
    most of the cost); its text page is loaded here only when needed, unless given."""
    objects = walk(page.raw, deadline)
    if not objects.found:
        return []
    annots = annotation_covers(page.raw)
    if not objects.covers and not annots and not objects.white:
        return []  # nothing is drawn over the text, and none is in the page's colour
    plan = _Plan(objects, annots)
    if not plan.wanted:
        return []
    own = textpage is None
    tp = page.get_textpage() if textpage is None else textpage
    try:
        chars = characters(tp.raw, plan.wanted, deadline)
        display = _display(page)
        hidden = _judge(chars, plan, Renders(page, display), deadline)
        return [_area(number, kind, group, tp.raw, display) for kind, group in hidden]
    finally:
        if own:
            tp.close()


class _Plan:
    """Which text objects need their characters read, and what may hide them.

    Compares boxes object against object (numpy, when the page has covers), so a page of
    ordinary text costs one walk of its objects."""

    def __init__(self, objects: PageObjects, annots: list[Cover]) -> None:
        covers = objects.covers + annots
        texts = objects.texts()
        self.later: dict[int, list[Cover]] = {}  # text order -> covers drawn after, top first
        self.below: dict[int, list[Cover]] = {}  # text order -> covers drawn before, top first
        # text orders whose colour may be their background's (white: the page's)
        self.suspect: set[int] = {t.order for t in texts if t.white}
        if covers:
            self._pairs(texts, covers)
        keep = set(self.later) | self.suspect
        self.wanted = {address(t.handle): t for t in texts if t.order in keep}

    def _pairs(self, texts: list[TextObj], covers: list[Cover]) -> None:
        if len(texts) * len(covers) <= PYTHON_PAIRS:
            self._pairs_plain(texts, covers)
        else:
            self._pairs_numpy(texts, covers)
        for lists in (self.later, self.below):
            for found in lists.values():
                found.sort(key=lambda c: -c.order)

    def _pairs_plain(self, texts: list[TextObj], covers: list[Cover]) -> None:
        after: tuple[list[int], list[int]] = ([], [])
        before: tuple[list[int], list[int]] = ([], [])
        for ti, t in enumerate(texts):  # in numpy.nonzero's order: text, then cover
            tx0, ty0, tx1, ty1 = t.box
            for ci, c in enumerate(covers):
                cx0, cy0, cx1, cy1 = c.box
                if tx0 < cx1 and cx0 < tx1 and ty0 < cy1 and cy0 < ty1:
                    found = after if c.order > t.order else before if c.order < t.order else None
                    if found is not None:
                        found[0].append(ti)
                        found[1].append(ci)
        self._note(texts, covers, after, before)

    def _pairs_numpy(self, texts: list[TextObj], covers: list[Cover]) -> None:
        import numpy as np

        cb = np.array([c.box for c in covers], dtype=float)
        co = np.array([c.order for c in covers])[None, :]
        step = max(1, PAIRS // len(covers))  # texts per block: memory stays bounded
        for first in range(0, len(texts), step):
            block = texts[first:first + step]
            tb = np.array([t.box for t in block], dtype=float)
            to = np.array([t.order for t in block])[:, None]
            hit = ((tb[:, None, 0] < cb[None, :, 2]) & (cb[None, :, 0] < tb[:, None, 2])
                   & (tb[:, None, 1] < cb[None, :, 3]) & (cb[None, :, 1] < tb[:, None, 3]))
            self._note(block, covers, np.nonzero(hit & (co > to)), np.nonzero(hit & (co < to)))

    def _note(self, texts: list[TextObj], covers: list[Cover], after: Any, before: Any
              ) -> None:
        for ti, ci in zip(*after, strict=True):
            self.later.setdefault(texts[ti].order, []).append(covers[ci])
        for ti, ci in zip(*before, strict=True):
            t, c = texts[ti], covers[ci]
            self.below.setdefault(t.order, []).append(c)
            if c.fill is not None and all(same_colour(k, c.fill) for k in t.colours):
                self.suspect.add(t.order)


def _judge(chars: list[Char], plan: _Plan, renders: Renders, deadline: float
           ) -> list[tuple[str, list[Char]]]:
    """The hidden characters, grouped: one group per covering object, and runs of adjacent
    characters on a line for text in its background's colour."""
    by_cover: dict[int, tuple[str, list[Char]]] = {}
    runs: list[list[Char]] = []
    last: Char | None = None  # the previous character judged, hidden by colour or not
    for n, ch in enumerate(chars):
        if n % 256 == 255 and time.monotonic() > deadline:
            raise OutOfTime
        cover = _cover_of(ch, plan.later.get(ch.obj.order, []), renders)
        if cover is not None:
            by_cover.setdefault(id(cover), (cover.kind, []))[1].append(ch)
            continue
        if ch.obj.order in plan.suspect and _colour_hidden(ch, plan.below.get(ch.obj.order, [])):
            if runs and last is runs[-1][-1] and _same_line(last.box, ch.box):
                runs[-1].append(ch)
            else:
                runs.append([ch])
        last = ch
    return list(by_cover.values()) + [(COLOUR, run) for run in runs]


def _cover_of(ch: Char, later: list[Cover], renders: Renders) -> Cover | None:
    for cover in later:  # topmost first
        if not overlaps(ch.box, cover.box):
            continue
        if cover.rendered:
            if renders.hides(ch.box):
                return cover
        elif covered_share(ch.box, cover) >= COVERED:
            return cover
    return None


def _colour_hidden(ch: Char, below: list[Cover]) -> bool:
    x = (ch.box[0] + ch.box[2]) / 2
    y = (ch.box[1] + ch.box[3]) / 2
    behind = next((c for c in below if contains_point(c, x, y)), None)
    if behind is not None and behind.fill is None:
        return False  # over an image: its colour there is unknown
    background = WHITE if behind is None else behind.fill
    assert background is not None
    return all(same_colour(k, background) for k in ch.obj.colours)


def _same_line(a: Rect, b: Rect) -> bool:
    height = max(a[3] - a[1], b[3] - b[1], 1.0)
    vertical = min(a[3], b[3]) - max(a[1], b[1])
    return vertical > 0.3 * height and -height < b[0] - a[2] < 3 * height


def _display(page: pdfium.PdfPage) -> Any:
    """User space -> the page as displayed: one rule with the page boxes (``pages.boxes``)."""
    from .pages.boxes import Display

    return Display(page).rect


def _area(page: int, kind: str, chars: list[Char], textpage: Any, to_display: Any
          ) -> XrayArea:
    x0 = min(c.box[0] for c in chars)
    y0 = min(c.box[1] for c in chars)
    x1 = max(c.box[2] for c in chars)
    y1 = max(c.box[3] for c in chars)
    bbox = tuple(round(v, 2) for v in to_display((x0, y0, x1, y1)))
    return XrayArea(page, (bbox[0], bbox[1], bbox[2], bbox[3]), len(chars), kind,
                    _text_of(chars, textpage))


def _text_of(chars: list[Char], textpage: Any) -> str:
    ordered = sorted(chars, key=lambda c: c.index)
    parts: list[str] = []
    for prev, ch in zip([None, *ordered[:-1]], ordered, strict=True):
        if prev is not None and ch.index > prev.index + 1:
            gap = range(prev.index + 1, min(ch.index, prev.index + 8))
            if any(chr(R.FPDFText_GetUnicode(textpage, i)).isspace() for i in gap):
                parts.append(" ")
        parts.append(ch.char)
    return " ".join(clean_pdfium("".join(parts)).split())


# --- the import's check ------------------------------------------------------------------------

def _ranges(pages: Sequence[int]) -> str:
    """``3, 5, 7–9``: runs of three or more pages shortened."""
    out: list[str] = []
    i = 0
    while i < len(pages):
        j = i
        while j + 1 < len(pages) and pages[j + 1] == pages[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{pages[i]}–{pages[j]}")
        else:
            out.extend(str(p) for p in pages[i:j + 1])
        i = j + 1
    return ", ".join(out)


def problem_line(areas: Sequence[XrayArea | dict[str, Any]]) -> str | None:
    """``possible failed redaction: page 3 (2 areas)`` / ``pages 3, 5 (4 areas)``."""
    if not areas:
        return None
    pages = sorted({int(a["page"] if isinstance(a, dict) else a.page) for a in areas})
    count = len(areas)
    where = f"page {pages[0]}" if len(pages) == 1 else f"pages {_ranges(pages)}"
    return f"{PROBLEM}: {where} ({count} area{'s' if count != 1 else ''})"


class ImportCheck:
    """The check as the import runs it, page by page on the pages the text reading has open.

    ``page`` never raises: a failure stops the check and becomes a problem line, as running
    out of its time does (a share of what the file has left, ``BUDGET_SHARE``, at most
    ``MAX_SECONDS``). ``result`` gives the areas without their text (what the library keeps)
    and the document's problem lines."""

    def __init__(self, options_extra: dict[str, Any], pages: int) -> None:
        seconds = MAX_SECONDS
        deadline = options_extra.get("deadline")
        if isinstance(deadline, int | float):  # wall-clock, set by the importing process
            seconds = max(0.5, min(MAX_SECONDS, (float(deadline) - time.time()) * BUDGET_SHARE))
        self.deadline = time.monotonic() + seconds
        self.pages = pages
        self.areas: list[XrayArea] = []
        self.checked = 0
        self.out_of_time = False
        self.failure: str | None = None

    def page(self, page: pdfium.PdfPage, number: int,
             textpage: pdfium.PdfTextPage | None = None) -> None:
        if self.out_of_time or self.failure is not None:
            return
        if time.monotonic() > self.deadline:
            self.out_of_time = True
            return
        try:
            self.areas.extend(scan_open_page(page, number, self.deadline, textpage))
            self.checked += 1
        except OutOfTime:
            self.out_of_time = True
        except Exception as exc:  # untrusted input: a check that fails costs a line
            self.failure = type(exc).__name__

    def result(self) -> tuple[list[dict[str, Any]], list[str]]:
        problems = [line] if (line := problem_line(self.areas)) else []
        if self.failure is not None:
            problems.append(f"the failed-redaction check could not read this PDF "
                            f"({self.failure}) after page {self.checked} of {self.pages}")
        elif self.out_of_time:
            problems.append(f"the failed-redaction check ran out of time after page "
                            f"{self.checked} of {self.pages}")
        return [a.to_json() for a in self.areas], problems


def import_check(doc: pdfium.PdfDocument, options_extra: dict[str, Any]
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """``ImportCheck`` over every page of ``doc`` (for a reader that has no page open)."""
    check = ImportCheck(options_extra, len(doc))
    for index in range(len(doc)):
        try:
            page = doc[index]
        except Exception as exc:  # a page PDFium cannot load: the check stops there
            check.failure = check.failure or type(exc).__name__
            break
        try:
            check.page(page, index + 1)
        finally:
            page.close()
    return check.result()
