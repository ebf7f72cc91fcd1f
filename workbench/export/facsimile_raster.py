"""Redacted facsimile pages burnt in: rendered to pixels, boxes painted black, read by OCR.

A page with a redaction is rendered with PDFium at the request's resolution (200 dpi by
default; less for a page so large it would exceed ``MAX_PIXELS``) as it displays (rotation
and crop box applied; annotations and form fields are not drawn: the facsimile carries none),
each redaction rect is painted solid black in the pixels, and the page of the export is that
image alone. Nothing of the source's text, glyphs, vectors
or images survives: only what the pixels show, which is what OCR then reads.

The image is stored losslessly (Flate) and in grey when the page has no colour: measured on a
dense A4 text page at 200 dpi, grey Flate is 297 KB against 666 KB as JPEG (quality 85), and
the edges of letters and boxes stay exact. A photographic page (thousands of colours) is
also encoded as JPEG (quality 90) and the smaller of the two kept when it is under half.

The text layer is Tesseract's reading of the REDACTED image, as an invisible-text PDF page
(``textonly_pdf``: GlyphLessFont, text render mode 3) laid over the image, so the exhibit stays
searchable and can only say what the page shows. Tesseract's font maps every code of the BMP
to itself (one ``bfrange <0000> <FFFF>``, and a 128 KB CIDToGIDMap): pypdf expands that range
into 65,536 entries each time it reads the page (0.5 s a page, measured), so
``compact_text_layer`` lists only the codes the page uses, mapped as before.

Tesseract runs as its own process per page (one OpenMP thread each: measured, letting each
use every core made one page take 14 s instead of 1.8 s on a busy two-core machine), several
at once on a thread pool, while this process renders the next pages; without Tesseract the
page is the image alone and the result says so. Only pypdfium2, Pillow, pypdf and the
``tesseract`` program are used here.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

Rect = tuple[float, float, float, float]

MAX_PIXELS = 40_000_000  # a larger page (a poster, a map) is rendered at a lower resolution
OCR_TIMEOUT = 180.0  # seconds for one page; a page Tesseract cannot read in that has no text
JPEG_QUALITY = 90
MANY_COLOURS = 4096  # above this a page is photographic enough to try JPEG
NO_TESSERACT = ("Tesseract is not installed: the redacted pages are images without a text "
                "layer (install tesseract-ocr to make them searchable)")
# Scripts for choosing OCR languages when the request names none: the source page's own
# text (read only for this choice) tells which model reads it.
_ARABIC = range(0x0600, 0x0700)
_HAN = range(0x4E00, 0xA000)


def tesseract_program() -> str | None:
    return shutil.which("tesseract")


@dataclass
class Burnt:
    """A rendered, redacted page ready to become a PDF page."""

    number: int
    width: int  # pixels
    height: int
    grey: bool
    data: bytes  # the image stream's encoded bytes
    jpeg: bool  # DCTDecode, else FlateDecode
    ocr: Future[tuple[bytes | None, str]] | None = None  # (text-only PDF, text)
    languages: str = ""  # what Tesseract read it in
    boxes: list[Rect] = field(default_factory=list)  # the black boxes as painted, in points

    @property
    def sha256(self) -> str:
        """The digest of the image stream as written: what the leak check compares."""
        return hashlib.sha256(self.data).hexdigest()


def burn(page: Any, rects: list[Rect], dpi: int) -> Any:
    """The page (a pypdfium2 page) as a PIL image at ``dpi`` with ``rects`` (top-left points
    as displayed) painted black."""
    return burn_boxes(page, rects, dpi)[0]


def burn_boxes(page: Any, rects: list[Rect], dpi: int) -> tuple[Any, list[Rect]]:
    """``burn``, and the boxes as painted (whole pixels, a pixel wider) back in points."""
    from PIL import ImageDraw

    width, height = page.get_width(), page.get_height()
    scale = min(dpi / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
    while math.ceil(width * scale) * math.ceil(height * scale) > MAX_PIXELS:
        scale *= 0.995  # the bitmap's sides are whole pixels, rounded up
    image = page.render(scale=scale, draw_annots=False, may_draw_forms=False).to_pil()
    image = image.convert("RGB")
    sx, sy = image.width / width, image.height / height
    draw = ImageDraw.Draw(image)
    painted: list[Rect] = []
    for x0, y0, x1, y1 in rects:
        # Outward to whole pixels and one more: an anti-aliased glyph edge must not peek out.
        box = (math.floor(x0 * sx) - 1, math.floor(y0 * sy) - 1,
               math.ceil(x1 * sx) + 1, math.ceil(y1 * sy) + 1)
        draw.rectangle(box, fill=(0, 0, 0))
        # PIL's rectangle includes its last pixel.
        painted.append((max(0, box[0]) / sx, max(0, box[1]) / sy,
                        min(image.width, box[2] + 1) / sx, min(image.height, box[3] + 1) / sy))
    return image, painted


def _is_grey(image: Any) -> bool:
    from PIL import ImageChops

    r, g, b = image.split()
    return ImageChops.difference(r, g).getbbox() is None and \
        ImageChops.difference(g, b).getbbox() is None


def encode(image: Any) -> tuple[bytes, bool, bool]:
    """(stream bytes, JPEG?, grey?) for the page image; see the module docstring."""
    grey = _is_grey(image)
    if grey:
        image = image.convert("L")
    flate = zlib.compress(image.tobytes(), 6)
    if image.getcolors(MANY_COLOURS) is None:
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
        if len(buf.getvalue()) * 2 < len(flate):
            return buf.getvalue(), True, grey
    return flate, False, grey


def languages_for(text: str, requested: str | None) -> str:
    """Tesseract's language string: the request's (installed ones), else by script."""
    from ..extract.ocr import AUTO, installed_languages, resolve_languages

    if requested and requested != AUTO:
        return resolve_languages(requested)[0]
    have = installed_languages()
    arabic = sum(1 for ch in text if ord(ch) in _ARABIC)
    han = sum(1 for ch in text if ord(ch) in _HAN)
    if han and han >= arabic and "chi_sim" in have:
        wanted = ["chi_sim"]
    elif arabic:
        wanted = [lang for lang in ("ara", "uig") if lang in have] + ["eng"]
    else:
        wanted = ["eng"]
    use = [lang for lang in wanted if lang in have] or sorted(have)[:1] or ["eng"]
    return "+".join(use)


def pnm(burnt: Burnt) -> bytes:
    """A Flate-stored page image as PGM or PPM (what Tesseract reads without decoding)."""
    magic = b"P5" if burnt.grey else b"P6"
    return b"%s\n%d %d\n255\n" % (magic, burnt.width, burnt.height) + zlib.decompress(burnt.data)


def ocr_input(image: Any) -> bytes:
    """The redacted image as Tesseract reads it: grey PNG, fast compression (≈ 25 ms and
    300 KB for an A4 page at 200 dpi, so 30 pages waiting for OCR hold 10 MB, not 330)."""
    buf = io.BytesIO()
    image.convert("L").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def ocr_page(program: str, png: bytes, languages: str, dpi: int) -> tuple[bytes | None, str]:
    """Tesseract's invisible-text PDF page (its font made compact) and plain text for the
    image ``png``; (None, "") when it fails or runs out of time (the page then stays an image
    alone)."""
    pdf, text = tesseract_page(program, png, languages, dpi)
    return (None if pdf is None else compact_text_layer(pdf)), text


def tesseract_page(program: str, png: bytes, languages: str,
                   dpi: int) -> tuple[bytes | None, str]:
    """Tesseract's own invisible-text PDF page and plain text for ``png``, as it writes them."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="wb-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        try:
            subprocess.run(
                [program, "stdin", base, "-l", languages, "--dpi", str(dpi),
                 "-c", "textonly_pdf=1", "pdf", "txt"],
                input=png, env=env, capture_output=True, timeout=OCR_TIMEOUT, check=True)
            with open(base + ".pdf", "rb") as pdf, open(base + ".txt", encoding="utf-8") as txt:
                return pdf.read(), txt.read()
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
            return None, ""


_IDENTITY_BMP = re.compile(rb"1\s+beginbfrange\s*<0000>\s*<FFFF>\s*<0000>\s*endbfrange",
                           re.IGNORECASE)
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_CMAP_HEAD = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
              b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
              b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
              b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
_CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def compact_text_layer(pdf: bytes) -> bytes:
    """Tesseract's text-only page with its identity font listing only the codes the page
    shows: the ToUnicode maps each of them to itself as before (so the text reads the same),
    the CIDToGIDMap stops after the highest. Anything else is returned unchanged."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import DecodedStreamObject, NameObject, StreamObject

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        changed = False
        for page in writer.pages:
            contents = page.get_contents()
            codes = _codes(contents.get_data() if contents is not None else b"")
            resources: Any = page["/Resources"].get_object()
            fonts: Any = resources.get("/Font")
            for ref in (fonts.get_object().values() if fonts is not None else []):
                font: Any = ref.get_object()
                unicode = font.get("/ToUnicode")
                if codes is None or unicode is None or font.get("/Encoding") != "/Identity-H" \
                        or not _IDENTITY_BMP.search(unicode.get_object().get_data()):
                    continue
                cmap = DecodedStreamObject()
                cmap.set_data(_identity_cmap(codes))
                font[NameObject("/ToUnicode")] = writer._add_object(cmap.flate_encode())
                for cid in font.get("/DescendantFonts", []):
                    descendant: Any = cid.get_object()
                    gid_map = descendant.get("/CIDToGIDMap")
                    table = gid_map.get_object() if gid_map is not None else None
                    if isinstance(table, StreamObject):
                        cut = DecodedStreamObject()
                        cut.set_data(table.get_data()[:2 * (max(codes, default=0) + 1)])
                        descendant[NameObject("/CIDToGIDMap")] = \
                            writer._add_object(cut.flate_encode())
                changed = True
        if not changed:
            return pdf
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError):
        return pdf  # as Tesseract wrote it: slower to read, never wrong


def _codes(content: bytes) -> set[int] | None:
    """The two-byte codes of the content's hex strings; None when it shows text otherwise
    (a literal string), which this does not parse."""
    if re.search(rb"\)\s*\]?\s*(Tj|TJ|'|\")", content):
        return None
    codes: set[int] = set()
    for match in _HEX_STRING.finditer(content.replace(b"<<", b"").replace(b">>", b"")):
        digits = re.sub(rb"\s", b"", match.group(1))
        if len(digits) % 4:
            return None
        codes.update(int(digits[i:i + 4], 16) for i in range(0, len(digits), 4))
    return codes


def _identity_cmap(codes: set[int]) -> bytes:
    """A ToUnicode CMap mapping each of ``codes`` to itself, in runs that keep within one
    high byte (as a bfrange must), at most 100 a block."""
    runs: list[tuple[int, int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1 and code >> 8 == runs[-1][0] >> 8:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    body = b""
    for i in range(0, len(runs), 100):
        block = runs[i:i + 100]
        body += f"{len(block)} beginbfrange\n".encode()
        body += b"".join(f"<{a:04X}> <{b:04X}> <{a:04X}>\n".encode() for a, b in block)
        body += b"endbfrange\n"
    return _CMAP_HEAD + body + _CMAP_TAIL


class OcrPool:
    """Tesseract runs for one export, a few at a time; a context manager."""

    def __init__(self, workers: int | None = None) -> None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
        self.program = tesseract_program()
        self._pool = ThreadPoolExecutor(max_workers=workers or max(1, cores),
                                        thread_name_prefix="facsimile-ocr")

    def submit(self, image: Any, languages: str,
               dpi: int) -> Future[tuple[bytes | None, str]] | None:
        if self.program is None:
            return None
        return self._pool.submit(ocr_page, self.program, ocr_input(image), languages, dpi)

    def submit_burnt(self, burnt: Burnt, languages: str,
                     dpi: int) -> Future[tuple[bytes | None, str]] | None:
        """OCR of a losslessly stored page: its pixels are unpacked from the stream in the
        worker (zlib lets other threads run meanwhile), so the renderer's thread spends
        nothing on an image for Tesseract and only the stream waits in the queue."""
        if self.program is None:
            return None
        program = self.program
        return self._pool.submit(lambda: ocr_page(program, pnm(burnt), languages, dpi))

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def burn_page(pool: OcrPool, page: Any, number: int, rects: list[Rect], dpi: int,
              languages: str | None, ocr: bool) -> Burnt:
    """Render, paint and encode page ``number``, and start its OCR on ``pool``."""
    image, boxes = burn_boxes(page, rects, dpi)
    data, jpeg, grey = encode(image)
    burnt = Burnt(number, image.width, image.height, grey, data, jpeg, boxes=boxes)
    if ocr and pool.program is not None:
        text = page.get_textpage().get_text_range() if not languages else ""
        actual = round(image.width / page.get_width() * 72)
        burnt.languages = languages_for(text, languages)
        burnt.ocr = pool.submit(image, burnt.languages, actual) if jpeg else \
            pool.submit_burnt(burnt, burnt.languages, actual)
    return burnt
