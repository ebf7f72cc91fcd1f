"""Reading one PDF page for the failed-redaction check: its objects in drawing order, its
annotations, and the characters some of them hide (``xray.py`` owns the rules and the API).

Built on PDFium through pypdfium2's raw API. The Free Law Project's x-ray (BSD-2) documents the
method, but it reads PDFs with PyMuPDF, which is AGPL: this is our own reading of the same idea.

Speed is the design: the page objects are walked once (type, colours, render mode; form
XObjects entered with their matrices), a text object's box is read only when the page has
something that could hide it (an opaque object, an annotation, text in white), boxes are
compared object against object, and PDFium's text page — the per-character boxes — is loaded
only when a text object is under a later opaque object or annotation, or is painted in a
colour that may be its background's.
Annotations that PDFium draws from appearance streams (stamps, free text, ink) are judged by
rendering the page with and without them, only on pages where one lies over text.

Rects here are PDF user space ``(left, bottom, right, top)``; ``xray.py`` turns them into the
contract's top-left page coordinates.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as R

Rect = tuple[float, float, float, float]  # left, bottom, right, top (user space)
Point = tuple[float, float]
RGB = tuple[int, int, int]
Matrix = tuple[float, float, float, float, float, float]

SHAPE, IMAGE, ANNOTATION, COLOUR = (
    "covered-by-shape", "covered-by-image", "covered-by-annotation", "invisible-colour")

COVERED = 0.6  # share of a character's box an opaque object must cover to hide it
SAME_COLOUR = 8  # per channel (0-255): text this close to its background cannot be seen
MAX_OBJECTS = 50_000  # per page: a hostile page stops being walked here
FLAT = 24  # grey levels: a rendered character box with less contrast shows no glyph
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
WHITE: RGB = (255, 255, 255)

_VISIBLE_FILL = {0, 2, 4, 6}  # text render modes that paint glyphs with the fill colour
_VISIBLE_STROKE = {1, 2, 5, 6}  # ... with the stroke colour (3 and 7 paint nothing)
_RENDERED_ANNOTS = {R.FPDF_ANNOT_STAMP, R.FPDF_ANNOT_FREETEXT, R.FPDF_ANNOT_INK,
                    R.FPDF_ANNOT_CIRCLE, R.FPDF_ANNOT_POLYGON, R.FPDF_ANNOT_SQUARE}


class OutOfTime(Exception):
    """The check's time ran out in the middle of a page."""


@dataclass
class TextObj:
    order: int
    box: Rect
    colours: tuple[RGB, ...]  # what its glyphs are painted with (fill and/or stroke)
    handle: Any = None  # PDFium's object, valid while the page is open
    white: bool = False  # every colour it is painted with is too close to white to see

    def __post_init__(self) -> None:
        self.white = _all_white(self.colours)


@dataclass
class Cover:
    """Something drawn opaque: a filled path, an image or an annotation."""

    order: int
    box: Rect
    kind: str
    fill: RGB | None = None  # a path's colour (what text drawn on it must differ from)
    polygons: list[list[Point]] | None = None  # None: the box itself is the shape
    rendered: bool = False  # an annotation judged by rendering, not by its shape


@dataclass
class Char:
    index: int
    char: str
    box: Rect
    obj: TextObj


@dataclass
class Hidden:
    """Characters one cause hides: one area of the report."""

    kind: str
    chars: list[Char] = field(default_factory=list)


@dataclass
class _FoundText:
    """A visible text object as the walk meets it, its box not read yet."""

    order: int
    handle: Any
    matrix: Matrix
    colours: tuple[RGB, ...]


@dataclass
class PageObjects:
    """What ``walk`` found: the opaque covers, and the visible text objects, whose boxes are
    read by ``texts`` (most pages of text have nothing over their text, and skipping the
    boxes there is about a fifth of the walk)."""

    found: list[_FoundText]
    covers: list[Cover]
    white: bool = False  # some text object is painted in white
    _texts: list[TextObj] | None = None

    def texts(self) -> list[TextObj]:
        """The text objects with a box (those without one are left out), read once."""
        if self._texts is None:
            buf = _Floats()
            self._texts = []
            for f in self.found:
                box = buf.bounds(f.handle)
                if box is None or box[2] <= box[0] or box[3] <= box[1]:
                    continue
                self._texts.append(TextObj(f.order, _map_box(f.matrix, box), f.colours,
                                           f.handle))
        return self._texts


class _Floats:
    """Reused out-parameters: the walk asks PDFium for thousands of boxes and colours."""

    def __init__(self) -> None:
        self.f = [ctypes.c_float() for _ in range(4)]
        self.u = [ctypes.c_uint() for _ in range(4)]
        self.refs_f = [ctypes.byref(x) for x in self.f]
        self.refs_u = [ctypes.byref(x) for x in self.u]

    def bounds(self, obj: Any) -> Rect | None:
        if not R.FPDFPageObj_GetBounds(obj, *self.refs_f):
            return None
        return (self.f[0].value, self.f[1].value, self.f[2].value, self.f[3].value)

    def colour(self, getter: Callable[..., int], obj: Any) -> tuple[int, int, int, int] | None:
        if not getter(obj, *self.refs_u):
            return None
        return (self.u[0].value, self.u[1].value, self.u[2].value, self.u[3].value)


def address(handle: Any) -> int:
    return int(ctypes.cast(handle, ctypes.c_void_p).value or 0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _map_box(m: Matrix, box: Rect) -> Rect:
    if m == IDENTITY:
        return box
    pts = [_apply(m, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _matrix(obj: Any) -> Matrix:
    m = R.FS_MATRIX()
    if not R.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def walk(page: Any, deadline: float) -> PageObjects:
    """The page's visible text objects and opaque covers, numbered in drawing order."""
    out = PageObjects([], [])
    buf = _Floats()
    order = 0
    # PDFium's functions bound once: the loop runs for every object of every page imported.
    get_type, form, text, path, image = (R.FPDFPageObj_GetType, R.FPDF_PAGEOBJ_FORM,
                                         R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_PATH,
                                         R.FPDF_PAGEOBJ_IMAGE)
    transparent = R.FPDFPageObj_HasTransparency
    # (the container's objects, matrix to page space, drawn with transparency)
    stack: list[tuple[Iterator[Any], Matrix, bool]] = [
        (_children(page, R.FPDFPage_CountObjects, R.FPDFPage_GetObject), IDENTITY, False)]
    while stack:
        items, matrix, faded = stack[-1]
        obj = next(items, None)
        if obj is None:
            stack.pop()
            continue
        order += 1
        if order % 512 == 0 and time.monotonic() > deadline:
            raise OutOfTime
        if order > MAX_OBJECTS:
            break
        kind = get_type(obj)
        if kind == text:
            colours = _text_colours(obj, buf)
            if colours:
                out.found.append(_FoundText(order, obj, matrix, colours))
                out.white = out.white or _all_white(colours)
            continue
        if kind == form:
            inner = _mul(_matrix(obj), matrix)
            stack.append((_children(obj, R.FPDFFormObj_CountObjects, R.FPDFFormObj_GetObject),
                          inner, faded or bool(transparent(obj))))
            continue
        if (kind != path and kind != image) or faded or transparent(obj):
            continue
        box = buf.bounds(obj)
        if box is None or box[2] <= box[0] or box[3] <= box[1]:
            continue
        box = _map_box(matrix, box)
        cover = _path(obj, buf, order, box, matrix) if kind == path else Cover(order, box, IMAGE)
        if cover is not None:
            out.covers.append(cover)
    return out


def _children(parent: Any, count: Callable[[Any], int], get: Callable[[Any, int], Any]
              ) -> Iterator[Any]:
    n = count(parent)
    return map(get, repeat(parent, n), range(n))


def _text_colours(obj: Any, buf: _Floats) -> tuple[RGB, ...]:
    """What a text object's glyphs are painted with; none when they paint nothing a reader
    could see: invisible (mode 3: a scan's OCR layer), clip-only or fully transparent."""
    mode = R.FPDFTextObj_GetTextRenderMode(obj)
    fill = buf.colour(R.FPDFPageObj_GetFillColor, obj) if mode in _VISIBLE_FILL else None
    stroke = buf.colour(R.FPDFPageObj_GetStrokeColor, obj) if mode in _VISIBLE_STROKE else None
    if stroke is None or stroke[3] == 0:
        return (fill[:3],) if fill is not None and fill[3] > 0 else ()
    if fill is None or fill[3] == 0:
        return (stroke[:3],)
    return (fill[:3], stroke[:3])


def _all_white(colours: tuple[RGB, ...]) -> bool:
    """Every colour within ``SAME_COLOUR`` of white on each channel (``same_colour`` with
    ``WHITE``, written out: it is asked of every text object)."""
    return not colours or min(map(min, colours)) >= 255 - SAME_COLOUR


def _path(obj: Any, buf: _Floats, order: int, box: Rect, matrix: Matrix) -> Cover | None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not R.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return None
    if fill_mode.value == R.FPDF_FILLMODE_NONE:
        return None
    fill = buf.colour(R.FPDFPageObj_GetFillColor, obj)
    if fill is None or fill[3] < 255:
        return None
    cover = Cover(order, box, SHAPE, fill[:3])
    cover.polygons = _outline(obj, _mul(_matrix(obj), matrix))
    return cover


def _outline(obj: Any, matrix: Matrix) -> list[list[Point]] | None:
    """The path's sub-paths as polygons (curves flattened), or None for an axis-aligned
    rectangle, whose bounds are its shape."""
    polygons: list[list[Point]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    current: list[Point] = []
    pending: list[Point] = []  # Bézier points until the curve's end
    for i in range(min(R.FPDFPath_CountSegments(obj), 4096)):
        seg = R.FPDFPath_GetPathSegment(obj, i)
        R.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        point = _apply(matrix, x.value, y.value)
        kind = R.FPDFPathSegment_GetType(seg)
        if kind == R.FPDF_SEGMENT_MOVETO:
            if len(current) > 2:
                polygons.append(current)
            current = [point]
        elif kind == R.FPDF_SEGMENT_BEZIERTO:
            pending.append(point)
            if len(pending) == 3:
                start = current[-1] if current else point
                current.extend(_bezier(start, pending[0], pending[1], pending[2]))
                pending = []
        else:
            current.append(point)
    if len(current) > 2:
        polygons.append(current)
    if len(polygons) == 1 and _is_rect(polygons[0]):
        return None
    return polygons


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 8) -> list[Point]:
    out = []
    for k in range(1, steps + 1):
        t = k / steps
        u = 1 - t
        w = (u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3)
        out.append((w[0] * p0[0] + w[1] * p1[0] + w[2] * p2[0] + w[3] * p3[0],
                    w[0] * p0[1] + w[1] * p1[1] + w[2] * p2[1] + w[3] * p3[1]))
    return out


def _is_rect(poly: list[Point]) -> bool:
    xs = {round(p[0], 2) for p in poly}
    ys = {round(p[1], 2) for p in poly}
    if len(xs) != 2 or len(ys) != 2:
        return False
    corners = {(round(p[0], 2), round(p[1], 2)) for p in poly}
    return len(corners) == 4


# --- annotations -----------------------------------------------------------------------------

def annotation_covers(page: Any) -> list[Cover]:
    """The annotations that may hide text, drawn over all page content.

    A Redact annotation marks text for removal: while it is there the removal has not been
    applied, whatever it looks like. A Square with an opaque interior colour hides its
    rectangle. Stamps, free text, ink, circles and polygons draw what their appearance says:
    they are judged by rendering (``rendered``). Highlights, underlines, strike-outs, links
    and notes never hide text; annotations with an opacity (CA) below 1 or hidden ones are
    skipped.
    """
    covers: list[Cover] = []
    count = R.FPDFPage_GetAnnotCount(page)
    for i in range(min(count, 2000)):
        annot = R.FPDFPage_GetAnnot(page, i)
        if not annot:
            continue
        try:
            cover = _annotation(annot)
        finally:
            R.FPDFPage_CloseAnnot(annot)
        if cover is not None:
            covers.append(cover)
    return covers


def _annotation(annot: Any) -> Cover | None:
    subtype = R.FPDFAnnot_GetSubtype(annot)
    if subtype != R.FPDF_ANNOT_REDACT and subtype not in _RENDERED_ANNOTS:
        return None
    if R.FPDFAnnot_GetFlags(annot) & (R.FPDF_ANNOT_FLAG_HIDDEN | R.FPDF_ANNOT_FLAG_NOVIEW):
        return None
    rect = R.FS_RECTF()
    if not R.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
        return None
    box = (min(rect.left, rect.right), min(rect.bottom, rect.top),
           max(rect.left, rect.right), max(rect.bottom, rect.top))
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    order = MAX_OBJECTS * 2  # annotations are drawn over everything on the page
    if subtype == R.FPDF_ANNOT_REDACT:
        return Cover(order, box, ANNOTATION)
    if _opacity(annot) < 1.0:
        return None
    if subtype == R.FPDF_ANNOT_SQUARE and R.FPDFAnnot_HasKey(annot, b"IC"):
        # (PDFium answers the default colour for a missing IC: ask only when it is there.)
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        if R.FPDFAnnot_GetColor(annot, R.FPDFANNOT_COLORTYPE_InteriorColor, ctypes.byref(r),
                                ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
            return Cover(order, box, ANNOTATION, (r.value, g.value, b.value))
    return Cover(order, box, ANNOTATION, rendered=True)


def _opacity(annot: Any) -> float:
    if not R.FPDFAnnot_HasKey(annot, b"CA"):
        return 1.0
    value = ctypes.c_float(1.0)
    if not R.FPDFAnnot_GetNumberValue(annot, b"CA", ctypes.byref(value)):
        return 1.0
    return float(value.value)


# --- characters ------------------------------------------------------------------------------

def characters(textpage: Any, wanted: dict[int, TextObj], deadline: float = float("inf")
               ) -> list[Char]:
    """The characters (with their boxes) of the text objects in ``wanted``, in text order."""
    out: list[Char] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    for i in range(R.FPDFText_CountChars(textpage)):
        if i % 4096 == 4095 and time.monotonic() > deadline:
            raise OutOfTime
        obj = wanted.get(address(R.FPDFText_GetTextObject(textpage, i)))
        if obj is None:
            continue
        code = R.FPDFText_GetUnicode(textpage, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace() or not R.FPDFText_GetCharBox(textpage, i, *refs):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        if box[2] - box[0] <= 0.01 or box[3] - box[1] <= 0.01:
            continue
        out.append(Char(i, ch, box, obj))
    return out


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def covered_share(char: Rect, cover: Cover) -> float:
    """How much of ``char`` the cover's shape covers (0-1)."""
    if cover.polygons is None:
        w = min(char[2], cover.box[2]) - max(char[0], cover.box[0])
        h = min(char[3], cover.box[3]) - max(char[1], cover.box[1])
        if w <= 0 or h <= 0:
            return 0.0
        return (w * h) / ((char[2] - char[0]) * (char[3] - char[1]))
    # Any other shape: the share of a 4 x 4 grid of points inside it (non-zero rule).
    n = 4
    inside = 0
    for i in range(n):
        for j in range(n):
            x = char[0] + (i + 0.5) * (char[2] - char[0]) / n
            y = char[1] + (j + 0.5) * (char[3] - char[1]) / n
            if any(_winding(poly, x, y) for poly in cover.polygons):
                inside += 1
    return inside / (n * n)


def contains_point(cover: Cover, x: float, y: float) -> bool:
    if not (cover.box[0] <= x <= cover.box[2] and cover.box[1] <= y <= cover.box[3]):
        return False
    return cover.polygons is None or any(_winding(p, x, y) for p in cover.polygons)


def _winding(poly: list[Point], x: float, y: float) -> int:
    wn = 0
    n = len(poly)
    for k in range(n):
        (x0, y0), (x1, y1) = poly[k], poly[(k + 1) % n]
        if y0 <= y < y1 and (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0) > 0:
            wn += 1
        elif y1 <= y < y0 and (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0) < 0:
            wn -= 1
    return wn


def same_colour(a: RGB, b: RGB) -> bool:
    return all(abs(x - y) <= SAME_COLOUR for x, y in zip(a, b, strict=True))


# --- rendering, for annotations drawn from their appearance -----------------------------------

class Renders:
    """The page rendered grey with and without annotations, made on first use."""

    SCALE = 2.0
    MAX_PIXELS = 4000  # along the longer side: a poster-sized page is rendered smaller

    def __init__(self, page: pdfium.PdfPage, to_display: Callable[[Rect], Rect]) -> None:
        self.page = page
        self.scale = min(self.SCALE, self.MAX_PIXELS / max(*page.get_size(), 1.0))
        self.to_display = to_display
        self._images: tuple[Any, Any] | None = None

    def _pair(self) -> tuple[Any, Any]:
        if self._images is None:
            plain = self.page.render(scale=self.scale, grayscale=True, draw_annots=False,
                                     may_draw_forms=False).to_numpy()
            drawn = self.page.render(scale=self.scale, grayscale=True, draw_annots=True,
                                     may_draw_forms=False).to_numpy()
            self._images = (plain, drawn)
        return self._images

    def hides(self, char: Rect) -> bool:
        """The glyph shows without the annotations and not with them: its box is flat with
        them, or most of its ink changed (an opaque stamp with words of its own on top)."""
        import numpy as np

        plain, drawn = self._pair()
        x0, y0, x1, y1 = (v * self.scale for v in self.to_display(char))
        r0, r1 = int(y0) + 1, int(y1)
        c0, c1 = int(x0) + 1, int(x1)
        if r1 <= r0 or c1 <= c0:
            return False
        before = plain[r0:r1, c0:c1].astype(np.int16)
        after = drawn[r0:r1, c0:c1].astype(np.int16)
        if before.size == 0 or int(before.max()) - int(before.min()) <= FLAT:
            return False  # no glyph to see even without the annotations
        if int(after.max()) - int(after.min()) <= FLAT:
            return True
        # The glyph's pixels: those away from the paper, the box's lightest or darkest value
        # (whichever most of the box is nearer to: dark text on light paper, or the reverse).
        light = before.mean() >= (int(before.max()) + int(before.min())) / 2
        paper = int(before.max()) if light else int(before.min())
        ink = np.abs(before - paper) > FLAT
        changed = np.abs(after - before) > FLAT
        return bool(changed[ink].mean() >= COVERED)
