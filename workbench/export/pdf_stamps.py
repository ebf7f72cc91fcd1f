"""The dossier PDF's page stamps drawn as PDF text: the footer ("Page i of n"), the Bates
number and the contents' page numbers, laid over the assembled pages by ``pdf_assemble``.

They were a second WeasyPrint document of empty pages (``html.pdf_stamps``), and WeasyPrint
costs ≈ 7 ms for an empty page: 1-2 CPU-s and a step of its own between the layout and the
assembly at 500 exhibits (issue 16). Here each page's stamps are a few operators, placed where
that document put them — the same font (a subset of the bundled Noto Sans, printable ASCII,
made once per process with fontTools and embedded as a TrueType font with WinAnsiEncoding, so
every PDF reader reads the text back), size, colour, line box and alignment (the figures below
are ``html.STAMP_CSS``'s and the stylesheets'; a test compares every text's position with
WeasyPrint's). A Bates prefix with any other character (another script) is laid out by
WeasyPrint as before: ``drawable`` says which way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from .common import resources_dir
from .html import Stamp

PX = 0.75  # PDF points per CSS pixel
MM = 72 / 25.4  # PDF points per millimetre
FIRST, LAST = 32, 126  # the subset: printable ASCII, by WinAnsiEncoding's codes
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")
FONT_NAME = "WBSTMP+WB-Sans"  # a subset's tag, then the family, named as WeasyPrint names it
RESOURCE = "/WBstampFont"  # its name on the page: WeasyPrint's are random capitals
COLOUR = "0.066667 g"  # dossier.css's body colour, #111
# The footer (STAMP_CSS's div.f): a line box 22 mm high from 275 mm, 18 mm to 192 mm, 8 pt,
# centred; the Bates number right-aligned in the same line.
FOOTER_SIZE, FOOTER_TOP, FOOTER_HEIGHT = 8.0, 275 * MM, 22 * MM
FOOTER_LEFT, FOOTER_RIGHT = 18 * MM, 192 * MM
# The contents' numbers (span.n): body text, 10.5 pt with line-height 1.45, right-aligned in
# the entry's box.
NUMBER_SIZE, NUMBER_LINE = 10.5, 1.45


@dataclass(frozen=True)
class Font:
    data: bytes  # the TrueType subset
    widths: tuple[int, ...]  # advance of codes FIRST..LAST, 1/1000 em
    ascent: int
    descent: int  # positive, 1/1000 em
    bbox: tuple[int, int, int, int]
    cap_height: int

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[ord(c) - FIRST] for c in text) * size / 1000

    def baseline(self, top: float, line: float, size: float) -> float:
        """The baseline's distance from the page's top for a line box at ``top``, ``line``
        high (CSS: half the leading above the ascent)."""
        return top + (line - (self.ascent + self.descent) * size / 1000) / 2 + \
            self.ascent * size / 1000


@functools.cache
def font() -> Font:
    """The bundled Noto Sans cut to printable ASCII (≈ 0.1 CPU-s, import included; once
    per process)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = TTFont(resources_dir() / "fonts" / "NotoSans-Regular.ttf", lazy=True)
    # No shaping here: without its layout tables the cut takes 0.03 CPU-s instead of 0.3
    for tag in LAYOUT_TABLES:
        if tag in face:
            del face[tag]
    scale = 1000 / face["head"].unitsPerEm
    cmap, metrics = face.getBestCmap(), face["hmtx"]
    widths = tuple(round(metrics[cmap[code]][0] * scale) for code in range(FIRST, LAST + 1))
    head, hhea = face["head"], face["hhea"]
    bbox = tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = []
    options.notdef_outline = True
    options.drop_tables += list(LAYOUT_TABLES)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=range(FIRST, LAST + 1))
    cutter.subset(face)
    out = BytesIO()
    face.save(out)
    return Font(out.getvalue(), widths, round(hhea.ascent * scale),
                round(-hhea.descent * scale), bbox,  # type: ignore[arg-type]
                round(face["OS/2"].sCapHeight * scale))


def drawable(*texts: str | None) -> bool:
    """Whether the subset has every character of ``texts``."""
    return all(FIRST <= ord(c) <= LAST for text in texts if text for c in text)


def _n(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _literal(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _text(out: list[str], text: str, x: float, y: float, size: float) -> None:
    out.append(f"BT {RESOURCE} {_n(size)} Tf 1 0 0 1 {_n(x)} {_n(y)} Tm {_literal(text)} Tj ET")


def page_ops(index: int, total: int, bates: str | None, numbers: Sequence[Stamp],
             height: float) -> bytes:
    """The operators stamping page ``index`` (0-based) of ``total``, ``height`` points high:
    its footer, its Bates number and ``numbers`` (its contents' page numbers, positions in
    CSS pixels from the top left)."""
    f = font()
    out = ["q", COLOUR]
    for _page, top, left, width, text in numbers:
        base = f.baseline(top * PX, NUMBER_SIZE * NUMBER_LINE, NUMBER_SIZE)
        _text(out, text, (left + width) * PX - f.width(text, NUMBER_SIZE), height - base,
              NUMBER_SIZE)
    base = height - f.baseline(FOOTER_TOP, FOOTER_HEIGHT, FOOTER_SIZE)
    footer = f"Page {index + 1} of {total}"
    _text(out, footer, (FOOTER_LEFT + FOOTER_RIGHT - f.width(footer, FOOTER_SIZE)) / 2, base,
          FOOTER_SIZE)
    if bates:
        number = f"{bates}{index + 1:06d}"
        _text(out, number, FOOTER_RIGHT - f.width(number, FOOTER_SIZE), base, FOOTER_SIZE)
    out.append("Q")
    return "\n".join(out).encode("latin-1")


@dataclass
class DrawnStamps:
    """The stamps of the pages that get one (final indices, in order) of a ``total``-page
    dossier; ``ops`` draws the k-th of them on its page, ``resources`` adds the font they
    name."""
    pages: list[tuple[int, list[Stamp]]]
    total: int
    bates: str | None

    def ops(self, k: int, height: float) -> bytes:
        index, numbers = self.pages[k]
        return page_ops(index, self.total, self.bates, numbers, height)

    def resources(self, writer: Any) -> Any:
        """The ``/Font`` entry the operators name, its font added to ``writer`` once."""
        from pypdf.generic import (
            ArrayObject,
            DecodedStreamObject,
            DictionaryObject,
            NameObject,
            NumberObject,
        )

        f = font()
        file = DecodedStreamObject()
        file.set_data(f.data)
        file[NameObject("/Length1")] = NumberObject(len(f.data))
        descriptor = DictionaryObject({
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/" + FONT_NAME),
            NameObject("/Flags"): NumberObject(32),  # non-symbolic: WinAnsiEncoding applies
            NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in f.bbox),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(f.ascent),
            NameObject("/Descent"): NumberObject(-f.descent),
            NameObject("/CapHeight"): NumberObject(f.cap_height),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(file.flate_encode())})
        entry = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/" + FONT_NAME),
            NameObject("/FirstChar"): NumberObject(FIRST),
            NameObject("/LastChar"): NumberObject(LAST),
            NameObject("/Widths"): ArrayObject(NumberObject(w) for w in f.widths),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/FontDescriptor"): writer._add_object(descriptor)})
        return DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject(RESOURCE): writer._add_object(entry)})})


def draw(pages: Sequence[int], total: int, bates: str | None,
         numbers: Sequence[Stamp]) -> DrawnStamps:
    """The stamps of ``pages`` (final indices, in order) of a ``total``-page dossier."""
    on_page: dict[int, list[Stamp]] = {i: [] for i in pages}
    for stamp in numbers:
        if stamp[0] in on_page:
            on_page[stamp[0]].append(stamp)
    return DrawnStamps([(i, on_page[i]) for i in pages], total, bates)
