"""A dossier as one self-contained HTML document; also the input WeasyPrint turns into the PDF.

Everything is escaped; there are no scripts, no images and no external resources (a
Content-Security-Policy forbids them even if some slipped in). Redactions are drawn as black
bars reading ``[REDACTED: reason]``: the redacted text itself never reaches this module.
"""

from __future__ import annotations

import unicodedata
from html import escape
from pathlib import Path

from ..dossier.citations import citation_parts
from ..dossier.model import DossierView, ViewItem
from ..dossier.redaction import Segment
from .common import resources_dir

CSP = "default-src 'none'; style-src 'unsafe-inline'"
# WeasyPrint's cost for ``target-counter`` grows faster than the number of entries (measured:
# 6 of 16 CPU-seconds of layout at 500 exhibits), so larger dossiers list their exhibits
# without page numbers; the PDF's bookmarks still jump to each one.
TOC_PAGE_REFS_MAX = 300


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
    for seg in segments:
        if seg.redacted:
            paras[-1][0].append(f'<span class="redacted">[REDACTED: {e(seg.reason)}]</span>')
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
    return f'<p class="citation">{" · ".join(e(r) for r in rows)}</p>'


def item_html(item: ViewItem, pdf: bool) -> str:
    if item.kind == "note":
        return (f'<aside class="note" id="item-{item.id}">'
                f"{segments_html(item.body, pdf)}</aside>")
    # No wrapper element: every box costs layout time in a 500-exhibit dossier.
    parts = [f'<h3 class="exhibit" id="item-{item.id}">{e(item.heading)}</h3>',
             f'<blockquote class="excerpt">{segments_html(item.body, pdf)}</blockquote>',
             citation_html(item)]
    if item.commentary:
        body = segments_html(item.commentary, pdf, lead="<b>Commentary:</b> ")
        parts.append(f'<div class="commentary">{body}</div>')
    return "\n".join(parts)


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
             ("Redactions", str(len(view.rules)))]
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    desc = segments_html(view.description, pdf)
    return (f'<section class="cover"><h1>{e(view.title)}</h1>'
            f'<table class="facts">{table}</table>'
            f'<div class="description">{desc}</div></section>')


def toc_html(view: DossierView) -> str:
    if len(view.exhibits) <= TOC_PAGE_REFS_MAX:
        lines = ['<nav class="toc pages"><h2>Contents</h2><ol>']
    else:
        lines = ['<nav class="toc"><h2>Contents</h2>',
                 f"<p>Page numbers are left out of the contents of dossiers with more than "
                 f"{TOC_PAGE_REFS_MAX} exhibits; the bookmarks lead to each exhibit.</p><ol>"]
    for sec in view.sections:
        if sec.title:
            lines.append(f'<li class="toc-section">{e(sec.title)}</li>')
        for it in sec.items:
            if it.is_exhibit:
                lines.append(f'<li><a href="#item-{it.id}">{e(it.heading)}</a></li>')
    lines.append('<li><a href="#appendix">Provenance appendix</a></li></ol></nav>')
    return "\n".join(lines)


def appendix_html(view: DossierView) -> str:
    used: dict[int, list[str]] = {}
    for it in view.exhibits:
        if it.source and it.label:
            used.setdefault(it.source.document_id, []).append(it.label)
    blocks = ['<section class="appendix" id="appendix"><h2>Provenance appendix</h2>']
    for src in view.sources:
        rows = [("Title", src.title), ("SHA-256", src.sha256), ("Kind", src.media_type),
                ("Size", f"{src.size} bytes"), ("Author", src.author), ("Site", src.site),
                ("Published", src.published), ("Source URL", src.url),
                ("Final URL", src.final_url), ("Captured", src.captured_at),
                ("Imported", src.imported_at), ("Importer", src.importer),
                ("HTTP status", src.http_status), ("File name", src.filename),
                ("Cited as", ", ".join(used.get(src.document_id, [])))]
        if src.document_id in view.redacted_documents:
            rows.append(("Note", "contains redacted text; its original is not distributed"))
        body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows
                       if v not in (None, ""))
        blocks.append(f'<table class="source">{body}</table>')
    if view.rules:
        reasons = sorted({r.reason for r in view.rules})
        blocks.append("<h3>Redactions</h3><p>Text was withheld from this dossier for these "
                      "reasons: " + "; ".join(e(r) for r in reasons) + ".</p>")
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


def bates_css(prefix: str | None) -> str:
    if not prefix:
        return ""
    quoted = prefix.replace("\\", "\\\\").replace('"', '\\"')
    return ('@counter-style bates { system: extends decimal; pad: 6 "0"; }\n'
            f'@page {{ @bottom-right {{ content: "{quoted}" counter(page, bates); '
            "font-size: 8pt; font-family: \"WB Sans\"; }} }}")


def render(view: DossierView, *, pdf: bool = False, bates: str | None = None) -> str:
    css = stylesheet("dossier.css")
    if pdf:
        css = font_faces() + "\n" + css + "\n" + stylesheet("print.css") + "\n" + bates_css(bates)
    author = f'<meta name="author" content="{e(view.byline)}">' if view.byline else ""
    sections = []
    for sec in view.sections:
        head = f'<h2 class="section">{e(sec.title)}</h2>' if sec.title else ""
        sections.append(head + "\n".join(item_html(it, pdf) for it in sec.items))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{e(view.title)}</title>", author,
        '<meta name="generator" content="Workbench">',
        f"<style>\n{css}\n</style></head><body>",
        cover_html(view, pdf), toc_html(view), "<main>", *sections, "</main>",
        appendix_html(view), "</body></html>"])
