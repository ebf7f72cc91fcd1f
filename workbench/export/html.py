"""A dossier as one self-contained HTML document; also the input WeasyPrint turns into the PDF.

Everything is escaped; there are no scripts, no images and no external resources (a
Content-Security-Policy forbids them even if some slipped in). Redactions are drawn as black
bars reading their mark (``[REDACTED]``, ``[REDACTED: witness safety]``): neither the redacted
text nor a redaction's private reason ever reaches this module.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from html import escape
from pathlib import Path

from ..chronology.dossier_section import HEADERS as CHRONOLOGY_HEADERS
from ..dossier.citations import citation_parts, facsimile_citation, provenance_rows
from ..dossier.corroboration import HEADING as CORROBORATION
from ..dossier.model import DossierView, ViewItem
from ..dossier.redaction import Segment, plain_context, printed_mark, withheld_note
from .common import resources_dir

CSP = "default-src 'none'; style-src 'unsafe-inline'"
# The PDF is laid out in parts (see workbench/export/pdf.py): the footers, Bates numbers and
# the contents' page numbers are stamped over the pages afterwards, so the parts carry none
# (WeasyPrint's ``target-counter`` was measured to cost 6 of 16 CPU-seconds of layout at 500
# exhibits, growing faster than the entry count).
PDF_PART_CSS = """
@page { @bottom-center { content: none; } @bottom-right { content: none; } }
nav.toc li { padding-right: 3em; }
div.facsimile-slot { break-after: page; height: 0; margin: 0; }
"""
# The stamp pages: no margins, so every text is placed in page coordinates; the footer sits
# where print.css's bottom margin (22 mm, 18 mm at the sides) is, centred in it.
STAMP_CSS = """
@page { margin: 0; @bottom-center { content: none; } @bottom-right { content: none; } }
div.p { position: relative; height: 0; }
div.p + div.p { break-before: page; }
span.n { position: absolute; text-align: right; white-space: nowrap; }
div.f { position: absolute; left: 18mm; width: 174mm; top: 275mm; height: 22mm;
        line-height: 22mm; font-size: 8pt; text-align: center; white-space: nowrap; }
div.f span { position: absolute; right: 0; }
"""


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _direction(text: str) -> str:
    """``rtl`` when the first strongly directional character is right-to-left."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            return "rtl"
        if bidi == "L":
            return "ltr"
    return "ltr"


def _flags_as_letters(text: str) -> str:
    """Regional-indicator pairs (flag emoji) as their letters: no bundled font draws them."""
    if not any(0x1F1E6 <= ord(c) <= 0x1F1FF for c in text):
        return text
    out = []
    for ch in text:
        cp = ord(ch)
        out.append(chr(cp - 0x1F1E6 + ord("A")) if 0x1F1E6 <= cp <= 0x1F1FF else ch)
    return "".join(out)


def segments_html(segments: list[Segment], pdf: bool, lead: str = "") -> str:
    """Paragraphs of text with redaction bars; blank lines separate paragraphs. ``lead`` is
    markup put at the start of the first paragraph (a label, without a box of its own)."""
    paras: list[tuple[list[str], list[str]]] = [([lead] if lead else [], [])]
    context = plain_context(segments)
    for seg in segments:
        if seg.redacted:
            # fenced outside the bar, which the left-to-right marks would widen
            paras[-1][0].append(
                printed_mark(f'<span class="redacted">{e(seg.mark)}</span>', context))
            continue
        text = _flags_as_letters(seg.text) if pdf else seg.text
        for i, chunk in enumerate(text.replace("\r\n", "\n").split("\n\n")):
            if i:
                paras.append(([], []))
            paras[-1][0].append(e(chunk).replace("\n", "<br>"))
            paras[-1][1].append(chunk)
    out = []
    for html_parts, text_parts in paras:
        body = "".join(html_parts).strip()
        if body:
            out.append(f'<p dir="{_direction("".join(text_parts))}">{body}</p>')
    return "\n".join(out)


def citation_html(item: ViewItem) -> str:
    """One flowing paragraph: few lines and boxes keep long dossiers quick to lay out."""
    if item.source is None:
        return ""
    kind = "Excerpt" if item.kind == "highlight" else "Whole document"
    rows = [kind] + [f"{k}: {v}" for k, v in citation_parts(item.source, item.page)]
    if item.facsimile_shown:
        rows.append(facsimile_citation(item.source, *item.facsimile_shown))
    return f'<p class="citation">{" · ".join(e(r) for r in rows)}</p>'


def corroboration_html(item: ViewItem, pdf: bool) -> str:
    """"Corroborated by:" each linked quote with its source's citation (already redacted)."""
    if not item.corroborated_by:
        return ""
    parts = [f'<div class="corroboration"><p class="citation"><b>{e(CORROBORATION)}</b></p>']
    for c in item.corroborated_by:
        parts.append(f'<blockquote class="excerpt">{segments_html(c.quote, pdf)}</blockquote>'
                     f'<p class="citation">{e(c.citation)}</p>')
    parts.append("</div>")
    return "".join(parts)


def chronology_html(item: ViewItem, pdf: bool) -> str:
    """A chronology section: its title and a table of events (date, statement, status, and
    each source's quote with its citation), every cell already redacted."""
    heads = "".join(f"<th>{e(h)}</th>" for h in CHRONOLOGY_HEADERS)
    rows = []
    for r in item.chronology.rows if item.chronology else []:
        cited = "".join(f'<blockquote class="excerpt">{segments_html(s.quote, pdf)}</blockquote>'
                        f'<p class="citation">{e(s.citation)}</p>' for s in r.sources)
        rows.append(f"<tr><td>{e(r.date)}</td><td>{segments_html(r.statement, pdf)}</td>"
                    f"<td>{e(r.status)}</td><td>{cited}</td></tr>")
    return (f'<h3 class="chronology" id="item-{item.id}">{e(item.heading)}</h3>'
            f'<table class="chronology"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def item_html(item: ViewItem, pdf: bool) -> str:
    if item.kind == "note":
        return (f'<aside class="note" id="item-{item.id}">'
                f"{segments_html(item.body, pdf)}</aside>")
    if item.kind == "chronology":
        return chronology_html(item, pdf)
    # No wrapper element: every box costs layout time in a 500-exhibit dossier.
    parts = [f'<h3 class="exhibit" id="item-{item.id}">{e(item.heading)}</h3>',
             f'<blockquote class="excerpt">{segments_html(item.body, pdf)}</blockquote>',
             citation_html(item), corroboration_html(item, pdf)]
    if item.commentary:
        body = segments_html(item.commentary, pdf, lead="<b>Commentary:</b> ")
        parts.append(f'<div class="commentary">{body}</div>')
    if pdf and item.facsimile_shown:
        # The PDF export inserts the facsimile's pages after the page this lands on.
        parts.append(f'<div class="facsimile-slot" id="{facsimile_anchor(item.id)}"></div>')
    return "\n".join(parts)


def facsimile_anchor(item_id: int) -> str:
    return f"facsimile-{item_id}"


def cover_html(view: DossierView, pdf: bool) -> str:
    rows = [("Prepared by", view.byline)] if view.byline else []
    if view.case:
        rows.append(("Case", view.case))
    version = f"{view.version}" + (f" (copy of dossier {view.version_of_id})"
                                   if view.version_of_id else "")
    rows += [("Dossier", f"{view.id}, version {version}"),
             ("Status", f"frozen {view.frozen_at:%Y-%m-%d %H:%M} UTC"
              if view.frozen_at else "draft"),
             ("Generated", f"{view.generated_at:%Y-%m-%d %H:%M} UTC"),
             ("Contents", f"{len(view.exhibits)} exhibits from {len(view.sources)} sources"),
             ("Redactions", str(len(view.labels)))]
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    desc = segments_html(view.description, pdf)
    return (f'<section class="cover"><h1>{e(view.title)}</h1>'
            f'<table class="facts">{table}</table>'
            f'<div class="description">{desc}</div></section>')


def toc_html(view: DossierView) -> str:
    """The contents. Each entry's id (``toc-`` + its target) lets the PDF stamp its page."""
    def entry(anchor: str, label: str) -> str:
        return f'<li id="toc-{anchor}"><a href="#{anchor}">{e(label)}</a></li>'

    lines = ['<nav class="toc"><h2>Contents</h2><ol>']
    for sec in view.sections:
        if sec.title:
            lines.append(f'<li class="toc-section">{e(sec.title)}</li>')
        for it in sec.items:
            if it.is_exhibit or it.chronology is not None:
                lines.append(entry(f"item-{it.id}", it.heading))
    lines.append(entry("appendix", "Provenance appendix") + "</ol></nav>")
    return "\n".join(lines)


def appendix_html(view: DossierView) -> str:
    used: dict[int, list[str]] = {}
    for it in view.exhibits:
        if it.source and it.label:
            used.setdefault(it.source.document_id, []).append(it.label)
    blocks = ['<section class="appendix" id="appendix"><h2>Provenance appendix</h2>']
    for src in view.sources:
        rows = [*provenance_rows(src), ("Cited as", ", ".join(used.get(src.document_id, [])))]
        if src.document_id in view.redacted_documents:
            rows.append(("Note", "contains redacted text; its original is not distributed"))
        body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows
                       if v not in (None, ""))
        blocks.append(f'<table class="source">{body}</table>')
    if view.labels:
        note = withheld_note(view.labels)
        blocks.append(f"<h3>Redactions</h3><p>{e(note)}</p>")
    blocks.append("</section>")
    return "\n".join(blocks)


def stylesheet(name: str) -> str:
    return (resources_dir() / "export" / name).read_text(encoding="utf-8")


def font_faces() -> str:
    """``@font-face`` rules for the bundled fonts, by absolute file URL."""
    fonts = resources_dir() / "fonts"
    faces = [("WB Sans", "NotoSans-Regular.ttf", "normal"),
             ("WB Sans", "NotoSans-Bold.ttf", "bold"),
             ("WB Naskh", "NotoNaskhArabic-Regular.ttf", "normal"),
             ("WB CJK", "NotoSansCJKsc-Regular-GB2312.otf", "normal")]
    return "\n".join(
        f'@font-face {{ font-family: "{fam}"; src: url("{Path(fonts / f).as_uri()}"); '
        f"font-weight: {w}; }}" for fam, f, w in faces)


def _document(view: DossierView, css: str, body: list[str]) -> str:
    author = f'<meta name="author" content="{e(view.byline)}">' if view.byline else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{e(view.title)}</title>", author,
        '<meta name="generator" content="Workbench">',
        f"<style>\n{css}\n</style></head><body>", *body, "</body></html>"])


def render(view: DossierView) -> str:
    """The self-contained HTML export."""
    sections = []
    for sec in view.sections:
        head = f'<h2 class="section">{e(sec.title)}</h2>' if sec.title else ""
        sections.append(head + "\n".join(item_html(it, False) for it in sec.items))
    return _document(view, stylesheet("dossier.css"), [
        cover_html(view, False), toc_html(view), "<main>", *sections, "</main>",
        appendix_html(view)])


def print_css() -> str:
    return "\n".join([font_faces(), stylesheet("dossier.css"), stylesheet("print.css"),
                      PDF_PART_CSS])


def pdf_front(view: DossierView) -> str:
    """Cover and contents for the PDF (their page numbers are stamped later)."""
    return _document(view, print_css(), [cover_html(view, True), toc_html(view)])


def _weight(item: ViewItem) -> int:
    """Roughly how much layout an item costs: its text plus a fixed share for its boxes."""
    return (400 + sum(len(s.text) for s in item.body) + sum(len(s.text) for s in item.commentary)
            + sum(200 + sum(len(s.text) for s in c.quote) for c in item.corroborated_by)
            + (item.chronology.weight if item.chronology else 0))


def front_weight(view: DossierView) -> int:
    """The cover and contents' layout cost in ``_weight`` units, tuned with the benchmark's
    per-process CPU figures (the contents cost about a quarter of the body, per exhibit)."""
    return 1000 + 160 * len(view.exhibits)


def pdf_body_parts(view: DossierView, parts: int, head_start: int = 0) -> list[str]:
    """The body (sections, then the appendix in the last part) split into ``parts`` documents
    of about equal layout cost, at item boundaries; each starts on a new page. The first part
    is ``head_start`` lighter (its process lays out the cover and contents too)."""
    # Each section's heading goes with its first item (alone, if the section is empty).
    flat: list[tuple[int, ViewItem | None]] = []
    for si, sec in enumerate(view.sections):
        flat += [(si, it) for it in sec.items] or [(si, None)]
    total = head_start + sum(_weight(it) if it else 100 for _, it in flat) or 1
    chunks: list[list[tuple[int, ViewItem | None]]] = [[] for _ in range(max(1, parts))]
    done = head_start
    for si, it in flat:
        chunks[min(len(chunks) - 1, done * len(chunks) // total)].append((si, it))
        done += _weight(it) if it else 100
    chunks = [c for c in chunks if c] or [[]]
    css = print_css()
    out = []
    for n, chunk in enumerate(chunks):
        body = ["<main>"]
        for si, it in chunk:
            sec = view.sections[si]
            if sec.title and (it is None or sec.items[0] is it):
                body.append(f'<h2 class="section">{e(sec.title)}</h2>')
            if it is not None:
                body.append(item_html(it, True))
        body.append("</main>")
        if n == len(chunks) - 1:
            body.append(appendix_html(view))
        out.append(_document(view, css, body))
    return out


# (page index, top, left, width in CSS pixels from the page's top left, text)
Stamp = tuple[int, float, float, float, str]


def pdf_stamps(view: DossierView, pages: Sequence[int], total: int, bates: str | None,
               stamps: list[Stamp]) -> str:
    """One empty page for each index in ``pages``, carrying the footer ("Page i of n"), the
    Bates number and the given texts (the contents' page numbers), to lay over the assembled
    PDF page by page. No counters: any range of pages can be laid out on its own."""
    css = "\n".join([font_faces(), stylesheet("dossier.css"), stylesheet("print.css"),
                     STAMP_CSS])
    on_page: dict[int, list[str]] = {i: [] for i in pages}
    for page, top, left, width, text in stamps:
        if page in on_page:
            on_page[page].append(f'<span class="n" style="top: {top:.2f}px; '
                                 f'left: {left:.2f}px; width: {width:.2f}px">{e(text)}</span>')
    out = []
    for i in pages:
        number = f"<span>{e(bates)}{i + 1:06d}</span>" if bates else ""
        out.append(f'<div class="p">{"".join(on_page[i])}<div class="f">Page {i + 1} of '
                   f"{total}{number}</div></div>")
    return _document(view, css, out)
