"""OCR with Tesseract through pytesseract, page by page, inside a time budget; the languages
chosen per page from the page's script; the confidence of what was read.

pytesseract over ocrmypdf: we never rewrite a PDF or stack a second text layer into it (the
original stays byte-for-byte what was collected; OCR text goes into a new text-layer version
with its provenance), and driving Tesseract one page at a time gives per-page control: a page
limit, a timeout per page that kills a runaway Tesseract, and a budget for the whole file that
stops before the importer's time limit would kill the worker, so a 300-page scan keeps every
page read so far and says which pages are left.

**Languages** ("auto", the default): a scan in Chinese, Arabic or Uyghur must be read in its
own script, not as English. Per page, Tesseract's orientation and script detection (OSD) names
the script when it is sure (Latin and Arabic; it is unreliable for Han and on small or degraded
pages, see ``OSD_TRUSTED``), else a trial read of a sample of the page with each installed
candidate language compares mean word confidences. The winner's script group is read with its
installed languages, ordered by the trial (``uig+ara`` for Uyghur, ``ara+uig`` for Arabic: one
script, and each model reads the other's text well enough), plus ``eng`` for the Arabic script
(its models cannot read the Latin names and numbers such pages carry; ``chi_sim`` can). Later
pages reuse the choice and are detected again only when they read badly, so a mixed document
costs one detection per change of script. An explicit language setting is used as given.

**Confidence**: every read also yields Tesseract's word confidences (TSV output, same run).
A mean below ``LOW_CONFIDENCE`` becomes the problem "OCR confidence 31 %: check the language".

Without the ``tesseract`` program, files that need OCR import with the problem
``NO_TESSERACT`` instead of failing; it says how to add it, in ``system_tools``' words.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..system_tools import tool

ADD_TESSERACT = tool("tesseract").short_hint
NO_TESSERACT = f"no text layer — {ADD_TESSERACT}"
AUTO = "auto"  # choose per page from the page's script (see the module docstring)
DEFAULT_LANGUAGES = AUTO
DEFAULT_TIME_LIMIT = 60.0
BUDGET_SHARE = 0.8  # of the importer's time limit; the rest is for reading and answering
MAX_PIXELS = 40_000_000  # a page larger than this is scaled down before OCR

# Script groups, each with its candidate languages in order of preference. Only installed
# languages take part; a group with none is not considered.
SCRIPTS: dict[str, tuple[str, ...]] = {
    "Latin": ("eng",),
    "Han": ("chi_sim", "chi_tra"),
    "Arabic": ("ara", "uig", "fas", "urd"),
}
# Groups whose models also read Latin words (measured: chi_sim reads "Human Rights Watch" and
# "2023" on a Chinese page exactly as chi_sim+eng does, 30-45% faster). Arabic-script models
# turn Latin into junk (a mixed Arabic/English line: 66% confidence alone, 87% with +eng).
READS_LATIN = {"Latin", "Han"}
# OSD's "Script confidence" is trusted from 2.0 for Latin and Arabic: measured on rendered
# pages it gave 2.0-4.8 (Latin) and 2.0-117 (Arabic, Uyghur) when right, while its wrong
# calls were "Latin 0.12" and "Fraktur 2.14" for degraded Chinese. For Han it is right but
# unsure (0.5-1.4), so Chinese always goes through the trial read.
OSD_TRUSTED = {"Latin", "Arabic"}
OSD_MIN_CONFIDENCE = 2.0
OSD_MIN_CHARACTERS = 10  # Tesseract's default of 50 skips a short notice or a photo caption
# A non-Latin language must beat English's trial confidence by this much: chi_sim reads
# English pages at 90-92% against eng's 95-96%, while the wrong script never comes close.
LATIN_MARGIN = 5.0
SAMPLE_PIXELS = 600_000  # the trial read's share of a page: a band of 2-4 lines at 300 dpi
# A trial at or above this is the page's script: the right language read clean pages at 85-96%,
# a wrong one never above 53%. Later groups are not tried (an English page costs one trial).
SURE_CONFIDENCE = 85.0
# Mean word confidence below which OCR text is reported as a problem. Measured (Tesseract
# 5.3, rendered and degraded pages): the right language reads clean pages at 85-96%; a wrong
# one at 9-53%; degraded pages in the right language at 42-68%, where 25-60% of the text is
# wrong. Below 60% most of the text is unreliable for search and quotes.
LOW_CONFIDENCE = 60.0
INK_MIN_SHARE = 0.0002  # dark-pixel share below which a page is taken as blank (see _has_ink)
MIN_WORDS = 3  # fewer words say too little about a page's confidence
MIN_PAGE_WORDS = 5  # a single page is named as low only with this many words
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) +"
                      r"(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
# Tesseract wraps right-to-left runs next to Latin in LRM/RLM marks; they are not in the
# document and would break the match of a quote or a phrase search across them.
_BIDI_MARKS = re.compile("[\u200e\u200f]")

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


def _all_languages() -> set[str]:
    if not _langs_cache:
        import pytesseract

        _langs_cache.append(set(pytesseract.get_languages(config="")))
    return _langs_cache[0]


def installed_languages() -> set[str]:
    return _all_languages() - {"osd"}


def resolve_languages(requested: str | None) -> tuple[str, list[str]]:
    """Tesseract's "eng+chi_sim" form of a setting like "eng, chi_sim" ("auto" stays as it
    is: see the module docstring); missing packs noted."""
    wanted = [w for w in re.split(r"[+,;\s]+", requested or DEFAULT_LANGUAGES) if w]
    if AUTO in wanted:
        return AUTO, []
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
    """Tesseract's output made searchable: no spaces between CJK characters, no form feeds,
    no bidi marks."""
    text = _BIDI_MARKS.sub("", text.replace("\x0c", "")).strip()
    return _CJK_GAP.sub("", text)


def word_confidences(tsv: str) -> list[float]:
    """The confidence (0-100) of each word in Tesseract's TSV output."""
    out: list[float] = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if conf >= 0:
            out.append(conf)
    return out


def tsv_words(tsv: str) -> list[list[Any]]:
    """Each word of Tesseract's TSV output with its box in the image's pixels:
    ``[x0, y0, x1, y1, text]``, in reading order."""
    out: list[list[Any]] = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            left, top, width, height = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        out.append([left, top, left + width, top + height, cols[11].strip()])
    return out


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _low(confidences: list[float], min_words: int = MIN_WORDS) -> bool:
    return len(confidences) >= min_words and mean(confidences) < LOW_CONFIDENCE


class _TimedOut(Exception):
    """The OCR budget ran out during a page (a read or a detection)."""


@dataclass(frozen=True)
class Choice:
    """The languages for a page in automatic mode, and how they were chosen."""

    script: str
    languages: str
    how: str  # "OSD" | "trial read" | "only installed script"
    detail: str = ""  # e.g. "chi_sim 93 %, eng 9 %"


def script_groups(have: set[str]) -> dict[str, list[str]]:
    """The script groups with at least one installed language, and those languages."""
    groups = {script: [lang for lang in langs if lang in have]
              for script, langs in SCRIPTS.items()}
    return {script: langs for script, langs in groups.items() if langs}


def group_languages(script: str, ordered: list[str], have: set[str]) -> str:
    """The languages a page of ``script`` is read with: the group's, plus eng where the
    group's models cannot read Latin words."""
    langs = list(ordered)
    if script not in READS_LATIN and "eng" in have and "eng" not in langs:
        langs.append("eng")
    return "+".join(langs)


def sample(image: Any) -> Any:
    """A part of the page for trial reads: the whole of a small page, else the full-width
    band of lines with the most ink (at full resolution: scaling a page down makes 10-point
    text too small to read, which would misjudge every language alike)."""
    width, height = image.size
    if width * height <= SAMPLE_PIXELS:
        return image
    # At most an eighth of the page: a low-resolution scan would otherwise give whole
    # paragraphs to each trial read.
    band = max(150, min(SAMPLE_PIXELS // max(width, 1), height // 8))
    if band >= height:
        return image
    from PIL import Image, ImageColor, ImageOps

    # Dark-pixel share of each row. Rows darker than 40% are a photo or a black border, not
    # text, and count as empty.
    rows = image.convert("L").point(lambda v: 255 if v < 128 else 0) \
        .resize((1, height), Image.Resampling.BOX).tobytes()
    ink = [v if v < 0.4 * 255 else 0 for v in rows]
    prefix = [0]
    for v in ink:
        prefix.append(prefix[-1] + v)
    step = max(1, band // 4)
    top = max(range(0, height - band + 1, step), key=lambda t: prefix[t + band] - prefix[t])
    bottom = top + band
    # Widen to the blank rows around the band: a line cut in half reads as junk in every
    # language (measured: a clean English page's trial fell from 96% to 71%, and OSD failed).
    for _ in range(band // 2):
        if top == 0 or not rows[top - 1]:
            break
        top -= 1
    for _ in range(band // 2):
        if bottom >= height or not rows[bottom]:
            break
        bottom += 1
    # And a white margin: a line touching the edge of the image reads badly too (measured: a
    # Chinese band's trial read 56% without, 88% with).
    white = ImageColor.getcolor("white", image.mode)
    return ImageOps.expand(image.crop((0, top, width, bottom)), border=20, fill=white)


def _has_ink(image: Any) -> bool:
    """Whether the page has at least a few words' worth of dark pixels (0.02% of a page is
    about two words of 12-point text at 300 dpi)."""
    histogram = image.convert("L").histogram()
    return sum(histogram[:128]) >= INK_MIN_SHARE * max(1, sum(histogram))


def osd_script(image: Any, timeout: float) -> tuple[str, float] | None:
    """Tesseract's script for ``image`` and its confidence, or None when OSD cannot tell."""
    import pytesseract

    if "osd" not in _all_languages():
        return None
    try:
        out = pytesseract.image_to_osd(
            image, config=f"-c min_characters_to_try={OSD_MIN_CHARACTERS}", timeout=timeout)
    except pytesseract.TesseractError:  # "Too few characters": a blank or tiny page
        return None
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise _TimedOut from exc
        raise
    script = re.search(r"^Script: *(\S+)", out, re.M)
    conf = re.search(r"^Script confidence: *([\d.]+)", out, re.M)
    if not script or not conf:
        return None
    return script.group(1), float(conf.group(1))


@dataclass
class OcrRun:
    """OCR of a sequence of page images under one deadline."""

    languages: str  # Tesseract's "eng+chi_sim", or AUTO
    budget: float
    started: float = field(default_factory=time.monotonic)
    pages_done: list[int] = field(default_factory=list)
    stopped_at: int | None = None  # first page not read because time ran out
    problems: list[str] = field(default_factory=list)
    confidences: dict[int, list[float]] = field(default_factory=dict)  # page -> words
    used: list[str] = field(default_factory=list)  # each language read with, first use first
    chosen: dict[int, Choice] = field(default_factory=dict)  # AUTO: page -> its choice
    current: Choice | None = None  # AUTO: the last page's choice, tried first on the next
    # AUTO: a trial read on a page that read badly chose ``current`` again. The scan is poor,
    # not in another script; later bad pages are not tried again (it would double their cost).
    confirmed: bool = False
    # page -> {"width", "height" (pixels of the image read), "words": [[x0, y0, x1, y1, text]]}:
    # the kept read's word boxes, which become the page's character boxes (workbench.pages).
    words: dict[int, dict[str, Any]] = field(default_factory=dict)
    _read_words: dict[str, list[list[Any]]] = field(default_factory=dict)  # this page's reads

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
            if self.languages == AUTO:
                text, confs = self._read_auto(number, image)
            else:
                text, confs = self._read(image, self.languages)
        except _TimedOut:
            self.stopped_at = number  # summary() names the pages left
            return ""
        except pytesseract.TesseractError as exc:
            self.problems.append(f"page {number}: Tesseract could not read the image "
                                 f"({str(exc.message)[:80]})")
            return ""
        self.pages_done.append(number)
        self.confidences[number] = confs
        width, height = image.size
        self.words[number] = {"width": width, "height": height,
                              "words": self._read_words.get(text, [])}
        self._read_words.clear()
        return clean(text)

    def _tesseract(self, image: Any, languages: str) -> tuple[str, list[float]]:
        """One Tesseract run: the text and the word confidences (txt and tsv together)."""
        import pytesseract

        left = self.remaining()
        if left < 0.5:
            raise _TimedOut
        try:
            text, tsv = pytesseract.run_and_get_multiple_output(
                image, ["txt", "tsv"], lang=languages, timeout=left)
        except RuntimeError as exc:
            if "timeout" not in str(exc).lower():
                raise
            raise _TimedOut from exc
        self._read_words[str(text)] = tsv_words(str(tsv))  # the kept read's, in page()
        return str(text), word_confidences(str(tsv))

    def _read(self, image: Any, languages: str) -> tuple[str, list[float]]:
        text, confs = self._tesseract(image, languages)
        if confs:  # a blank page says nothing about the document's languages
            self._note_used(languages)
        return text, confs

    def _note_used(self, languages: str) -> None:
        self.used.extend(lang for lang in languages.split("+") if lang not in self.used)

    def _read_auto(self, number: int, image: Any) -> tuple[str, list[float]]:
        """Read a page in its own script: the previous page's choice when it reads well,
        else detect the script on this page and read again if it differs."""
        detected_here = False
        if self.current is None:
            self.current = self._detect(image)
            detected_here = True
        choice = self.current or self._fallback()
        text, confs = self._tesseract(image, choice.languages)
        if _low(confs) and not self.confirmed and self.current is not None:
            if detected_here and choice.how == "trial read":
                self.confirmed = True  # this page's own trial read chose the languages
            else:
                text, confs, choice = self._recheck(image, choice, text, confs)
        if confs:  # the languages of the read kept, not of a read replaced by a better one
            self.chosen[number] = choice
            self._note_used(choice.languages)
        return text, confs

    def _recheck(self, image: Any, choice: Choice, text: str,
                 confs: list[float]) -> tuple[str, list[float], Choice]:
        """A page reads badly in the chosen languages: OSD was wrong, or the document changed
        script. A trial read on this page decides; the better of the two reads is kept."""
        known = dict.fromkeys(script_groups(installed_languages()).get(choice.script, []),
                              mean(confs))
        other = self._detect(image, use_osd=False, known=known)
        self.confirmed = other is not None and other.script == choice.script
        if other is None or other.script == choice.script:
            return text, confs, choice
        text2, confs2 = self._tesseract(image, other.languages)
        if mean(confs2) <= mean(confs):
            return text, confs, choice
        self.current = other
        return text2, confs2, other

    def _fallback(self) -> Choice:
        have = installed_languages()
        lang = "eng" if "eng" in have else sorted(have)[0]
        return Choice("Latin" if lang == "eng" else "?", lang, "nothing legible to detect")

    def _detect(self, image: Any, *, use_osd: bool = True,
                known: dict[str, float] | None = None) -> Choice | None:
        """The script of ``image`` and the languages to read it with; None when no trial
        read finds any word (a blank page). ``known``: confidences already measured on this
        page (the full read that was too low), which need no trial."""
        have = installed_languages()
        groups = script_groups(have)
        if not groups:
            return None
        if len(groups) == 1:
            [(script, langs)] = groups.items()
            if len(langs) == 1:
                return Choice(script, group_languages(script, langs, have),
                              "only installed script")
        if not _has_ink(image):  # a blank page: nothing to detect, no trial reads to pay for
            return None
        part = sample(image)
        hint = None
        if use_osd:
            found = osd_script(part, self.remaining())
            hint = found[0] if found else None
            if found and found[0] in OSD_TRUSTED and found[0] in groups \
                    and found[1] >= OSD_MIN_CONFIDENCE:
                script, langs = found[0], groups[found[0]]
                # Which of the script's languages first (uig or ara): a trial of each.
                within = self._trials(part, langs) if len(langs) > 1 else {}
                ordered = sorted(langs, key=lambda lang: -within.get(lang, 0.0))
                return Choice(script, group_languages(script, ordered, have), "OSD",
                              f"{script} {found[1]:.1f}" + _scores(within))
        scores: dict[str, float] = dict(known or {})
        # Latin first (the most common script, and English's score is needed to judge the
        # others: see LATIN_MARGIN), then the one OSD guessed without being sure.
        order = sorted(groups, key=lambda s: (s != "Latin", s != hint))
        for script in order:
            scores.update(self._trials(part, [lang for lang in groups[script]
                                              if lang not in scores]))
            if scores and max(scores.values()) >= SURE_CONFIDENCE:
                break
        if not scores or max(scores.values()) <= 0:
            return None
        best = max(scores, key=lambda lang: scores[lang])
        if "eng" in scores and best != "eng" and scores[best] < scores["eng"] + LATIN_MARGIN:
            best = "eng"
        script = next(s for s, langs in groups.items() if best in langs)
        ordered = sorted(groups[script], key=lambda lang: -scores.get(lang, 0.0))
        return Choice(script, group_languages(script, ordered, have), "trial read",
                      _scores(scores).lstrip("; "))

    def _trials(self, image: Any, languages: list[str]) -> dict[str, float]:
        """Mean word confidence of a read of ``image`` in each language (0 without words)."""
        scores: dict[str, float] = {}
        for lang in languages:
            _, confs = self._tesseract(image, lang)
            scores[lang] = mean(confs)
        return scores

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

    def confidence(self) -> float | None:
        """Mean word confidence over every page read; None without words."""
        words = [c for confs in self.confidences.values() for c in confs]
        return mean(words) if words else None

    def summary(self, total_pages: list[int]) -> list[str]:
        """Problems worth showing: pages left unread because time ran out, and text read with
        low confidence (the wrong language, or a poor scan)."""
        notes = list(self.problems)
        words = [c for confs in self.confidences.values() for c in confs]
        if _low(words):
            notes.append(f"OCR confidence {mean(words):.0f} %: check the language (read as "
                         f"{self.layer_languages()}); `workbench ocr` with --languages reads "
                         "it again")
        elif words:
            low = sorted(n for n, confs in self.confidences.items()
                         if _low(confs, MIN_PAGE_WORDS))
            if low:
                conf = mean([c for n in low for c in self.confidences[n]])
                notes.append(f"OCR confidence {conf:.0f} % on {_span(low)}: check the "
                             "language or the scan")
        if self.stopped_at is not None:
            left = [n for n in total_pages if n >= self.stopped_at and n not in self.pages_done]
            if left:
                notes.append(f"OCR timed out: {len(left)} page(s) not read ({_span(left)}) "
                             f"within the {self.budget:.0f} s OCR time budget; run "
                             "`workbench ocr` on the document with a longer --timeout to finish")
        return notes

    def layer_languages(self) -> str | None:
        """The languages for the text layer's provenance: those given, or in automatic mode
        each language some page was read with (None if no page was)."""
        if self.languages != AUTO:
            return self.languages
        return "+".join(self.used) or None

    def metadata(self) -> dict[str, Any]:
        """How the languages were chosen (automatic mode) and the mean confidence, for the
        document's metadata: "chi_sim: page 1 (Han script, trial read: chi_sim 93 %, …)"."""
        meta: dict[str, Any] = {}
        conf = self.confidence()
        if conf is not None:
            meta["ocr_confidence"] = round(conf)
        if self.chosen:
            by_choice: dict[Choice, list[int]] = {}
            for number, choice in sorted(self.chosen.items()):
                by_choice.setdefault(choice, []).append(number)
            meta["ocr_languages_chosen"] = "; ".join(
                f"{c.languages}: {_span(numbers)} ({c.script} script, {c.how}"
                + (f": {c.detail}" if c.detail else "") + ")"
                for c, numbers in by_choice.items())
        return meta

    def provenance(self) -> str:
        """The extractor version's OCR part; "+auto" when the languages were chosen here."""
        import pytesseract

        auto = "+auto" if self.languages == AUTO else ""
        return f"{engine_version()}+pytesseract-{pytesseract.__version__}{auto}"


def _scores(scores: dict[str, float]) -> str:
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return "".join(f"; {lang} {conf:.0f} %" for lang, conf in ranked)


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
