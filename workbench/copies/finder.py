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

import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Cancelled, WorkbenchError
from ..library import Library
from ..models import CopySignature, DocumentCopy, TextLayer, utcnow
from ..store import upsert
from .service import FOUND
from .signature import NUM_PERM, Signature, containment, jaccard, sign

log = logging.getLogger(__name__)

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


ProgressCb = Callable[[int, int], None]
# A document's text-layer id, that layer's text hash and its text's signature (an import's
# workers shingle what they read, the importing process signs it as each file is saved:
# ``FileOutcome.signing``).
Presigned = Mapping[int, tuple[int, str, Signature]]

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
                cancel: Any = None, presigned: Presigned | None = None) -> dict[str, Any]:
    """Sign ``doc_ids`` (None: every document lacking a signature of its latest text) and
    record their copies. Returns ``{"signed", "pairs", "document_ids"}`` (pairs found or
    dropped; the documents whose copies changed). A document in ``presigned`` whose latest
    layer is the one named there, its text unchanged, keeps the signature given, its text
    not read."""
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
        done, changed = _sign_chunk(library, bands, chunk, presigned or {})
        signed += done
        pairs += len(changed)
        for a, b in changed:
            touched.update((a, b))
    if progress is not None:
        progress(len(targets), len(targets))
    return {"signed": signed, "pairs": pairs, "document_ids": sorted(touched)}


def _signatures(library: Library, ids: list[int],
                presigned: Presigned) -> dict[int, tuple[int, Signature]]:
    """Each document's latest layer id and the signature of its text; texts are read one at
    a time, so a chunk of long texts is never held in memory at once."""
    latest = (select(func.max(TextLayer.id)).where(TextLayer.document_id.in_(ids))
              .group_by(TextLayer.document_id))
    out: dict[int, tuple[int, Signature]] = {}
    with library.read() as s:
        layers = s.execute(select(TextLayer.document_id, TextLayer.id, TextLayer.text_sha256)
                           .where(TextLayer.id.in_(latest))).all()
        for doc, layer, sha in layers:
            given = presigned.get(int(doc))
            if given is not None and given[:2] == (layer, sha):
                out[int(doc)] = (int(layer), given[2])
                continue
            text = s.execute(select(TextLayer.text).where(TextLayer.id == layer)).scalar_one()
            out[int(doc)] = (int(layer), sign(text))
    return out


def _sign_chunk(library: Library, bands: Bands, ids: list[int],
                presigned: Presigned) -> tuple[int, list[tuple[int, int]]]:
    sigs = _signatures(library, ids, presigned)
    if not sigs:
        return 0, []
    with library.transaction() as s:
        # One statement for the chunk: a query and a flush per document cost more than
        # signing it (measured: 15 ms a document against 4 for the signature).
        upsert(s.connection(), CopySignature,
               [{"document_id": doc, "layer_id": layer, "num_perm": NUM_PERM,
                 "shingles": sig.shingles, "minhash": sig.to_bytes()}
                for doc, (layer, sig) in sigs.items()], key=["document_id"])
        for doc, (_layer, sig) in sigs.items():  # this chunk's documents find each other too
            if sig.shingles:
                bands.add(doc, sig.values)
        changed = _record_pairs(s, bands, {d: sig for d, (_l, sig) in sigs.items()})
        if changed["found"] or changed["dropped"]:
            audit.record(s, audit.MODIFICATION, "document_copy", None, {
                "operation": "found copies", "found": changed["found"],
                "dropped": changed["dropped"]})
    pairs = [(a, b) for a, b, *_ in changed["found"]] + [tuple(p) for p in changed["dropped"]]
    return len(sigs), [(int(a), int(b)) for a, b in pairs]


def _record_pairs(s: Session, bands: Bands,
                  sigs: dict[int, Signature]) -> dict[str, list[Any]]:
    """Pairs of ``sigs``' documents with their copies, against those already recorded: new
    ones added, found ones that no longer hold dropped, the user's word kept."""
    candidates = {doc: bands.candidates(sig.values) - {doc}
                  for doc, sig in sigs.items() if sig.shingles}
    stored = _stored(s, sorted(set().union(*candidates.values()))) if candidates else {}
    keep: dict[tuple[int, int], float] = {}
    for doc, others in candidates.items():
        sig = sigs[doc]
        for other_id in others:
            other = stored.get(other_id)
            if other is None:  # deleted, or not signed yet: found when it is
                continue
            j = jaccard(sig, other)
            if is_copy(j, sig.shingles, other.shingles):
                keep[(min(doc, other_id), max(doc, other_id))] = round(j, 3)
    docs = list(sigs)
    existing = s.execute(select(DocumentCopy).where(
        or_(DocumentCopy.first_id.in_(docs), DocumentCopy.second_id.in_(docs)))).scalars().all()
    dropped: list[list[int]] = []
    for row in existing:
        key = (row.first_id, row.second_id)
        if key in keep:
            if row.status == FOUND and row.similarity != keep[key]:
                row.similarity = keep[key]
            del keep[key]
        elif row.status == FOUND:  # the texts no longer look alike
            dropped.append([row.first_id, row.second_id])
            s.delete(row)
    s.flush()
    found = [[a, b, j] for (a, b), j in sorted(keep.items())]
    if found:
        s.connection().execute(insert(DocumentCopy), [
            {"first_id": a, "second_id": b, "similarity": j, "status": FOUND,
             "found_at": utcnow()} for a, b, j in found])
    return {"found": found, "dropped": dropped}


def _stored(s: Session, ids: list[int]) -> dict[int, Signature]:
    """The stored signatures of ``ids`` (those too short to have copies left out)."""
    out: dict[int, Signature] = {}
    for n in range(0, len(ids), 500):
        rows = s.execute(select(CopySignature.document_id, CopySignature.minhash,
                                CopySignature.shingles)
                         .where(CopySignature.document_id.in_(ids[n:n + 500]),
                                CopySignature.shingles > 0)).all()
        out.update((int(d), Signature.from_bytes(m, int(k))) for d, m, k in rows)
    return out


def find_copies_of(library: Library, ids: list[int],
                   presigned: Presigned | None = None) -> bool:
    """Find the other copies of documents whose text was just committed (an import, a new
    text layer); whether any pair was found or dropped. A failure here never fails what
    came before: the documents stay unsigned and the next ``find_copies`` (``workbench
    copies --scan``) signs them."""
    if not ids:
        return False
    try:
        return bool(find_copies(library, ids, presigned=presigned)["pairs"])
    except Exception as exc:  # a full disk, a read-only folder: one line, not a traceback
        reason = (exc.message if isinstance(exc, WorkbenchError)
                  else f"{type(exc).__name__}: {exc}")
        log.warning("other copies of %d document%s not looked for (%s); `workbench copies "
                    "--scan` looks for them later", len(ids), "" if len(ids) == 1 else "s",
                    reason)
        log.debug("finding copies failed", exc_info=True)
        return False
