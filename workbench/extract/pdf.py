"""PDF text: PDFium reads the file, pypdf gives a second opinion where PDFium reads wrong.

Each file is opened once in PDFium (pypdfium2), which reads every page's text and the
document's title, author and creation date. pypdf (the design card's PDF library) is asked
about a page only when PDFium's reading of it looks wrong — PDFium failed on the page, found
no text, or gave unmapped or garbled characters: the rule is ``pdf_text``'s — and reads the
whole document, metadata too, when PDFium cannot open it at all. pypdf is imported on first
use only, so a worker reading normal text PDFs never loads it (nor the ``cryptography`` and
Pillow it pulls in: about 19 MB per worker). The extractor version names pypdf
(``+pypdf-X``) exactly when it contributed to the reading.

Pages without a text layer (scans) are OCR'd with Tesseract when it is installed (see
``ocr.py``): rendered one at a time by PDFium and read within the file's time budget, in the
languages of each page's script unless they are set; normal text PDFs never pay for it.

One broken page costs that page, never the file: pages are read one at a time and the good
ones kept. Encrypted files are opened with the empty password where the author allowed it,
else reported as encrypted. pypdf's external ``jbig2dec`` is switched off: we never run extra
programs on hostile input. Text is NFKC-normalised (``pdf_text.normalise``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from ..errors import ExtractionError
from ..xray import ImportCheck
from .base import ENCRYPTED, UNREADABLE, Extraction, ExtractOptions
from .pdf_text import PageReading, normalise, read_page

if TYPE_CHECKING:
    from pypdf import PdfReader

PASSWORD = "the PDF is encrypted with a password; remove it and try again"


def _pypdf() -> ModuleType:
    import pypdf

    pypdf.overwrite_configuration(jbig2dec_binary=None)
    return pypdf


def _pdf_date(value: Any) -> str | None:
    raw = str(value or "")
    if raw.startswith("D:"):
        raw = raw[2:]
    if len(raw) >= 8 and raw[:8].isdigit():
        return f"{raw[0:4]}-{raw[4:6]}-{raw[6:8]}"
    if len(raw) >= 4 and raw[:4].isdigit():
        return raw[:4]
    return None


def _open_pdfium(path: Path) -> pdfium.PdfDocument | None:
    """The document in PDFium; None when PDFium cannot parse it (pypdf may still)."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise ExtractionError(ENCRYPTED, PASSWORD) from exc
        if code == pdfium_raw.FPDF_ERR_SECURITY:
            raise ExtractionError(
                ENCRYPTED, "the PDF is encrypted with an unsupported security handler") from exc
        return None


class _Pypdf:
    """pypdf on one file: opened the first time it is asked, at most once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.used = False  # it contributed to the reading: the version names it
        self._reader: PdfReader | None = None
        self._error: ExtractionError | None = None

    def reader(self) -> PdfReader:
        """The reader, decrypted with the empty password where that is allowed, or the
        ``ExtractionError`` saying why the file cannot be read."""
        if self._reader is None and self._error is None:
            try:
                self._reader = self._open()
            except ExtractionError as exc:
                self._error = exc
        if self._error is not None:
            raise self._error
        assert self._reader is not None
        return self._reader

    def _open(self) -> PdfReader:
        pypdf = _pypdf()
        from pypdf.errors import FileNotDecryptedError, PdfReadError

        try:
            reader = pypdf.PdfReader(str(self.path), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception as exc:  # missing crypto backend or a broken /Encrypt
                    raise ExtractionError(ENCRYPTED, f"the PDF is encrypted ({exc})") from exc
                if not ok:
                    raise ExtractionError(ENCRYPTED, PASSWORD)
            return reader
        except FileNotDecryptedError as exc:
            raise ExtractionError(ENCRYPTED, PASSWORD) from exc
        except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError,
                RecursionError) as exc:
            raise ExtractionError(UNREADABLE, f"not a readable PDF ({exc})") from exc

    def page_count(self) -> int:
        try:
            return len(self.reader().pages)
        except ExtractionError:
            raise
        except Exception as exc:  # a page tree pypdf cannot walk
            raise ExtractionError(UNREADABLE, f"not a readable PDF ({exc})") from exc

    def page_text(self, index: int) -> str:
        text = self.reader().pages[index].extract_text() or ""
        self.used = True
        return text

    def only(self, index: int) -> PageReading:
        """The page read by pypdf alone (PDFium could not open the file)."""
        try:
            return PageReading(normalise(self.page_text(index)))
        except Exception as exc:  # one bad content stream: that page only
            return PageReading("", f"page {index + 1}: text could not be extracted "
                                   f"({type(exc).__name__})")

    def metadata(self) -> dict[str, Any]:
        info: Any = self.reader().metadata or {}
        self.used = True
        return {str(k).lstrip("/"): v for k, v in info.items()}


def _pdfium_text(doc: pdfium.PdfDocument, index: int, check: ImportCheck | None = None) -> str:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            text = str(textpage.get_text_range())
            if check is not None:  # the failed-redaction check, while the page is loaded
                check.page(page, index + 1, textpage)
            return text
        finally:
            textpage.close()
    finally:
        page.close()


def _metadata(info: dict[str, Any]) -> dict[str, Any]:
    """Title, author, creation date and producer from the document information."""
    meta: dict[str, Any] = {}
    if info.get("Title"):
        meta["title"] = normalise(str(info["Title"])).strip()
    if info.get("Author"):
        meta["author"] = normalise(str(info["Author"])).strip()
    created = _pdf_date(info.get("CreationDate"))
    if created:
        meta["published"] = created
    if info.get("Producer"):
        meta["pdf_producer"] = str(info["Producer"])
    return meta


class PdfExtractor:
    name = "pypdfium2"
    version = str(pdfium.version.PYPDFIUM_INFO.version)

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        doc = _open_pdfium(path)
        try:
            return self._extract(path, doc, options)
        finally:
            if doc is not None:
                doc.close()

    def _extract(self, path: Path, doc: pdfium.PdfDocument | None,
                 options: ExtractOptions) -> Extraction:
        second = _Pypdf(path)
        count = len(doc) if doc is not None else second.page_count()
        if count == 0:
            raise ExtractionError(UNREADABLE, "the PDF has no pages")

        problems: list[str] = []
        # Text hidden under boxes is looked for on each page as its text is read.
        check = ImportCheck(options.extra, count) if doc is not None else None
        if doc is None:
            problems.append("PDFium could not open this PDF: every page was read with pypdf")
            readings = [second.only(i) for i in range(count)]
        else:
            readings = [read_page(i + 1, partial(_pdfium_text, doc, i, check),
                                  partial(second.page_text, i)) for i in range(count)]
        pages = [r.text.strip("\n") for r in readings]
        problems.extend(r.problem for r in readings if r.problem)
        xray, found = check.result() if check is not None else ([], [])
        problems.extend(found)

        meta: dict[str, Any] = {}
        try:
            meta.update(_metadata(doc.get_metadata_dict(skip_empty=True) if doc is not None
                                  else second.metadata()))
        except Exception:
            problems.append("document metadata is unreadable")
        version = self.version + (f"+pypdf-{_pypdf().__version__}" if second.used else "")
        empty = [i + 1 for i, p in enumerate(pages) if not p.strip()]
        method, languages = "text", None
        ocr_words: list[dict[str, Any]] = []  # OCR'd pages' word boxes, in points
        if empty:
            method, languages, version, ocr_meta = self._ocr(path, doc, pages, empty, options,
                                                             problems, version, ocr_words)
            meta.update(ocr_meta)
        return Extraction(pages=pages, extractor=self.name, extractor_version=version,
                          metadata=meta, problems=problems, method=method, languages=languages,
                          xray=xray, ocr_words=ocr_words)

    def _ocr(self, path: Path, doc: pdfium.PdfDocument | None, pages: list[str],
             empty: list[int], options: ExtractOptions, problems: list[str], version: str,
             ocr_words: list[dict[str, Any]]) -> tuple[str, str | None, str, dict[str, Any]]:
        """OCR the pages without a text layer (rendered with pdfium); the PDF is not changed.

        Returns the layer's method ("ocr" when every text came from OCR, "text+ocr" when
        mixed), its OCR languages, the extractor version naming the OCR engine, and metadata
        on the OCR (how the languages were chosen, the mean word confidence).
        """
        from . import ocr

        if not ocr.available():
            note = ocr.NO_TESSERACT if len(empty) == len(pages) else (
                "pages without a text layer: " + _ranges(empty) + " — "
                + ocr.ADD_TESSERACT)
            problems.append(note)
            return "text", None, version, {}
        languages, lang_problems = ocr.resolve_languages(options.ocr_languages)
        run = ocr.OcrRun(languages, ocr.budget_for(options.extra))
        texts = run.run((n, partial(_render, path, doc, n - 1)) for n in empty)
        for n, text in texts.items():
            pages[n - 1] = text
        ocr_words.extend(_in_points(path, doc, run.words))
        read = [n for n in empty if pages[n - 1].strip()]
        problems.extend(lang_problems + run.summary(empty))
        if read:
            problems.append("read by OCR: " + ("all pages" if len(read) == len(pages)
                                                else "pages " + _ranges(read)))
        still = [n for n in empty if not pages[n - 1].strip()]
        if still and len(still) < len(pages):
            problems.append("pages without text even after OCR: " + _ranges(still))
        if not run.pages_done:
            return "text", None, version, {}
        method = "ocr" if len(empty) == len(pages) else "text+ocr"
        return method, run.layer_languages(), f"{version}+{run.provenance()}", \
            run.metadata()


OCR_DPI = 300


def _in_points(path: Path, doc: pdfium.PdfDocument | None,
               words: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """OCR word boxes (pixels of the rendered page) in points from the page's top-left, as
    ``Extraction.ocr_words`` holds them: the render is the page as displayed, so a scale is
    all it takes."""
    out: list[dict[str, Any]] = []
    own = doc is None and bool(words)
    if own:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return out
    assert doc is not None or not words
    try:
        for number, read in sorted(words.items()):
            page = doc[number - 1]  # type: ignore[index]
            try:
                width, height = float(page.get_width()), float(page.get_height())
            finally:
                page.close()
            sx, sy = width / max(1, read["width"]), height / max(1, read["height"])
            out.append({"page": number, "width": round(width, 2), "height": round(height, 2),
                        "words": [[round(x0 * sx, 2), round(y0 * sy, 2), round(x1 * sx, 2),
                                   round(y1 * sy, 2), text]
                                  for x0, y0, x1, y1, text in read["words"]]})
    finally:
        if own and doc is not None:
            doc.close()
    return out


def _render(path: Path, doc: pdfium.PdfDocument | None, index: int) -> Any:
    """One page as a greyscale image for OCR (PDFium renders; pypdf cannot).

    From the document already open; one PDFium could not open is tried again here, so
    rendering fails page by page like reading does."""
    own = doc is None
    if doc is None:
        doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        try:
            width, height = page.get_size()
            # Cap the scale so a poster-sized page does not become a gigapixel image.
            scale = min(OCR_DPI / 72, 6000 / max(width, height, 1))
            return page.render(scale=scale, grayscale=True).to_pil()
        finally:
            page.close()
    finally:
        if own:
            doc.close()


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    n: int | None
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)
