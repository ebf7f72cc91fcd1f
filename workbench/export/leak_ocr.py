"""The leak check's reading of page images: OCR of every image an export shows, searched with
the redaction matcher.

The scanner (``workbench.redact.scan``) reads every text a file holds, but not what an image
shows: a facsimile page rasterised with its black boxes, a source page with a photograph, a
DOCX's facsimile page images. Here each one is rendered (a PDF page that draws any image, at
``DPI``) or opened (an image member of a DOCX or zip), read by Tesseract in the scripts of the
redacted texts, and searched with the same matcher; a find is a ``Finding`` like any other,
placed ``page 5 image (OCR)``. Every image so read is no longer an unreadable part of the
report (the scanner says it cannot search an image, or a page that is only an image).

Only what the export itself made is read: a bundle's ``originals/`` have been proven clean
(or left out) by the scanner already.

A facsimile page burnt in for a redaction has already been read by Tesseract once, for its
text layer (``facsimile_raster``), in the same process. The renderer ``remember``s that reading
under the SHA-256 of the image stream it wrote (lossless Flate only: those bytes decode to the
very pixels it read), its pixel size and filter; here a page whose only image is byte for byte
that stream, read in at least the languages this check needs, takes that reading instead of
being rendered and read again. Anything else — a page image changed after rendering, another
size or filter, a JPEG, another language, a DOCX's page images (rendered anew at 150 dpi with
the stamps: other pixels) — is read as before. The rest of such a page (the stamp, the marks,
the invisible text) is read as a page without images is: its text by the scanner.

A name that OCR cannot read reliably (tiny, rotated, handwritten) is not found — the boxes
are burnt in, so this is a second line, not the first.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..redact.matcher import Matcher, describe_form
from ..redact.scan import Finding, ScanReport, mask

DPI = 200
CHECK = "page images (OCR)"
TIMEOUT = 300.0  # seconds for one page: Tesseract stuck longer than this is a failure
_IMAGE_REASONS = ("what it shows or says cannot be searched", "it has no text, only an image")
_IMAGE_NAME = re.compile(r"\.(png|jpe?g|gif|tiff?|bmp|webp)$", re.IGNORECASE)
_SCRIPTS = (("ara", re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
            ("uig", re.compile("[\u06c6\u06c7\u06c8\u06cb\u06d0\u06d5\u0649]")),
            ("chi_sim", re.compile("[\u3400-\u9fff]")))


MAX_REMEMBERED = 4096  # readings kept (a few KB of text each)


@dataclass
class _Image:
    where: str  # the report's path of the file it is in
    member: str | None  # the zip member it is (or is in)
    place: str
    load: Any  # () -> PIL image
    key: str | None = None  # the page's only image, as ``image_key`` names it


_readings: OrderedDict[str, list[tuple[frozenset[str], str]]] = OrderedDict()
_readings_lock = threading.Lock()


def image_key(sha256: str, width: int, height: int, lossless: bool) -> str | None:
    """What a reading is remembered under: the image stream's digest, its pixel size and
    filter (the same bytes read another way are other pixels); None for a lossy image,
    whose decoded pixels are not the ones that were read."""
    return f"{sha256}:{width}x{height}" if lossless else None


def remember(key: str | None, languages: str, text: str) -> None:
    """Keep Tesseract's ``text`` of the image ``key`` read in ``languages`` ("eng+ara")."""
    if key is None:
        return
    with _readings_lock:
        _readings.setdefault(key, []).append((frozenset(languages.split("+")), text))
        _readings.move_to_end(key)
        while len(_readings) > MAX_REMEMBERED:
            _readings.popitem(last=False)


def recall(key: str | None, languages: str) -> str | None:
    """A reading of the image ``key`` in at least ``languages``, if one was remembered."""
    if key is None:
        return None
    need = frozenset(languages.split("+"))
    with _readings_lock:
        for have, text in _readings.get(key, []):
            if need <= have:
                return text
    return None


def languages_for(terms: list[str]) -> str:
    """Tesseract languages for the scripts of ``terms`` that are installed (English always:
    marks, labels and Latin names)."""
    from ..extract.ocr import installed_languages

    have = installed_languages()
    wanted = ["eng"] + [lang for lang, pattern in _SCRIPTS
                        if any(pattern.search(t) for t in terms)]
    return "+".join(lang for lang in wanted if lang in have) or "eng"


def check_images(path: Path, matcher: Matcher, report: ScanReport) -> None:
    """OCR every image the export at ``path`` shows; add what it finds to ``report``."""
    merge(read_images(path, matcher), report)


@dataclass
class ImageReport:
    """What OCR of an export's images found, to merge into the scanner's report (``merge``):
    it runs while the scanner reads the same file (``leakcheck.check_file``)."""

    images: list[_Image]
    report: ScanReport


def merge(found: ImageReport, report: ScanReport) -> None:
    if not found.images:
        return
    report.add(found.report)
    read = {(img.where, img.member) for img in found.images}
    report.unreadable = [u for u in report.unreadable if not _covered(u, read)
                         or u in found.report.unreadable]


def read_images(path: Path, matcher: Matcher) -> ImageReport:
    """OCR every image the export at ``path`` shows and search it (see the module)."""
    images = list(_images(path))
    report = ScanReport()
    if not images:
        return ImageReport(images, report)
    from ..system_tools import tool

    tesseract = tool("tesseract")
    if not tesseract.probe().available:
        for img in images:
            report.unreadable.append((img.where, img.place, "it is an image, and Tesseract "
                                      f"(OCR) is not installed to read it: "
                                      f"{tesseract.short_hint}"))
        return ImageReport(images, report)
    languages = languages_for(list(matcher.terms))
    known = [recall(img.key, languages) for img in images]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    with ThreadPoolExecutor(max_workers=max(1, cores)) as pool:
        # PDFium renders here, one page at a time (it is not thread-safe); Tesseract, a
        # process of its own, reads the pages in parallel.
        futures = [None if text is not None else pool.submit(_read, _load(img), languages)
                   for img, text in zip(images, known, strict=True)]
        texts = [text if f is None else f.result() for f, text in zip(futures, known,
                                                                       strict=True)]
    for img, text in zip(images, texts, strict=True):
        report.readings += 1
        # Every reading of what OCR read, as for text: an image showing "Ekp%61r" or an
        # entity-encoded name shows it to anyone who decodes it.
        found = matcher.find_in_readings(text) if isinstance(text, str) else None
        if isinstance(text, Exception):
            report.unreadable.append((img.where, img.place, f"OCR failed ({text})"))
        elif found is not None:
            reading, hit = found
            how = describe_form(hit.found, matcher.terms[hit.term])
            report.findings.append(Finding(
                img.where, mask(img.place, matcher), hit.term,
                how if reading == "text" else f"{reading}, {how}", hit.found))
    report.checks.add(CHECK)
    return ImageReport(images, report)


def _covered(unreadable: tuple[str, str, str], read: set[tuple[str, str | None]]) -> bool:
    where, place, reason = unreadable
    if not reason.startswith(_IMAGE_REASONS):
        return False
    return any(where == w and (member is None or f"zip member {member}" in place)
               for w, member in read)


def _load(img: _Image) -> Any:
    from ..redact.decode_pdf import _PDFIUM

    with _PDFIUM:
        return img.load()


def _read(image: Any, languages: str) -> str | Exception:
    """Tesseract's text of ``image``, or why it could not be read. One thread per process:
    with OpenMP's default, runs in parallel on a busy machine were measured 5x slower
    (0.8 s a page against 4.6 s)."""
    import shutil
    import subprocess

    program = shutil.which("tesseract")
    if program is None:
        return RuntimeError("Tesseract is not installed")
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PPM")  # uncompressed: nothing to spend on either side
    try:
        done = subprocess.run([program, "stdin", "stdout", "-l", languages, "--dpi", str(DPI)],
                              input=buffer.getvalue(), capture_output=True, timeout=TIMEOUT,
                              check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    except subprocess.TimeoutExpired:
        return RuntimeError(f"Tesseract took more than {TIMEOUT:.0f} s")
    except (OSError, subprocess.CalledProcessError) as exc:
        return RuntimeError(f"Tesseract failed: {exc}")
    return done.stdout.decode("utf-8", "replace")


def _images(path: Path) -> Iterator[_Image]:
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = file.relative_to(path).as_posix()
            if "/originals/" not in f"/{rel}":
                yield from _file_images(str(file), None, file.name, file.read_bytes())
        return
    yield from _file_images(str(path), None, path.name, path.read_bytes())


def _file_images(where: str, member: str | None, name: str, data: bytes) -> Iterator[_Image]:
    prefix = f"zip member {member}: " if member else ""
    if data[:1024].find(b"%PDF-") >= 0:
        for n, key in _image_pages(data):
            yield _Image(where, member, f"{prefix}page {n} image (OCR)",
                         _page_loader(data, n), key)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.is_dir() or "/originals/" in f"/{info.filename}":
                    continue
                inner = zf.read(info)
                yield from _file_images(where, info.filename, info.filename, inner)
    elif member and _IMAGE_NAME.search(name):
        yield _Image(where, member, f"zip member {member}: image (OCR)",
                     lambda: _open_image(data))


def _open_image(data: bytes) -> Any:
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("L")


def _image_pages(data: bytes) -> list[tuple[int, str | None]]:
    """The 1-based pages that draw an image (in a form too: a facsimile's vector page), each
    with its image's ``image_key`` when it draws exactly one."""
    from ..redact.decode_pdf import _PDFIUM

    with _PDFIUM:
        return _image_pages_locked(data)


def _image_pages_locked(data: bytes) -> list[tuple[int, str | None]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
                if images:
                    out.append((i + 1, _key_of(images[0]) if len(images) == 1 else None))
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def _key_of(image: Any) -> str | None:
    """``image_key`` of a PDFium image object, from the stream as the file holds it."""
    import pypdfium2 as pdfium

    try:
        width, height = image.get_px_size()
        lossless = list(image.get_filters()) == ["FlateDecode"]
        digest = hashlib.sha256(bytes(image.get_data(decode_simple=False))).hexdigest()
    except (pdfium.PdfiumError, ValueError, OSError):  # then it is read by OCR
        return None
    return image_key(digest, int(width), int(height), lossless)


def _page_loader(data: bytes, number: int) -> Any:
    def load() -> Any:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[number - 1]
            try:
                return page.render(scale=DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    return load
