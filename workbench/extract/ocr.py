"""OCR with Tesseract through pytesseract, page by page, inside a time budget.

pytesseract over ocrmypdf: we never rewrite a PDF or stack a second text layer into it (the
original stays byte-for-byte what was collected; OCR text goes into a new text-layer version
with its provenance), and driving Tesseract one page at a time gives per-page control: a page
limit, a timeout per page that kills a runaway Tesseract, and a budget for the whole file that
stops before the importer's time limit would kill the worker, so a 300-page scan keeps every
page read so far and says which pages are left.

Without the ``tesseract`` program, files that need OCR import with the problem
``NO_TESSERACT`` instead of failing.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

NO_TESSERACT = "no text layer — install tesseract to OCR"
DEFAULT_LANGUAGES = "eng"
DEFAULT_TIME_LIMIT = 60.0
BUDGET_SHARE = 0.8  # of the importer's time limit; the rest is for reading and answering
MAX_PIXELS = 40_000_000  # a page larger than this is scaled down before OCR
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) +"
                      r"(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")

_version_cache: list[str] = []
_langs_cache: list[set[str]] = []


def available() -> bool:
    return shutil.which("tesseract") is not None


def engine_version() -> str:
    """"tesseract-5.3.0" — recorded in every OCR text layer's extractor version."""
    if not _version_cache:
        import pytesseract

        _version_cache.append(f"tesseract-{pytesseract.get_tesseract_version()}")
    return _version_cache[0]


def installed_languages() -> set[str]:
    if not _langs_cache:
        import pytesseract

        _langs_cache.append({lang for lang in pytesseract.get_languages(config="")
                             if lang != "osd"})
    return _langs_cache[0]


def resolve_languages(requested: str | None) -> tuple[str, list[str]]:
    """Tesseract's "eng+chi_sim" form of a setting like "eng, chi_sim"; missing packs noted."""
    wanted = [w for w in re.split(r"[+,;\s]+", requested or DEFAULT_LANGUAGES) if w]
    have = installed_languages()
    problems = [f"OCR language {w!r} is not installed; it was not used"
                for w in wanted if w not in have]
    use = [w for w in wanted if w in have] or sorted(have & {"eng"}) or sorted(have)[:1]
    return "+".join(use), problems


def budget_for(options_extra: dict[str, Any]) -> float:
    """Seconds of OCR allowed for one file: up to the worker's deadline (set by the parent
    when it sent the request) less a margin for answering, else a share of the time limit."""
    limit = float(options_extra.get("time_limit") or DEFAULT_TIME_LIMIT)
    deadline = options_extra.get("deadline")
    if isinstance(deadline, int | float):
        margin = max(1.0, limit * (1 - BUDGET_SHARE))
        return max(0.0, float(deadline) - time.time() - margin)
    return max(1.0, limit * BUDGET_SHARE - 0.5)


def clean(text: str) -> str:
    """Tesseract's output made searchable: no spaces between CJK characters, no form feeds."""
    text = text.replace("\x0c", "").strip()
    return _CJK_GAP.sub("", text)


@dataclass
class OcrRun:
    """OCR of a sequence of page images under one deadline."""

    languages: str
    budget: float
    started: float = field(default_factory=time.monotonic)
    pages_done: list[int] = field(default_factory=list)
    stopped_at: int | None = None  # first page not read because time ran out
    problems: list[str] = field(default_factory=list)

    def remaining(self) -> float:
        return self.budget - (time.monotonic() - self.started)

    def page(self, number: int, image: Any) -> str:
        """The text of one page image; "" and a note when it cannot be read in time."""
        import pytesseract

        left = self.remaining()
        if self.stopped_at is not None or left < 0.5:
            self.stopped_at = self.stopped_at or number
            return ""
        image = _fit(image)
        try:
            text = pytesseract.image_to_string(image, lang=self.languages,
                                               timeout=left)
        except RuntimeError as exc:
            if "timeout" not in str(exc).lower():
                raise
            self.stopped_at = number  # summary() names the pages left
            return ""
        except pytesseract.TesseractError as exc:
            self.problems.append(f"page {number}: Tesseract could not read the image "
                                 f"({str(exc.message)[:80]})")
            return ""
        self.pages_done.append(number)
        return clean(text)

    def run(self, pages: Iterable[tuple[int, Callable[[], Any]]]) -> dict[int, str]:
        """OCR each (number, load image) in turn; images are loaded only when there is time."""
        out: dict[int, str] = {}
        for number, load in pages:
            if self.stopped_at is not None or self.remaining() < 0.5:
                self.stopped_at = self.stopped_at or number
                out[number] = ""
                continue
            try:
                image = load()
            except (OSError, ValueError, EOFError, TypeError, MemoryError) as exc:
                # A damaged page (or one too large to decode) costs that page, not the file.
                self.problems.append(f"page {number}: the image data could not be decoded "
                                     f"({type(exc).__name__})")
                out[number] = ""
                continue
            out[number] = self.page(number, image)
        return out

    def summary(self, total_pages: list[int]) -> list[str]:
        """Problems worth showing: pages left unread because time ran out."""
        notes = list(self.problems)
        if self.stopped_at is not None:
            left = [n for n in total_pages if n >= self.stopped_at and n not in self.pages_done]
            if left:
                notes.append(f"OCR timed out: {len(left)} page(s) not read ({_span(left)}) "
                             f"within the {self.budget:.0f} s OCR time budget; run "
                             "`workbench ocr` on the document with a longer --timeout to finish")
        return notes

    def provenance(self) -> str:
        import pytesseract

        return f"{engine_version()}+pytesseract-{pytesseract.__version__}"


def _fit(image: Any) -> Any:
    width, height = image.size
    if width * height <= MAX_PIXELS:
        return image
    scale = (MAX_PIXELS / (width * height)) ** 0.5
    return image.resize((max(1, int(width * scale)), max(1, int(height * scale))))


def _span(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}–{numbers[-1]}"
    return "pages " + ", ".join(str(n) for n in numbers[:20]) + ("…" if len(numbers) > 20 else "")
