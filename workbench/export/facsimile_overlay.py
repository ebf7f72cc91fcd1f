"""What a facsimile draws over the source page: highlight marks, the exhibit stamp, Bates.

Marks are a translucent fill in the mark's colour (35 % opacity, so the text under them stays
black and readable) with a thin opaque outline, so a black-and-white print still shows them.
On a burnt-in page the black boxes are drawn again over the marks (``boxes_ops``), so a box
a mark crosses stays pure black.

The stamp ("Exhibit 3 · page 2 of 4 of the source", top left) and the Bates number (bottom
right) sit on white boxes with a grey rule, readable over any page. They are drawn with raw
PDF operators in Helvetica (a standard font: nothing to embed, no layout engine) whenever
their text is in Windows-1252, which covers "Exhibit 12" and Bates prefixes in Latin
scripts. Otherwise (an exhibit label in Arabic or Chinese) WeasyPrint lays the stamps
out once per facsimile with the fonts the dossier PDF uses (shaping and right-to-left text
right). Measured for a three-page facsimile: 15 ms with Helvetica, 50-150 ms with WeasyPrint
(after its import, ≈ 0.9 s), which is why WeasyPrint is not the default.
"""

from __future__ import annotations

from html import escape

from pypdf.generic import DictionaryObject, FloatObject, NameObject

Rect = tuple[float, float, float, float]

DEFAULT_MARK = "#ffd400"
MARK_OPACITY = 0.35
FONT_SIZE = 8.5
PAD = 3.0  # around the stamp's text
MARGIN = 8.0  # from the page's edge to the stamp's box
MARK_STATE, LINE_STATE, FONT = "/WbMark", "/WbLine", "/WbHelv"

# Helvetica's advance widths (1/1000 em) for ASCII 32-126, from its AFM; other characters
# are taken as 556, and the box has padding to spare.
_ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_OTHER_WIDTHS = {"\u00b7": 278, "\u2013": 556, "\u2014": 1000}


def stamp_text(stamp: str, number: int, source_pages: int) -> str:
    return f"{stamp} · page {number} of {source_pages} of the source"


def colour(value: str | None) -> tuple[float, float, float]:
    """``#rgb`` / ``#rrggbb`` as PDF colour components; anything else is the default."""
    text = (value or DEFAULT_MARK).strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    except ValueError:
        return colour(DEFAULT_MARK) if value != DEFAULT_MARK else (1.0, 0.83, 0.0)


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def marks_ops(marks: list[Rect], colours: list[str], height: float) -> bytes:
    """Content operators drawing ``marks`` (top-left points) on a page ``height`` high."""
    if not marks:
        return b""
    ops = [f"q 1 0 0 -1 0 {_n(height)} cm"]
    for i, (x0, y0, x1, y1) in enumerate(marks):
        r, g, b = colour(colours[i] if i < len(colours) else None)
        box = f"{_n(x0)} {_n(y0)} {_n(x1 - x0)} {_n(y1 - y0)} re"
        ops.append(f"{MARK_STATE} gs {_n(r)} {_n(g)} {_n(b)} rg {box} f")
        ops.append(f"{LINE_STATE} gs {_n(r * 0.7)} {_n(g * 0.7)} {_n(b * 0.7)} RG 0.6 w {box} S")
    ops.append("Q")
    return "\n".join(ops).encode("ascii") + b"\n"


def boxes_ops(boxes: list[Rect], height: float) -> bytes:
    """Opaque black rectangles at ``boxes`` (top-left points), drawn after the marks on a
    burnt-in page: the pixels under them are black already, and a translucent mark over a box
    would print it dark olive instead of black."""
    if not boxes:
        return b""
    ops = [f"q 1 0 0 -1 0 {_n(height)} cm {LINE_STATE} gs 0 g"]
    ops += [f"{_n(x0)} {_n(y0)} {_n(x1 - x0)} {_n(y1 - y0)} re" for x0, y0, x1, y1 in boxes]
    ops.append("f Q")
    return "\n".join(ops).encode("ascii") + b"\n"


def helvetica_ready(*texts: str) -> bool:
    """Whether Helvetica with WinAnsiEncoding can print all of ``texts``."""
    try:
        for text in texts:
            text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _width(text: str) -> float:
    total = 0
    for ch in text:
        code = ord(ch)
        total += _ASCII_WIDTHS[code - 32] if 32 <= code <= 126 else _OTHER_WIDTHS.get(ch, 556)
    return total * FONT_SIZE / 1000


def _literal(text: str) -> str:
    raw = text.encode("cp1252")
    out = []
    for byte in raw:
        ch = chr(byte)
        out.append("\\" + ch if ch in "()\\" else ch if 32 <= byte < 127 else f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _label(text: str, x: float, y: float) -> str:
    """A white box with ``text`` whose bottom-left corner is at (x, y), bottom-left points."""
    w, h = _width(text) + 2 * PAD, FONT_SIZE + 2 * PAD
    return (f"q 1 g 0.5 G 0.5 w {_n(x)} {_n(y)} {_n(w)} {_n(h)} re B Q\n"
            f"BT {FONT} {_n(FONT_SIZE)} Tf 0 g {_n(x + PAD)} {_n(y + PAD + 1.8)} Td "
            f"{_literal(text)} Tj ET\n")


def label_size(text: str) -> tuple[float, float]:
    return _width(text) + 2 * PAD, FONT_SIZE + 2 * PAD


def stamp_ops(stamp: str, bates: str | None, width: float, height: float) -> bytes:
    """The stamp at the top left and ``bates`` at the bottom right, in Helvetica."""
    box_h = FONT_SIZE + 2 * PAD
    ops = _label(stamp, MARGIN, height - MARGIN - box_h)
    if bates:
        ops += _label(bates, width - MARGIN - label_size(bates)[0], MARGIN)
    return ops.encode("ascii")


def resources() -> dict[str, DictionaryObject]:
    """The graphics states and the font the overlay's operators name (direct objects)."""
    def state(**entries: float) -> DictionaryObject:
        return DictionaryObject({NameObject("/" + k): FloatObject(v) for k, v in entries.items()})

    return {
        "/ExtGState": DictionaryObject({
            NameObject(MARK_STATE): state(ca=MARK_OPACITY, CA=1.0),
            NameObject(LINE_STATE): state(ca=1.0, CA=1.0)}),
        "/Font": DictionaryObject({NameObject(FONT): DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})}),
    }


def stamps_html(pages: list[tuple[float, float, str, str | None]]) -> str:
    """One HTML document laying out each page's stamp and Bates number, page by page:
    ``(width, height, stamp, bates)`` in points."""
    from .html import font_faces

    sizes = {(w, h) for w, h, _s, _b in pages}
    named = {size: f"s{i}" for i, size in enumerate(sorted(sizes))}
    css = [font_faces(),
           "html, body { margin: 0; padding: 0 }",
           ".label { position: absolute; background: white; border: 0.5pt solid #808080;"
           f" padding: {PAD - 1}pt {PAD}pt; font: {FONT_SIZE}pt/1.2 'WB Sans', 'WB Naskh',"
           " 'WB CJK'; color: black; unicode-bidi: plaintext; white-space: nowrap }",
           f".stamp {{ top: {MARGIN}pt; left: {MARGIN}pt }}",
           f".bates {{ bottom: {MARGIN}pt; right: {MARGIN}pt }}"]
    for (w, h), name in named.items():
        css.append(f"@page {name} {{ size: {w}pt {h}pt; margin: 0 }}")
        # A hair shorter than the page, so rounding never spills onto a blank page.
        css.append(f".{name} {{ page: {name}; position: relative; width: {w}pt;"
                   f" height: {h - 0.5}pt; overflow: hidden }}")
    body = []
    for i, (w, h, stamp, bates) in enumerate(pages):
        brk = "break-after: page" if i < len(pages) - 1 else ""
        parts = [f'<div class="{named[(w, h)]}" style="{brk}">',
                 f'<div class="label stamp" dir="auto">{escape(stamp)}</div>']
        if bates:
            parts.append(f'<div class="label bates" dir="auto">{escape(bates)}</div>')
        body.append("".join(parts) + "</div>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>" + "\n".join(css)
            + "</style></head><body>" + "".join(body) + "</body></html>")


def weasy_stamps(pages: list[tuple[float, float, str, str | None]]) -> bytes:
    """The stamps laid out by WeasyPrint as one PDF, a page for each of ``pages``."""
    from .pdf_layout import quiet_weasyprint

    quiet_weasyprint()
    from weasyprint import HTML

    from .common import resources_dir

    return HTML(string=stamps_html(pages), base_url=str(resources_dir())).write_pdf()  # type: ignore[no-any-return]
