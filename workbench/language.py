"""Offline language detection for documents (py3langid), stored in ``Document.language``.

Search's ``lang:`` filter reads that column, so a document's language must be a stable short
code (ISO 639-1 where one exists: ``en``, ``zh``, ``ar``, ``ug``).

Only a bounded sample of a long text is classified: ``SAMPLE_CHARS`` characters taken from
``SAMPLE_WINDOWS`` places spread over the document, so an English cover page, table of
contents or abstract in front of a Uyghur or Chinese report does not decide its language,
and a 50-page document costs what a 2-page one does. The sample size was chosen by measuring
agreement with classifying the whole text (``tests/bench/bench_language.py``; figures in
docs/PERFORMANCE.md).

The model is memory-mapped from a derived copy in the user's cache folder
(``language_model``): opening it takes milliseconds, and a process holds only the pages its
texts touch. ``preload`` opens it in the background, so the first document of an import does
not wait for it.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

SAMPLE_CHARS = 3_000
SAMPLE_WINDOWS = 4
MIN_LETTERS = 20  # below this a guess is noise ("OK", a file name, a date)
MIN_CONFIDENCE = 0.60
# How far a window's start may move forward to begin at a word: a window that starts or
# ends mid-word adds a few n-grams no language has.
_WORD_SNAP = 24

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from .language_model import load_identifier

            _identifier = load_identifier()
    return _identifier


_loading: threading.Thread | None = None
PRELOAD_NICENESS = 10  # added to the preloading thread's nice value (``_yield_to_the_workers``)
_loading_lock = threading.Lock()


def preload() -> threading.Thread | None:
    """Open the model in a background thread (None when it is already open); the thread
    already opening it when one is."""
    global _loading
    if _identifier is not None:
        return None
    with _loading_lock:
        if _loading is not None and _loading.is_alive():
            return _loading
        _loading = threading.Thread(target=_preload, name="language-model", daemon=True)
        _loading.start()
        return _loading


def _yield_to_the_workers() -> None:
    """Lower this thread's CPU priority (Linux: a thread is scheduled on its own): it opens
    the model while the import's extraction workers start on the same cores, and the first
    file's text, not the model, is what the import waits for first."""
    if sys.platform.startswith("linux"):
        try:
            me = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, me,
                           min(19, os.getpriority(os.PRIO_PROCESS, me) + PRELOAD_NICENESS))
        except (AttributeError, OSError):
            pass


def release() -> None:
    """Let go of the model's pages the detections so far mapped in (after an import: the
    window lives on); the next detection maps what it needs again, from memory."""
    if _identifier is not None:
        from .language_model import release_pages

        release_pages()


def _preload() -> None:
    _yield_to_the_workers()
    try:
        _model()
    except Exception:  # the first detection meets the same error and returns None
        pass


def sample(text: str, chars: int = SAMPLE_CHARS, windows: int = SAMPLE_WINDOWS) -> str:
    """What is classified: the whole text when short, else ``windows`` stretches of about
    ``chars / windows`` characters spread evenly from just after the head to the end."""
    if len(text) <= chars:
        return text
    # Skip the head of long texts a little: cover pages and tables of contents are noisy.
    head = min(len(text) // 10, 2_000)
    width = chars // windows
    last = len(text) - width
    if windows == 1 or last <= head:
        return text[head:head + chars]
    step = (last - head) / (windows - 1)
    parts = []
    for i in range(windows):
        start = head + round(i * step)
        space = text.find(" ", start, start + _WORD_SNAP) if start else -1
        if space >= 0:
            start = space + 1
        parts.append(text[start:start + width])
    return "\n".join(parts)


def _enough_letters(text: str) -> bool:
    """Whether ``text`` has ``MIN_LETTERS`` letters; stops counting as soon as it does."""
    weight = 0
    for ch in text:
        if ch.isalpha():
            # A CJK character carries about as much as a short word: weigh it accordingly.
            weight += 3 if "\u3400" <= ch <= "\u9fff" else 1
            if weight >= MIN_LETTERS:
                return True
    return False


def detect_language(text: str) -> str | None:
    """The text's language code, or None when the text is too short or too mixed to tell."""
    chosen = sample(text or "")
    if not _enough_letters(chosen):
        return None
    try:
        code, confidence = _model().classify(chosen)
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
