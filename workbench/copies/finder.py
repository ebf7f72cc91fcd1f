"""Signing documents and recording their copies: the one path import and ``find_copies`` share.

A document is signed from its latest text layer; the signature is kept in ``copy_signatures``
with that layer's id, so a new layer (an edit, a re-extraction, OCR) makes it stale and the
next ``find_copies`` signs it again. Candidates come from the library's ``Bands`` (built once
per open library from the stored signatures, then kept up to date), and a pair is kept when
its estimated Jaccard similarity is at least ``JACCARD`` or the smaller text lies almost whole
in the larger (``CONTAINED``: a report with a few paragraphs removed).

Pairs the user confirmed or rejected are never changed here: a rejected pair is not found
again, whatever the texts become.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Cancelled
from ..library import Library
from ..models import CopySignature, Document, DocumentCopy, TextLayer
from .signature import NUM_PERM, Signature, containment, jaccard, sign

if TYPE_CHECKING:
    from .bands import Bands

# Measured on the corpus (tests/core/test_copies.py): a PDF and a web capture of one article
# 1.00 (both readings give the same words); the article with 2 of 13 paragraphs cut and a
# sentence changed 0.66 (0.90 of it contained in the whole); different articles on the same
# subject, quoting the same report, 0.00-0.03, with a shared site header too.
JACCARD = 0.5
CONTAINED = 0.8  # of the smaller text's shingles in the larger...
MIN_JACCARD = 0.2  # ...when they still overlap this much (an excerpt is not a copy)
CHUNK = 200  # documents signed per transaction

FOUND, CONFIRMED, REJECTED = "found", "confirmed", "rejected"
STATUSES = (FOUND, CONFIRMED, REJECTED)

ProgressCb = Callable[[int, int], None]

_bands: weakref.WeakKeyDictionary[Library, Bands] = weakref.WeakKeyDictionary()
_bands_lock = threading.Lock()


def is_copy(j: float, a: int, b: int) -> bool:
    return j >= JACCARD or (j >= MIN_JACCARD and containment(j, a, b) >= CONTAINED)


def library_bands(library: Library) -> Bands:
    """The library's buckets, filled from the stored signatures on first use."""
    with _bands_lock:
        bands = _bands.get(library)
        if bands is None:
            bands = _load_bands(library)
            _bands[library] = bands
        return bands


def _load_bands(library: Library) -> Bands:
    import numpy as np

    from .bands import Bands

    with library.read() as s:
        rows = s.execute(select(CopySignature.document_id, CopySignature.minhash)
                         .where(CopySignature.shingles > 0)).all()
    rows = [r for r in rows if len(r[1]) == NUM_PERM * 4]
    if not rows:
        return Bands()
    values = np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(-1, NUM_PERM)
    return Bands.build([int(r[0]) for r in rows], values)


def stale_documents(s: Session) -> list[int]:
    """Documents with a text layer and no signature of their latest one."""
    latest = (select(TextLayer.document_id, func.max(TextLayer.id).label("layer"))
              .group_by(TextLayer.document_id).subquery())
    q = (select(latest.c.document_id).outerjoin(
        CopySignature, CopySignature.document_id == latest.c.document_id)
        .where(or_(CopySignature.layer_id.is_(None), CopySignature.layer_id != latest.c.layer))
        .order_by(latest.c.document_id))
    return [int(i) for i in s.execute(q).scalars()]


def find_copies(library: Library, doc_ids: Iterable[int] | None = None,
                progress: ProgressCb | None = None,
                cancel: Any = None) -> dict[str, Any]:
    """Sign ``doc_ids`` (None: every document lacking a signature of its latest text) and
    record their copies. Returns ``{"signed", "pairs", "document_ids"}`` (pairs found or
    dropped; the documents whose copies changed)."""
    library.require_writable()
    if doc_ids is None:
        with library.read() as s:
            targets = stale_documents(s)
    else:
        targets = sorted(set(doc_ids))
    bands = library_bands(library)
    signed = pairs = 0
    touched: set[int] = set()
    for n in range(0, len(targets), CHUNK):
        if cancel is not None and (cancel() if callable(cancel) else cancel.cancelled):
            raise Cancelled()
        if progress is not None:
            progress(n, len(targets))
        chunk = targets[n:n + CHUNK]
        done, changed = _sign_chunk(library, bands, chunk)
        signed += done
        pairs += len(changed)
        for a, b in changed:
            touched.update((a, b))
    if progress is not None:
        progress(len(targets), len(targets))
    return {"signed": signed, "pairs": pairs, "document_ids": sorted(touched)}


def _latest_layers(s: Session, ids: list[int]) -> list[tuple[int, int, str]]:
    latest = (select(func.max(TextLayer.id)).where(TextLayer.document_id.in_(ids))
              .group_by(TextLayer.document_id))
    return [(int(d), int(i), t) for d, i, t in s.execute(
        select(TextLayer.document_id, TextLayer.id, TextLayer.text)
        .where(TextLayer.id.in_(latest)))]


def _sign_chunk(library: Library, bands: Bands,
                ids: list[int]) -> tuple[int, list[tuple[int, int]]]:
    with library.read() as s:
        layers = _latest_layers(s, ids)
    sigs = {doc: (layer, sign(text)) for doc, layer, text in layers}
    added: list[tuple[int, Signature]] = []
    with library.transaction() as s:
        for doc, (layer, sig) in sigs.items():
            row = s.get(CopySignature, doc)
            if row is None:
                row = CopySignature(document_id=doc)
                s.add(row)
            row.layer_id, row.num_perm, row.shingles = layer, NUM_PERM, sig.shingles
            row.minhash = sig.to_bytes()
            if sig.shingles:
                added.append((doc, sig))
        s.flush()
        for doc, sig in added:  # this chunk's documents find each other too
            bands.add(doc, sig.values)
        changed = _record_pairs(s, bands, sigs)
        if changed["found"] or changed["dropped"]:
            audit.record(s, audit.MODIFICATION, "document_copy", None, {
                "operation": "found copies", "found": changed["found"],
                "dropped": changed["dropped"]})
    pairs = [(a, b) for a, b, *_ in changed["found"]] + [tuple(p) for p in changed["dropped"]]
    return len(sigs), [(int(a), int(b)) for a, b in pairs]


def _record_pairs(s: Session, bands: Bands,
                  sigs: dict[int, tuple[int, Signature]]) -> dict[str, list[Any]]:
    found: list[list[Any]] = []
    dropped: list[list[int]] = []
    for doc, (_layer, sig) in sigs.items():
        keep: dict[tuple[int, int], float] = {}
        if sig.shingles:
            others = sorted(bands.candidates(sig.values) - {doc})
            for other_id, other in _stored(s, others):
                j = jaccard(sig, other)
                if is_copy(j, sig.shingles, other.shingles):
                    keep[(min(doc, other_id), max(doc, other_id))] = round(j, 3)
        existing = s.execute(select(DocumentCopy).where(
            or_(DocumentCopy.first_id == doc, DocumentCopy.second_id == doc))).scalars().all()
        for row in existing:
            key = (row.first_id, row.second_id)
            if key in keep:
                if row.status == FOUND:
                    row.similarity = keep[key]
                del keep[key]
            elif row.status == FOUND:  # the texts no longer look alike
                dropped.append([row.first_id, row.second_id])
                s.delete(row)
        for (a, b), j in keep.items():
            s.add(DocumentCopy(first_id=a, second_id=b, similarity=j, status=FOUND))
            found.append([a, b, j])
        s.flush()
    return {"found": found, "dropped": dropped}


def _stored(s: Session, ids: list[int]) -> list[tuple[int, Signature]]:
    if not ids:
        return []
    rows = s.execute(select(CopySignature.document_id, CopySignature.minhash,
                            CopySignature.shingles)
                     .where(CopySignature.document_id.in_(ids), CopySignature.shingles > 0)
                     .join(Document, Document.id == CopySignature.document_id)).all()
    return [(int(d), Signature.from_bytes(m, int(n))) for d, m, n in rows]

