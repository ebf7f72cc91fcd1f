"""Highlight rows at session level: placing a quote, pages, tags, plain-data views, audit details.

The facade (``service.py``) wraps these in transactions. A highlight's quote, prefix and suffix
are always slices of its text layer, whatever the user typed, so the two W3C selectors agree.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workbench.annotate import anchoring, tags
from workbench.errors import NotFound, UserError
from workbench.ids import row_id
from workbench.models import Document, Highlight, HighlightTag, Page, TextLayer

PageRanges = list[tuple[int, int, int]]  # (number, start, end)


def iso(dt: Any) -> str | None:
    return None if dt is None else dt.isoformat().replace("+00:00", "Z")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def layer_pages(session: Session, layer_id: int) -> PageRanges:
    rows = session.execute(select(Page.number, Page.start, Page.end)
                           .where(Page.layer_id == layer_id).order_by(Page.number)).all()
    return [(int(n), int(a), int(b)) for n, a, b in rows]


def page_of(pages: PageRanges, offset: int) -> int | None:
    """The page holding ``offset``; an offset in the separator between pages counts for the
    next page, where the highlighted text begins."""
    for number, _start, end in pages:
        if offset < end:
            return number
    return pages[-1][0] if pages else None


def get_row(session: Session, highlight_id: int) -> Highlight:
    h = session.get(Highlight, key) if (key := row_id(highlight_id)) is not None else None
    if h is None:
        raise NotFound(f"No highlight {highlight_id}", "see `workbench highlight list`")
    return h


def locate(text: str, quote: str, occurrence: int | None) -> tuple[int, int]:
    """The original span of ``quote`` in ``text``, matched as people copy; UserError with
    the nearest match as hint when absent, or the count when ambiguous."""
    q = anchoring.norm_quote(quote)
    if not q:
        raise UserError("The quote is empty", "give the words to highlight")
    nt = anchoring.normalize_cached(text)
    hits = anchoring.find_all(nt.text, q)
    if not hits:
        near = anchoring.fuzzy_find(nt, quote)
        hint = "check the spelling, or give a character range instead"
        if near is not None and near.score >= 0.5:
            snippet = " ".join(text[near.start:near.end].split())
            if len(snippet) > 200:
                snippet = snippet[:200] + "…"
            hint = (f"nearest match ({near.score:.0%} similar) at characters "
                    f"{near.start}-{near.end}: \"{snippet}\"")
        raise UserError("The quote was not found in the document", hint)
    if occurrence is None:
        if len(hits) > 1:
            raise UserError(f"The quote occurs {len(hits)} times in the document",
                            f"say which one with --occurrence N (1 to {len(hits)})")
        occurrence = 1
    if not 1 <= occurrence <= len(hits):
        raise UserError(f"There is no occurrence {occurrence}",
                        f"the quote occurs {len(hits)} time(s)")
    a = hits[occurrence - 1]
    return nt.to_original(a, a + len(q))


def check_range(text: str, start: int, end: int) -> tuple[int, int]:
    if not 0 <= start < end <= len(text):
        raise UserError(f"The range {start}-{end} is outside the text",
                        f"the text has {len(text)} characters; start must be below end")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise UserError("The range holds only white space")
    return start, end


def place(h: Highlight, layer: TextLayer, pages: PageRanges, start: int, end: int) -> None:
    """Point ``h`` at ``[start, end)`` of ``layer``, refreshing its selectors and page."""
    h.layer_id = layer.id
    h.start, h.end = start, end
    h.quote, h.prefix, h.suffix = anchoring.selectors(layer.text, start, end)
    h.page = page_of(pages, start)


def set_tags(session: Session, h: Highlight, paths: list[str] | None = None,
             add: list[str] | tuple[str, ...] = (),
             remove: list[str] | tuple[str, ...] = ()) -> bool:
    """Replace (``paths``) or add/remove tags, creating tags on demand; True if changed."""
    have = set(session.execute(select(HighlightTag.tag_id)
                               .where(HighlightTag.highlight_id == h.id)).scalars())
    want = set(have) if paths is None else set()
    for p in [*(paths or []), *add]:
        want.add(tags.ensure_tag(session, p)[0].id)
    for p in remove:
        want.discard(tags.get_tag(session, p).id)
    if want == have:
        return False
    session.execute(delete(HighlightTag).where(HighlightTag.highlight_id == h.id,
                                               HighlightTag.tag_id.in_(have - want)))
    session.add_all(HighlightTag(highlight_id=h.id, tag_id=t) for t in want - have)
    session.flush()
    return True


def tag_ids(session: Session, highlight_id: int) -> list[int]:
    return sorted(session.execute(select(HighlightTag.tag_id)
                                  .where(HighlightTag.highlight_id == highlight_id)).scalars())


def audit_details(session: Session, h: Highlight, doc: Document | None = None,
                  tags: list[int] | None = None, **extra: Any) -> dict[str, Any]:
    """Ids and hashes only: the audit log never holds document text or notes."""
    doc = doc or session.get(Document, h.document_id)
    return {"document_id": h.document_id, "document_sha256": doc.sha256 if doc else None,
            "layer_id": h.layer_id, "start": h.start, "end": h.end, "page": h.page,
            "quote_sha256": sha(h.quote), "status": h.status,
            "tag_ids": tag_ids(session, h.id) if tags is None else tags, **extra}


def to_dicts(session: Session, rows: list[Highlight]) -> list[dict[str, Any]]:
    """Plain-data views of highlights, with tag paths, document title and layer version;
    ``display_color`` is the first tag's colour (the highlight's own when it has no tag)."""
    ids = [h.id for h in rows]
    all_tags = tags.all_tags(session) if rows else {}
    tag_paths = tags.path_map(session, all_tags)
    colors = {p: all_tags[i].color for i, p in tag_paths.items()}
    paths = tags.highlight_tag_paths(session, ids, tag_paths)
    doc_ids = {h.document_id for h in rows}
    titles = dict(session.execute(select(Document.id, Document.title)
                                  .where(Document.id.in_(doc_ids))).all()) if doc_ids else {}
    layer_ids = {h.layer_id for h in rows}
    versions = dict(session.execute(select(TextLayer.id, TextLayer.version)
                                    .where(TextLayer.id.in_(layer_ids))).all()) if rows else {}
    return [{
        "id": h.id, "document_id": h.document_id, "document_title": titles.get(h.document_id),
        "layer_id": h.layer_id, "layer_version": versions.get(h.layer_id),
        "start": h.start, "end": h.end, "page": h.page, "quote": h.quote,
        "prefix": h.prefix, "suffix": h.suffix, "color": h.color, "note": h.note,
        "tags": paths[h.id], "status": h.status, "candidate": h.candidate,
        # What a reader sees: a coded passage wears its (first) tag's colour.
        "display_color": next((colors[p] for p in paths[h.id] if colors.get(p)), h.color),
        "os_user": h.os_user, "created_at": iso(h.created_at), "modified_at": iso(h.modified_at),
        # Where it sits on the original page(s) (workbench.pages.geometry), or None.
        "page_geometry": h.page_geometry,
        "version": h.version,  # what an edit passes back as expected_version
    } for h in rows]
