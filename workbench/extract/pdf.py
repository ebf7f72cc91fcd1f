"""PDF text with pypdf, page by page, with pypdfium2 as a second opinion for broken pages.

Pages without a text layer (scans) are OCR'd with Tesseract when it is installed (see
``ocr.py``): rendered one at a time with pypdfium2 and read within the file's time budget,
in the languages of each page's script unless they are set; normal text PDFs never pay for it.

One broken content stream makes pypdf fail for that page only, so pages are extracted one at a
time and the good ones kept. Encrypted files are opened with the empty password where the
author allowed it (AES needs the ``cryptography`` package), else reported as encrypted.
pypdf's external ``jbig2dec`` is switched off: we never run extra programs on hostile input.
Text is NFKC-normalised, because PDF extraction returns Arabic and Uyghur as presentation forms
and ligatures as single code points, which neither search nor quotes would match.
"""

from __future__ import annotations

import unicodedata
from functools import partial
from pathlib import Path
from typing import Any

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ..errors import ExtractionError
from .base import ENCRYPTED, UNREADABLE, Extraction, ExtractOptions

pypdf.overwrite_configuration(jbig2dec_binary=None)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\x00", "")


def _pdf_date(value: Any) -> str | None:
    raw = str(value or "")
    if raw.startswith("D:"):
        raw = raw[2:]
    if len(raw) >= 8 and raw[:8].isdigit():
        return f"{raw[0:4]}-{raw[4:6]}-{raw[6:8]}"
    if len(raw) >= 4 and raw[:4].isdigit():
        return raw[:4]
    return None


def _pdfium_page_text(path: Path, index: int) -> str | None:
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[index]
            textpage = page.get_textpage()
            return str(textpage.get_text_range())
        finally:
            doc.close()
    except Exception:  # second opinion only: its failure changes nothing
        return None


class PdfExtractor:
    name = "pypdf"
    version = pypdf.__version__

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        try:
            reader = pypdf.PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception as exc:  # missing crypto backend or a broken /Encrypt
                    raise ExtractionError(ENCRYPTED, f"the PDF is encrypted ({exc})") from exc
                if not ok:
                    raise ExtractionError(
                        ENCRYPTED, "the PDF is encrypted with a password; remove it and try again"
                    )
            count = len(reader.pages)
        except ExtractionError:
            raise
        except FileNotDecryptedError as exc:
            raise ExtractionError(ENCRYPTED, "the PDF is encrypted with a password") from exc
        except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError) as exc:
            raise ExtractionError(UNREADABLE, f"not a readable PDF ({exc})") from exc
        if count == 0:
            raise ExtractionError(UNREADABLE, "the PDF has no pages")

        pages: list[str] = []
        problems: list[str] = []
        for i in range(count):
            text: str | None
            try:
                text = reader.pages[i].extract_text() or ""
            except Exception as exc:  # one bad content stream: try the second opinion
                text = _pdfium_page_text(path, i)
                if text is None:
                    problems.append(f"page {i + 1}: text could not be extracted "
                                    f"({type(exc).__name__})")
                    text = ""
                else:
                    problems.append(f"page {i + 1}: read with pdfium after pypdf failed")
            pages.append(normalise(text or "").strip("\n"))

        empty = [i + 1 for i, p in enumerate(pages) if not p.strip()]
        method, languages, version = "text", None, self.version
        meta: dict[str, Any] = {}
        if empty:
            method, languages, version, ocr_meta = self._ocr(path, pages, empty, options,
                                                             problems)
            meta.update(ocr_meta)
        try:
            info: Any = reader.metadata or {}
            if info.get("/Title"):
                meta["title"] = normalise(str(info["/Title"])).strip()
            if info.get("/Author"):
                meta["author"] = normalise(str(info["/Author"])).strip()
            created = _pdf_date(info.get("/CreationDate"))
            if created:
                meta["published"] = created
            if info.get("/Producer"):
                meta["pdf_producer"] = str(info["/Producer"])
        except Exception:
            problems.append("document metadata is unreadable")
        return Extraction(pages=pages, extractor=self.name, extractor_version=version,
                          metadata=meta, problems=problems, method=method, languages=languages)

    def _ocr(self, path: Path, pages: list[str], empty: list[int], options: ExtractOptions,
             problems: list[str]) -> tuple[str, str | None, str, dict[str, Any]]:
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
            return "text", None, self.version, {}
        languages, lang_problems = ocr.resolve_languages(options.ocr_languages)
        run = ocr.OcrRun(languages, ocr.budget_for(options.extra))
        texts = run.run((n, partial(_render, path, n - 1)) for n in empty)
        for n, text in texts.items():
            pages[n - 1] = text
        read = [n for n in empty if pages[n - 1].strip()]
        problems.extend(lang_problems + run.summary(empty))
        if read:
            problems.append("read by OCR: " + ("all pages" if len(read) == len(pages)
                                                else "pages " + _ranges(read)))
        still = [n for n in empty if not pages[n - 1].strip()]
        if still and len(still) < len(pages):
            problems.append("pages without text even after OCR: " + _ranges(still))
        if not run.pages_done:
            return "text", None, self.version, {}
        method = "ocr" if len(empty) == len(pages) else "text+ocr"
        return method, run.layer_languages(), f"{self.version}+{run.provenance()}", \
            run.metadata()


OCR_DPI = 300


def _render(path: Path, index: int) -> Any:
    """One page as a greyscale image for OCR (pdfium renders; pypdf cannot)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        width, height = page.get_size()
        # Cap the scale so a poster-sized page does not become a gigapixel image.
        scale = min(OCR_DPI / 72, 6000 / max(width, height, 1))
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
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
