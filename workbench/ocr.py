"""OCR of a document already in the library: a new text-layer version, never an overwrite.

Used when an import ran out of OCR time (a long scan), when Tesseract was installed after the
import, or to read a scan again in other languages. The stored original is run through the
same isolated extractor as an import, with a longer time limit; the result becomes the newest
text layer (method "ocr", its languages, the Tesseract version) and the document's highlights
are re-anchored on it by the annotation service. Earlier layers stay as they were.

The document's problems, status and OCR metadata then describe the new reading (an "OCR
confidence 31 %" from an import in the wrong language goes once the right one reads well), and
its language follows the new text unless a user corrected it (``records``; see
``annotate.reextract.adopt_reading``, shared with ``workbench reextract``).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .system_tools import require

if TYPE_CHECKING:
    from .services import Workbench

OCR_KINDS = ("image", "pdf")
DEFAULT_TIMEOUT = 600.0


def ocr_document(wb: Workbench, ref: str | int, *, languages: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, set_default: bool = False) -> dict[str, Any]:
    """OCR ``ref`` and add the text as its newest layer; returns what was done."""
    require("tesseract", "OCR the document")
    # Here, not at the top: `workbench --help` and every other command read DEFAULT_TIMEOUT
    # without loading the extractors and the database layer.
    from . import audit
    from .document_queries import resolve_document
    from .extract import ExtractOptions, ExtractorPool, Limits
    from .extract.ocr import AUTO, resolve_languages

    with wb.library.read() as s:
        doc = resolve_document(s, ref)
        doc_id, sha, kind = doc.id, doc.sha256, doc.kind
    if kind not in OCR_KINDS:
        raise UserError(f"Document {doc_id} is {kind}; OCR reads images and scanned PDFs")
    langs = languages or str(wb.library.get_setting("ocr_languages", AUTO) or AUTO)
    resolved, missing = resolve_languages(langs)
    if missing:
        raise UserError("; ".join(missing), "install the Tesseract language pack, e.g. "
                        "tesseract-ocr-chi-sim, or choose installed languages (or auto)")
    children = wb.library.tmp_dir / f"ocr-{sha[:16]}"
    try:
        with ExtractorPool(1, Limits(timeout=timeout)) as pool, \
                wb.library.originals.materialize(sha) as stored:
            extraction = pool.extract(stored, ExtractOptions(
                kind=kind, children_dir=str(children), ocr_languages=resolved,
                extra={"time_limit": timeout}))
    finally:
        shutil.rmtree(children, ignore_errors=True)  # attachments are documents already
    if extraction.method == "text":
        raise UserError(f"Document {doc_id} has a text layer on every page; nothing to OCR")
    if set_default:
        with wb.library.transaction() as s:
            wb.library.set_setting(s, "ocr_languages", resolved)
            audit.record(s, audit.MODIFICATION, "setting", "ocr_languages",
                         {"ocr_languages": resolved})
    report = wb.add_text_layer(doc_id, extraction, reason="ocr", whole_reading=True)
    return {
        "document_id": doc_id, "layer_version": report.get("layer_version"),
        "method": extraction.method, "languages": extraction.languages,
        "languages_chosen": extraction.metadata.get("ocr_languages_chosen"),
        "confidence": extraction.metadata.get("ocr_confidence"),
        "extractor_version": extraction.extractor_version, "pages": len(extraction.pages),
        "pages_with_text": sum(1 for p in extraction.pages if p.strip()),
        "problems": report["problems"], "status": report["status"],
        "language": report["language"],
        "highlights": {k: report[k] for k in ("highlights", "anchored", "moved", "fuzzy",
                                              "orphaned") if k in report},
    }

