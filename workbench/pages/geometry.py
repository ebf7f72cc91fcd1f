"""A highlight's page geometry from character boxes, and the characters inside drawn rects.

Pure functions over ``PageBoxes`` (offsets are relative to the page's text). The geometry is
``{"kind": "text"|"region", "pages": [{"page": N, "quads": [[x0, y0, x1, y1], ...]}]}`` in
PDF points from the displayed page's top-left corner (``boxes.py``); a text highlight has one
quad per run of characters on one line, a region the rectangle the user drew.

Two characters are on one line when their boxes' vertical bands overlap by more than half the
smaller one: PDFium's loose boxes give a line's characters the same band, while a superscript
or a word in a larger font still joins its line and the next line (at least its own height
below) does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line imports this module to parse; PDFium loads on use
    from .boxes import PageBoxes

Box = tuple[float, float, float, float]
ZERO: Box = (0.0, 0.0, 0.0, 0.0)  # a character without a box (a line end PDFium inserted)
Rect = tuple[float, float, float, float]
TEXT, REGION = "text", "region"


def same_line(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def quads(boxes: Sequence[Box], start: int, end: int) -> list[list[float]]:
    """One rect per line run of ``boxes[start:end]``, empty boxes skipped (rounded to
    hundredths of a point, as stored)."""
    out: list[Box] = []
    for box in boxes[max(0, start):max(0, end)]:
        if box == ZERO:
            continue
        if out and same_line(out[-1], box):
            last = out[-1]
            out[-1] = (min(last[0], box[0]), min(last[1], box[1]),
                       max(last[2], box[2]), max(last[3], box[3]))
        else:
            out.append(box)
    return [rounded(q) for q in out]


def rounded(rect: Iterable[float]) -> list[float]:
    return [round(float(v), 2) for v in rect]


def inside(box: Box, rects: Sequence[Rect]) -> bool:
    """Whether the box's centre lies in any of ``rects`` (a non-empty box only)."""
    if box == ZERO:
        return False
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects)


def chars_in(pb: PageBoxes, rects: Sequence[Rect]) -> tuple[int, int] | None:
    """The page-text range from the first to the last character whose centre lies in
    ``rects``; None when none does."""
    hits = [i for i, box in enumerate(pb.boxes) if inside(box, rects)]
    if not hits:
        return None
    return hits[0], hits[-1] + 1


def check_rect(rect: Sequence[float], width: float, height: float) -> Rect:
    """``rect`` as ``(x0, y0, x1, y1)`` with x0 < x1 and y0 < y1, cut to the page; raises
    ``ValueError`` saying what is wrong (the caller turns it into the user's error)."""
    if len(rect) != 4:
        raise ValueError("a rectangle is four numbers: x0,y0,x1,y1")
    x0, y0, x1, y1 = (float(v) for v in rect)
    if any(v != v or v in (float("inf"), float("-inf")) for v in (x0, y0, x1, y1)):
        raise ValueError("a rectangle's corners must be finite numbers")
    if not (x0 < x1 and y0 < y1):
        raise ValueError("a rectangle needs x0 < x1 and y0 < y1 (points from the top-left)")
    cut = (max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1))
    if not (cut[0] < cut[2] and cut[1] < cut[3]):
        raise ValueError(f"the rectangle lies outside the page ({width:g} × {height:g} points)")
    return cut


def geometry(kind: str, pages: list[tuple[int, list[list[float]]]]) -> dict[str, Any] | None:
    """The stored form; None when no page has a quad."""
    kept = [{"page": int(n), "quads": q} for n, q in pages if q]
    return {"kind": kind, "pages": kept} if kept else None


def is_region(geom: dict[str, Any] | None) -> bool:
    return bool(geom) and isinstance(geom, dict) and geom.get("kind") == REGION


def shown_quote(quote: str, geom: dict[str, Any] | None, page: int | None) -> str:
    """What lists and exports show for a highlight's quote: a region without text is named
    by its page, ``[region on page N]``, where an empty string would say nothing."""
    if quote.strip() or not is_region(geom):
        return quote
    assert geom is not None
    first = geom["pages"][0]["page"] if geom.get("pages") else page
    return f"[region on page {first}]"


def valid(geom: Any) -> dict[str, Any] | None:
    """``geom`` when it has the stored shape (numbers, positive rects), else None: imported
    files are untrusted."""
    if not isinstance(geom, dict) or geom.get("kind") not in (TEXT, REGION):
        return None
    pages = geom.get("pages")
    if not isinstance(pages, list) or not pages:
        return None
    out = []
    for p in pages:
        if not isinstance(p, dict) or not isinstance(p.get("page"), int) or p["page"] < 1:
            return None
        qs = p.get("quads")
        if not isinstance(qs, list) or not qs:
            return None
        clean = []
        for q in qs:
            if not (isinstance(q, list) and len(q) == 4
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                            for v in q)):
                return None
            if not (q[0] < q[2] and q[1] < q[3]):
                return None
            clean.append(rounded(q))
        out.append({"page": p["page"], "quads": clean})
    return {"kind": geom["kind"], "pages": out}
