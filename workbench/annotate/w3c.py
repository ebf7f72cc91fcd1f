"""Highlights as W3C Web Annotations (JSON-LD), out and back in.

The export is an ``AnnotationCollection`` whose first ``AnnotationPage`` embeds every
annotation (https://www.w3.org/TR/annotation-model/):

* ``body``: the note as a ``TextualBody`` with purpose ``commenting``; each tag path as a
  ``TextualBody`` with purpose ``tagging``;
* ``target``: a ``SpecificResource`` whose ``source`` is ``urn:sha256:<hash of the original>``
  with a ``TextQuoteSelector`` (exact, prefix, suffix) and a ``TextPositionSelector`` (start,
  end: offsets in the text layer Workbench extracted); for a web capture, ``state`` is a
  ``TimeState`` with the capture time (``sourceDate``) and ``scope`` the captured URL;
* the highlight colour as a ``CssStylesheet`` plus ``styleClass`` on the target, the standard
  way the model carries styling; ``created``, ``modified`` and ``creator``;
* where the highlight sits on the original's pages: per page, a ``FragmentSelector`` that
  ``conformsTo`` RFC 8118 (the PDF fragment identifier) with value
  ``page=N&viewrect=left,top,width,height`` (points, the union of that page's quads, what any
  PDF viewer opens), plus the exact quads in ``workbench:quads`` and the kind (``text`` or
  ``region``) in ``workbench:kind``, so an import restores ``page_geometry`` as it was. A
  region without text has no ``TextQuoteSelector``.

After the highlights come the links between them (``links.py``): an ``Annotation`` with
motivation ``linking``, the two highlights' annotation ids as its ``target`` and the relation
(``corroborates``, ``contradicts``, ``same-event``) as a ``TextualBody`` with purpose
``classifying``. A link's note is private and never written.

``parse_annotations`` reads such a file (or a single annotation, or a plain list) back into
plain values; the facade re-anchors them against the receiving library's documents.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import __version__
from workbench.errors import UserError
from workbench.library import Library
from workbench.models import CollectionRecord, Document, Highlight
from workbench.pages import geometry
from workbench.timeutil import parse_iso_utc

from .tags import highlight_tag_paths

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc8118"
URN_SHA256 = "urn:sha256:"
_NS = uuid.UUID("5f0b8f8e-8d5a-4b0e-9a37-1f3c6f1f6b2e")  # Workbench's namespace for uuid5 ids

Redact = Callable[[str], str]


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def annotation_id(sha256: str, h: Highlight) -> str:
    """A stable id: the same highlight exports under the same IRI every time."""
    created = _iso(h.created_at) or ""
    return f"urn:uuid:{uuid.uuid5(_NS, f'{sha256}:{h.id}:{created}')}"


def _style_class(color: str) -> str:
    return "wb-" + color.lstrip("#").lower()


def _selector_texts(h: Highlight, redact: Redact | None) -> tuple[str, str, str]:
    """Quote, prefix and suffix, redacted so that no term survives at a cut edge.

    The context windows are cut at a fixed width, so they may start or end inside a redacted
    term that ``redact`` then cannot recognise; under redaction they are trimmed to whole
    words, and dropped when a term crosses the quote's own edges.
    """
    if redact is None:
        return h.quote, h.prefix, h.suffix
    prefix, suffix = h.prefix, h.suffix
    if prefix and not prefix[0].isspace() and " " in prefix:
        prefix = prefix[prefix.index(" "):]
    elif prefix and " " not in prefix:
        prefix = ""
    if suffix and not suffix[-1].isspace() and " " in suffix:
        suffix = suffix[:suffix.rindex(" ") + 1]
    elif suffix and " " not in suffix:
        suffix = ""
    exact, rp, rs = redact(h.quote), redact(prefix), redact(suffix)
    if redact(prefix + h.quote + suffix) != rp + exact + rs:
        rp = rs = ""
    return exact, rp, rs


def annotation(h: Highlight, doc: Document, rec: CollectionRecord | None, tags: list[str],
               redact: Redact | None = None, include_creator: bool = True) -> dict[str, Any]:
    """One highlight as a W3C ``Annotation`` (without its own ``@context``)."""
    r: Redact = redact or (lambda s: s)
    exact, prefix, suffix = _selector_texts(h, redact)
    body: list[dict[str, Any]] = []
    if h.note:
        body.append({"type": "TextualBody", "value": r(h.note), "format": "text/plain",
                     "purpose": "commenting"})
    body += [{"type": "TextualBody", "value": r(t), "purpose": "tagging"} for t in tags]
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": URN_SHA256 + doc.sha256,
        "selector": [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix,
             "suffix": suffix},
        ] if h.quote else [],
        "styleClass": _style_class(h.color),
    }
    if redact is None or exact == h.quote:
        # A redacted quote's offsets (and its extent on the page) would give away the
        # length of what was hidden.
        target["selector"].append({"type": "TextPositionSelector", "start": h.start,
                                   "end": h.end})
        target["selector"] += fragment_selectors(h.page_geometry)
    url = rec and (rec.final_url or rec.source_url)
    if url:
        target["scope"] = r(url)
    if rec is not None and rec.captured_at is not None:
        target["state"] = {"type": "TimeState", "sourceDate": _iso(rec.captured_at)}
    anno: dict[str, Any] = {
        "id": annotation_id(doc.sha256, h),
        "type": "Annotation",
        "motivation": "highlighting",
        "created": _iso(h.created_at),
        "modified": _iso(h.modified_at),
        "stylesheet": {"type": "CssStylesheet",
                       "value": f".{_style_class(h.color)} {{ background-color: {h.color} }}"},
        "target": target,
    }
    if body:
        anno["body"] = body
    if include_creator and h.os_user:
        anno["creator"] = {"type": "Person", "nickname": h.os_user}
    return anno


def fragment_selectors(geom: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One RFC 8118 ``FragmentSelector`` per page of ``geom`` (see the module docstring)."""
    out: list[dict[str, Any]] = []
    for p in (geom or {}).get("pages", []):
        quads = p["quads"]
        left, top = min(q[0] for q in quads), min(q[1] for q in quads)
        width = max(q[2] for q in quads) - left
        height = max(q[3] for q in quads) - top
        view = ",".join(f"{v:g}" for v in (round(left, 2), round(top, 2), round(width, 2),
                                           round(height, 2)))
        out.append({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT,
                    "value": f"page={p['page']}&viewrect={view}",
                    "workbench:kind": geom["kind"] if geom else "text",
                    "workbench:quads": quads})
    return out


def _geometry(selectors: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``page_geometry`` from RFC 8118 fragment selectors: the exact quads when Workbench
    wrote them, else each ``viewrect`` as one quad (another tool's annotation)."""
    kind, pages = None, []
    for sel in selectors:
        value = str(sel.get("value", ""))
        params = dict(part.split("=", 1) for part in value.lstrip("#").split("&") if "=" in part)
        try:
            number = int(params["page"])
            quads = sel.get("workbench:quads")
            if not isinstance(quads, list):
                left, top, width, height = (float(v) for v in params["viewrect"].split(","))
                quads = [[left, top, left + width, top + height]]
        except (KeyError, ValueError, TypeError):
            continue
        kind = kind or sel.get("workbench:kind")
        pages.append({"page": number, "quads": quads})
    return geometry.valid({"kind": kind or "text", "pages": pages}) if pages else None


def _link_items(s: Session, rows: dict[int, Highlight],
                docs: dict[int, Document]) -> list[dict[str, Any]]:
    """The links between the given highlights as ``linking`` annotations (``links``): only
    links whose two ends are in the file, so every target resolves on import."""
    from .links import link_annotation, links_within

    aid = {h.id: annotation_id(docs[h.document_id].sha256, h) for h in rows.values()}
    return [link_annotation(link, aid[link.first_id], aid[link.second_id])
            for link in links_within(s, rows)]


def annotations_jsonld(library: Library, highlight_ids: Iterable[int],
                       redact: Redact | None = None, *,
                       include_creator: bool = True, links: bool = True) -> dict[str, Any]:
    """The given highlights as one W3C ``AnnotationCollection`` (a JSON-ready dict), followed
    by the links between them (``links``; never a link's private note).

    ``redact``, when given, is applied to every string taken from documents or typed by the
    user: quote, prefix, suffix, note, tag paths and capture URL; so a dossier bundle built
    from the result carries no redacted term. Ids that do not exist are skipped; the order of
    ``highlight_ids`` is kept.
    """
    ids = list(dict.fromkeys(int(i) for i in highlight_ids))
    items: list[dict[str, Any]] = []
    with library.read() as s:
        rows = {h.id: h for h in s.execute(
            select(Highlight).where(Highlight.id.in_(ids))).scalars()} if ids else {}
        doc_ids = {h.document_id for h in rows.values()}
        docs = {d.id: d for d in s.execute(
            select(Document).where(Document.id.in_(doc_ids))).scalars()} if doc_ids else {}
        recs = {c.document_id: c for c in s.execute(
            select(CollectionRecord).where(CollectionRecord.document_id.in_(doc_ids))
        ).scalars()} if doc_ids else {}
        tags = highlight_tag_paths(s, list(rows))
        for hid in ids:
            h = rows.get(hid)
            if h is None:
                continue
            items.append(annotation(h, docs[h.document_id], recs.get(h.document_id),
                                    tags[hid], redact, include_creator))
        if links:
            items += _link_items(s, rows, docs)
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": "Workbench highlights",
        "generator": {"type": "Software", "name": f"Workbench {__version__}"},
        "generated": _iso(datetime.now(UTC)),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


# --- reading back ---------------------------------------------------------------------------


@dataclass
class ParsedAnnotation:
    """What an imported annotation says, in plain values."""

    sha256: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    note: str = ""
    tags: list[str] = field(default_factory=list)
    color: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    creator: str | None = None
    id: str | None = None
    page_geometry: dict[str, Any] | None = None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]



def iter_annotations(data: Any) -> list[dict[str, Any]]:
    """The annotations inside a collection, a page, a single annotation or a list."""
    if isinstance(data, list):
        return [a for item in data for a in iter_annotations(item)]
    if not isinstance(data, dict):
        return []
    kinds = set(_as_list(data.get("type")))
    if "Annotation" in kinds:
        return [data]
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        out: list[dict[str, Any]] = []
        page = first if isinstance(first, dict) else None
        while page is not None:
            out += iter_annotations(page.get("items", []))
            nxt = page.get("next")
            page = nxt if isinstance(nxt, dict) else None
        return out
    if "AnnotationPage" in kinds:
        return iter_annotations(data.get("items", []))
    return []


def parse_annotation(anno: dict[str, Any]) -> ParsedAnnotation:
    targets = [t for t in _as_list(anno.get("target")) if isinstance(t, dict)]
    target = next((t for t in targets if str(t.get("source", "")).startswith(URN_SHA256)),
                  None)
    if target is None:
        raise UserError("An annotation has no target source of the form urn:sha256:<hash>",
                        "only annotations on documents identified by SHA-256 can be imported")
    pa = ParsedAnnotation(sha256=str(target["source"])[len(URN_SHA256):].lower(), exact="",
                          id=anno.get("id"))
    fragments = []
    for sel in _as_list(target.get("selector")):
        kind = sel.get("type") if isinstance(sel, dict) else None
        if kind == "FragmentSelector" and sel.get("conformsTo") == PDF_FRAGMENT:
            fragments.append(sel)
        elif kind == "TextQuoteSelector":
            pa.exact = str(sel.get("exact", ""))
            pa.prefix, pa.suffix = str(sel.get("prefix", "")), str(sel.get("suffix", ""))
        elif kind == "TextPositionSelector":
            try:
                pa.start, pa.end = int(sel["start"]), int(sel["end"])
            except (KeyError, TypeError, ValueError):
                pa.start = pa.end = None
    pa.page_geometry = _geometry(fragments)
    if not pa.exact and not geometry.is_region(pa.page_geometry):
        raise UserError("An annotation has no TextQuoteSelector",
                        "Workbench anchors imported highlights by their quote")
    for b in _as_list(anno.get("body")):
        if not isinstance(b, dict) or "value" not in b:
            continue
        purposes = set(_as_list(b.get("purpose")))
        if "tagging" in purposes:
            pa.tags.append(str(b["value"]))
        elif not pa.note:
            pa.note = str(b["value"])
    style = str(target.get("styleClass") or "")
    if style.startswith("wb-") and len(style) in (6, 9, 11):
        pa.color = "#" + style[3:]
    pa.created = parse_iso_utc(anno.get("created"))
    pa.modified = parse_iso_utc(anno.get("modified"))
    creator = anno.get("creator")
    if isinstance(creator, dict):
        pa.creator = creator.get("nickname") or creator.get("name")
    elif isinstance(creator, str):
        pa.creator = creator
    return pa
