"""What an OCR text layer says about how it was read: the languages chosen and the mean word
confidence, kept in ``Document.extra``.

Plain data, no database: the import (``persist``) writes these keys, and ``show`` reads them
on the facade and on the read-only commands' path (``fast_read``) alike.
"""

from __future__ import annotations

from typing import Any

# How an OCR layer's languages were chosen and its mean word confidence: the extractor's
# metadata keys, kept on the document (Document.extra) under these names and, per text-layer
# version, under OCR_READINGS. The top-level keys describe the document's current reading
# (`show`, the docs name them); OCR_READINGS keeps every OCR layer's, so older layers can
# still say how they were read. An import writes only the top level, for layer 1.
OCR_METADATA = {"ocr_languages_chosen": "languages_chosen", "ocr_confidence": "confidence"}
OCR_READINGS = "ocr_readings"


def is_ocr(method: str | None) -> bool:
    """``ocr`` or ``text+ocr`` (a PDF with some scanned pages)."""
    return "ocr" in (method or "").split("+")


def layer_ocr(extra: dict[str, Any] | None, version: int, method: str | None
              ) -> dict[str, Any] | None:
    """``{"languages_chosen", "confidence"}`` of an OCR text layer (``None`` for a layer read
    without OCR); values the extractor did not give (languages named by the user, an older
    Workbench) are ``None``."""
    if not is_ocr(method):
        return None
    extra = extra or {}
    readings = extra.get(OCR_READINGS)
    if isinstance(readings, dict):  # a reading after the import: every OCR layer is kept
        saved = readings.get(str(version))
        source = saved if isinstance(saved, dict) else {}
    else:  # only the import's reading, at the top level
        source = extra if version == 1 else {}
    return {name: source.get(key) for key, name in OCR_METADATA.items()}
