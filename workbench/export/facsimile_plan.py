"""What each facsimile exhibit of a dossier shows: its source PDF, pages, marks and black boxes.

``plan_facsimiles`` turns every facsimile exhibit of a ``DossierView`` into the renderer's
request (``export.facsimile``): the source is the original PDF, or for a saved web page,
MHTML, WARC, e-mail or DOCX its capture laid out offline (``capture_as_pdf``); the pages are
the item's, or where its quote lands on the laid-out capture; the highlight's marks come from
its page geometry (else the quote found in the page's text, with the anchoring's search); and
the black boxes are every text rule's matches on the page — the dossier's one matcher run over
the page's text as ``read_page_boxes`` reads it, the matched characters' boxes padded by a
point and joined per line — plus the area rules of that page. A page whose text PDFium cannot
read (a scan) takes the OCR word boxes the library kept for it, if any; what no box covers is
left to the leak check, which OCRs every page image.

The plan knows the pages before anything is laid out, so the PDF export can number its pages
and give each facsimile page its Bates number before the renderer runs (``render_plan``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dossier.facsimile import format_pages
from ..dossier.model import DossierView, FacsimileSpec, ViewItem
from ..dossier.redaction import matcher_of, page_spans
from ..errors import ExportError
from ..redact.matcher import Matcher

if TYPE_CHECKING:
    from ..library import Library
    from ..pages.boxes import PageBoxes

Rect = tuple[float, float, float, float]
PAD = 1.0  # points around a redacted character's box: anti-aliasing must not show an edge
_CAPTURED = {"html": "html", "mhtml": "mhtml", "warc": "warc", "email": "email",
             "docx": "docx"}


@dataclass
class PagePlan:
    number: int  # in the source
    marks: list[Rect] = field(default_factory=list)
    redactions: list[Rect] = field(default_factory=list)
    mark_colors: list[str] = field(default_factory=list)


@dataclass
class FacsimilePlan:
    """One exhibit's facsimile, ready to render once its Bates numbers are known."""

    item_id: int
    label: str
    source_pdf: Path
    source_pages: int
    sha256: str
    pages: list[PagePlan]
    ocr_languages: str | None = None
    # Redacted pages burnt in while planning (by index in ``pages``), their OCR under way:
    # Tesseract is most of a facsimile export's time, so it starts as early as it can.
    burnt: dict[int, Any] = field(default_factory=dict)

    @property
    def redacted_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.redactions]

    def file_name(self) -> str:
        """``exhibit-3-facsimile.pdf`` (``A-3`` gives ``a-3-facsimile.pdf``)."""
        slug = "".join(c if c.isalnum() else "-" for c in self.label.lower()).strip("-")
        return f"{'-'.join(filter(None, slug.split('-')))}-facsimile.pdf"


def plan_facsimiles(library: Library, view: DossierView, held: ExitStack,
                    scratch: Path) -> dict[int, FacsimilePlan]:
    """Every facsimile exhibit's plan, by item id. Originals stay readable while ``held``
    is open; captures laid out as PDF go into ``scratch``."""
    items = [it for it in view.exhibits if it.facsimile is not None]
    if not items:
        return {}
    matcher = matcher_of(view.rules)
    languages = library.get_setting("ocr_languages", None)
    sources: dict[str, Path] = {}
    plans: dict[int, FacsimilePlan] = {}
    ahead = _Ahead(held)
    for it in items:
        spec = it.facsimile
        assert spec is not None
        path = sources.get(spec.sha256)
        if path is None:
            path = sources[spec.sha256] = _source_pdf(library, spec, held, scratch)
        plans[it.id] = _plan(library, view, it, spec, path, matcher,
                             str(languages) if languages else None, ahead)
        it.facsimile_shown = (format_pages(p.number for p in plans[it.id].pages),
                              plans[it.id].source_pages)
    return plans


def _source_pdf(library: Library, spec: FacsimileSpec, held: ExitStack, scratch: Path) -> Path:
    if not library.originals.exists(spec.sha256):
        raise ExportError(f"The original of document {spec.document_id} is missing from the "
                          "library, so its pages cannot be shown",
                          "turn the exhibit's facsimile off, or run `workbench verify`")
    original = held.enter_context(library.originals.materialize(spec.sha256))
    if spec.media_type == "application/pdf":
        return original
    kind = _CAPTURED.get(spec.kind)
    if kind is None:
        raise ExportError(f"Document {spec.document_id} ({spec.kind}) has no pages to show as "
                          "a facsimile", "facsimiles show PDFs, web pages, MHTML, WARC, e-mail "
                          "and DOCX; turn the exhibit's facsimile off")
    from .capture_pdf import capture_as_pdf

    scratch.mkdir(parents=True, exist_ok=True)
    return capture_as_pdf(kind, original, scratch / f"capture-{spec.sha256[:16]}.pdf")


class _Ahead:
    """Burns planned redacted pages at once and starts their OCR (``facsimile_raster``), on
    a Tesseract pool that lives as long as the export's ``held`` stack."""

    def __init__(self, held: ExitStack) -> None:
        self._held = held
        self._pool: Any = None

    def burn(self, pdf: Any, page: PagePlan, languages: str | None) -> Any:
        from .facsimile import DPI
        from .facsimile_raster import OcrPool, burn_page

        if self._pool is None:
            self._pool = self._held.enter_context(OcrPool())
        return burn_page(self._pool, pdf[page.number - 1], page.number, page.redactions,
                         DPI, languages, True)


def _plan(library: Library, view: DossierView, it: ViewItem, spec: FacsimileSpec,
          path: Path, matcher: Matcher, languages: str | None,
          ahead: _Ahead | None = None) -> FacsimilePlan:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        total = len(pdf)
        # Pages found from the quote: every page's text is read once, then reused.
        boxes = {n: _boxes(library, spec, pdf, n) for n in range(1, total + 1)} \
            if spec.pages is None else {}
        pages = spec.pages or _quote_pages(spec, boxes) or list(range(1, total + 1))
        if pages[-1] > total:
            raise ExportError(f"{it.label} shows page {pages[-1]} of its source, which has "
                              f"{total} pages", f"choose its pages again: workbench dossier "
                              f"facsimile {view.id} {it.id} on --pages 1-{total}")
        plans: list[PagePlan] = []
        burnt: dict[int, Any] = {}
        for n in pages:
            page_boxes = boxes.get(n) or _needed_boxes(library, spec, pdf, n, matcher)
            plan = PagePlan(n, redactions=_redactions(page_boxes, matcher) + [
                a.rect for a in view.areas if a.document_id == spec.document_id and a.page == n])
            plan.marks = _marks(spec, page_boxes)
            plan.mark_colors = [spec.color] * len(plan.marks)
            if plan.redactions and ahead is not None:
                burnt[len(plans)] = ahead.burn(pdf, plan, languages)
            plans.append(plan)
    finally:
        pdf.close()
    return FacsimilePlan(it.id, it.label or f"item {it.id}", path, total, spec.sha256, plans,
                         languages, burnt)


def _needed_boxes(library: Library, spec: FacsimileSpec, pdf: Any, page: int,
                  matcher: Matcher) -> PageBoxes:
    """The page's boxes, or its text alone when no box is needed: no text rule matches it and
    the marks come from the highlight's geometry (most pages of a large export; reading every
    character's box costs ten times reading the text)."""
    if spec.geometry and spec.media_type == "application/pdf":
        from ..extract.pdf_text import clean_pdfium
        from ..pages.boxes import PageBoxes

        pdfpage = pdf[page - 1]
        try:
            textpage = pdfpage.get_textpage()
            try:
                # The text read_page_boxes gives, without the boxes.
                text = clean_pdfium(str(textpage.get_text_range()))
            finally:
                textpage.close()
        finally:
            pdfpage.close()
        # Any reading (an entity- or percent-encoded spelling too) needs the boxes: page_spans.
        if text.strip() and not (matcher and matcher.find_in_readings(text) is not None):
            return PageBoxes(page=page, width=0.0, height=0.0, source="pdfium", text=text,
                             boxes=[])
    return _boxes(library, spec, pdf, page)


def _boxes(library: Library, spec: FacsimileSpec, pdf: Any, page: int) -> PageBoxes:
    from ..pages.boxes import read_page_boxes

    boxes = read_page_boxes(pdf, page)
    if boxes.text.strip() or spec.media_type != "application/pdf":
        return boxes
    from ..services import Workbench  # a scan: the OCR word boxes kept at import

    kept = Workbench(library).page_boxes(spec.document_id, page)
    return kept if kept is not None else boxes


def _redactions(boxes: PageBoxes, matcher: Matcher) -> list[Rect]:
    if not matcher or not boxes.text:
        return []
    rects: list[Rect] = []
    # page_spans: literal matches and encoded spellings (entities, percent-escapes) alike
    for start, end in page_spans(boxes.text, matcher):
        rects += [_pad(r) for r in _line_rects(boxes.boxes[start:end])]
    return rects


def _marks(spec: FacsimileSpec, boxes: PageBoxes) -> list[Rect]:
    """The highlight's rects on this page: its geometry, else its quote found on the page."""
    if spec.geometry and spec.media_type == "application/pdf":
        return [(float(q[0]), float(q[1]), float(q[2]), float(q[3]))
                for p in spec.geometry.get("pages", []) if p.get("page") == boxes.page
                for q in p.get("quads", [])]
    span = _find(boxes.text, spec.quote)
    return _line_rects(boxes.boxes[span[0]:span[1]]) if span else []


def _quote_pages(spec: FacsimileSpec, boxes: dict[int, PageBoxes]) -> list[int]:
    """The pages where a highlight's quote is found (a quote may run onto the next page)."""
    if not spec.quote:
        return []
    found = [n for n, b in boxes.items() if _find(b.text, spec.quote)]
    if found:
        return found
    pairs = [(n, n + 1) for n in boxes if n + 1 in boxes
             and _find(boxes[n].text + "\n" + boxes[n + 1].text, spec.quote)]
    return list(pairs[0]) if pairs else []


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """The first place of ``quote`` in ``text``, matched as the anchoring matches a quote."""
    from ..annotate.normtext import find_all, norm_quote, normalize_cached

    q = norm_quote(quote)
    if not q or not text:
        return None
    nt = normalize_cached(text)
    hits = find_all(nt.text, q, limit=1)
    return nt.to_original(hits[0], hits[0] + len(q)) if hits else None


def _line_rects(boxes: list[tuple[float, float, float, float]]) -> list[Rect]:
    """Character boxes joined into one rect per line (characters without a box skipped)."""
    out: list[list[float]] = []
    for x0, y0, x1, y1 in boxes:
        if x1 <= x0 or y1 <= y0:
            continue
        last = out[-1] if out else None
        if last is not None and min(last[3], y1) - max(last[1], y0) > 0.5 * (y1 - y0):
            last[0], last[1] = min(last[0], x0), min(last[1], y0)
            last[2], last[3] = max(last[2], x1), max(last[3], y1)
        else:
            out.append([x0, y0, x1, y1])
    return [(a, b, c, d) for a, b, c, d in out]


def _pad(r: Rect) -> Rect:
    return (max(0.0, r[0] - PAD), max(0.0, r[1] - PAD), r[2] + PAD, r[3] + PAD)


def bates_numbers(prefix: str | None, first_index: int, count: int) -> list[str] | None:
    """The Bates numbers of ``count`` pages starting at 0-based page ``first_index`` of the
    export (the same form ``pdf_stamps`` prints: ``WB000012``)."""
    if not prefix:
        return None
    return [f"{prefix}{first_index + i + 1:06d}" for i in range(count)]


def request_of(plan: FacsimilePlan, bates: list[str] | None) -> Any:
    """The renderer's request for one exhibit's facsimile (``export.facsimile``)."""
    from .facsimile import FacsimilePage, FacsimileRequest

    pages = [FacsimilePage(number=p.number, marks=list(p.marks), redactions=list(p.redactions),
                           mark_colors=list(p.mark_colors)) for p in plan.pages]
    return FacsimileRequest(source_pdf=plan.source_pdf, pages=pages, stamp=plan.label,
                            source_pages=plan.source_pages, bates=bates,
                            ocr_languages=plan.ocr_languages)


def render_plans(jobs: Sequence[tuple[FacsimilePlan, Path, list[str] | None]]) -> list[Any]:
    """Render facsimile PDFs at once, so their redacted pages are OCR'd in parallel."""
    if not jobs:
        return []
    from .facsimile import build_facsimiles

    return build_facsimiles([(request_of(plan, bates), out) for plan, out, bates in jobs],
                            prepared=[plan.burnt for plan, _out, _bates in jobs])


def iter_plans(plans: dict[int, FacsimilePlan], view: DossierView) -> Iterator[FacsimilePlan]:
    """The plans in the dossier's display order."""
    for it in view.exhibits:
        if it.id in plans:
            yield plans[it.id]
