"""Offline language detection for documents (py3langid), stored in ``Document.language``.

Search's ``lang:`` filter reads that column, so a document's language must be a stable short
code (ISO 639-1 where one exists: ``en``, ``zh``, ``ar``, ``ug``). The model loads lazily, once
per process (about a second), and only a sample of the text is classified: the first part of a
long document says as much about its language as the whole, at a fraction of the time.
"""

from __future__ import annotations

import threading
from typing import Any

SAMPLE_CHARS = 20_000
MIN_LETTERS = 20  # below this a guess is noise ("OK", a file name, a date)
MIN_CONFIDENCE = 0.60

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    # Skip the head of very long texts a little: cover pages and tables of contents are noisy.
    start = min(len(text) // 10, 2_000)
    return text[start:start + SAMPLE_CHARS]


def detect_language(text: str) -> str | None:
    """The text's language code, or None when the text is too short or too mixed to tell."""
    sample = _sample(text or "")
    # A CJK character carries about as much as a short word: weigh it accordingly.
    weight = sum(3 if "\u3400" <= ch <= "\u9fff" else 1 for ch in sample if ch.isalpha())
    if weight < MIN_LETTERS:
        return None
    try:
        code, confidence = _model().classify(sample)
    except Exception:  # detection is a convenience: it never fails an import
        return None
    if float(confidence) < MIN_CONFIDENCE:
        return None
    return str(code)


def normalise_code(value: Any) -> str | None:
    """A language a file declares ("en-GB", "zh_CN", "EN") as the short code we store."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code[:16] if code.isalpha() else None
