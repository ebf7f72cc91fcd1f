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
searchable and can only say what the page shows. Tesseract runs as its own process per page
(one OpenMP thread each: measured, letting each use every core made one page take 14 s
instead of 1.8 s on a busy two-core machine), several at once on a thread pool, while this
process renders the next pages; without Tesseract the page is the image alone and the result
says so. Only pypdfium2, Pillow and the ``tesseract`` program are used here.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import tempfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
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


def burn(page: Any, rects: list[Rect], dpi: int) -> Any:
    """The page (a pypdfium2 page) as a PIL image at ``dpi`` with ``rects`` (top-left points
    as displayed) painted black."""
    from PIL import ImageDraw

    width, height = page.get_width(), page.get_height()
    scale = min(dpi / 72, math.sqrt(MAX_PIXELS / max(1.0, width * height)))
    while math.ceil(width * scale) * math.ceil(height * scale) > MAX_PIXELS:
        scale *= 0.995  # the bitmap's sides are whole pixels, rounded up
    image = page.render(scale=scale, draw_annots=False, may_draw_forms=False).to_pil()
    image = image.convert("RGB")
    sx, sy = image.width / width, image.height / height
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in rects:
        # Outward to whole pixels and one more: an anti-aliased glyph edge must not peek out.
        box = (math.floor(x0 * sx) - 1, math.floor(y0 * sy) - 1,
               math.ceil(x1 * sx) + 1, math.ceil(y1 * sy) + 1)
        draw.rectangle(box, fill=(0, 0, 0))
    return image


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


def ocr_input(image: Any) -> bytes:
    """The redacted image as Tesseract reads it: grey PNG, fast compression (≈ 25 ms and
    300 KB for an A4 page at 200 dpi, so 30 pages waiting for OCR hold 10 MB, not 330)."""
    buf = io.BytesIO()
    image.convert("L").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def ocr_page(program: str, png: bytes, languages: str, dpi: int) -> tuple[bytes | None, str]:
    """Tesseract's invisible-text PDF page and plain text for the image ``png``; (None, "")
    when it fails or runs out of time (the page then stays an image alone)."""
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

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def burn_page(pool: OcrPool, page: Any, number: int, rects: list[Rect], dpi: int,
              languages: str | None, ocr: bool) -> Burnt:
    """Render, paint and encode page ``number``, and start its OCR on ``pool``."""
    image = burn(page, rects, dpi)
    data, jpeg, grey = encode(image)
    burnt = Burnt(number, image.width, image.height, grey, data, jpeg)
    if ocr and pool.program is not None:
        text = page.get_textpage().get_text_range() if not languages else ""
        actual = round(image.width / page.get_width() * 72)
        burnt.ocr = pool.submit(image, languages_for(text, languages), actual)
    return burnt
