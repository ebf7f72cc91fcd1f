"""The dossier as a BagIt bag (RFC 8493): PDF, originals, annotations, sources, audit events.

Layout (``data/`` is the payload)::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    data/dossier.pdf            the same PDF the pdf export writes
    data/sources.csl.json       every cited source as CSL-JSON (with its full SHA-256)
    data/annotations.jsonld     the excerpts' highlights as W3C Web Annotations
    data/audit-events.json      the library's audit events about this dossier, its documents
                                and highlights (redacted terms removed, OS user withheld)
    data/originals/<sha256>.<ext>   the original files, except those with redacted text
    data/exhibits/<label>-facsimile.pdf   each facsimile exhibit's pages, as in dossier.pdf
    data/README.txt             what is here, and which originals were left out and why
    bag-info.txt                also names each original left out (``Withheld-Original``)

With any redaction in the dossier an original goes in only when proven clean (default deny):
its document's text layers hold no redacted text anywhere, even outside the excerpts shown
(``DossierView.redacted_documents``), and no decoding of its bytes does either
(``workbench.redact.scan``); anything that cannot be fully decoded stays out, with a reason.

The bag is written by this module rather than ``bagit.make_bag``, which changes the process's
working directory while it runs (unsafe under the GUI's worker threads); the stock ``bagit``
validator accepts the result (tests check). A zip holds the bag under one top-level folder.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..blobs import file_digest
from ..dossier.citations import csl_json
from ..dossier.model import DossierView
from ..dossier.redaction import matcher_of, withheld_note
from ..redact.matcher import Matcher
from .facsimile_plan import FacsimilePlan
from .pdf import write_pdf

_EXT = {"application/pdf": "pdf", "text/html": "html", "text/plain": "txt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "message/rfc822": "eml", "image/png": "png", "image/jpeg": "jpg"}


REDACTED_REASON = "it contains text redacted from this dossier"


@dataclass(frozen=True)
class Withheld:
    """An original the bag leaves out: its hash, its (redacted) title and why."""

    sha256: str
    title: str
    reason: str


@dataclass
class BundleInputs:
    """What the bundle needs from the library, gathered by the caller as plain data."""

    originals: dict[str, Path]  # sha256 -> stored original
    annotations: dict[str, Any]
    audit_events: list[dict[str, Any]]
    excluded: list[str] = field(default_factory=list)


def _ext(media_type: str, filename: str | None) -> str:
    if media_type in _EXT:
        return _EXT[media_type]
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    return suffix if suffix.isalnum() and len(suffix) <= 8 else "bin"


def _redact_json(value: Any, view: DossierView) -> Any:
    if isinstance(value, str):
        return view.plain(value)
    if isinstance(value, dict):
        return {view.plain(str(k)): _redact_json(v, view) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(v, view) for v in value]
    return value


# Hashes of text (not of files) in audit details: with a redacted dossier, a recipient could
# confirm a guessed quote by hashing it, so they never leave the library.
_TEXT_HASHES = ("quote_sha256", "text_sha256", "context_sha256", "note_sha256")
# Details that are the library's own record and never leave it, redactions or not: a
# redaction's reason (its printed label stays; the export prints it anyway).
_PRIVATE = ("reason",)


def _drop_keys(value: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {k: _drop_keys(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_drop_keys(v, keys) for v in value]
    return value


def _is_redaction(ev: dict[str, Any]) -> bool:
    details = ev.get("details")
    return isinstance(details, dict) and details.get("action") in ("redact", "redact area")


def audit_events_for_export(events: list[dict[str, Any]], view: DossierView) -> list[Any]:
    """The audit events as a redacted dossier may carry them: redacted, without text hashes,
    without a redaction's private reason, and without the chain hash of any event whose
    details were changed for export (an event hash commits to its details, so it would let a
    recipient test a guess of what was cut); those events say ``"hash_withheld": true``.

    The reason is dropped even when the dossier has no redaction left: the event of a
    redaction since removed still holds it."""
    out: list[dict[str, Any]] = []
    withheld: set[str] = set()
    for ev in events:
        details = ev.get("details")
        if _is_redaction(ev):
            details = _drop_keys(details, _PRIVATE)
        if view.rules:
            details = _redact_json(_drop_keys(details, _TEXT_HASHES), view)
            row = {k: _redact_json(v, view) for k, v in ev.items() if k != "details"}
        else:
            row = {k: v for k, v in ev.items() if k != "details"}
        row["details"] = details
        if details != ev.get("details"):
            if ev.get("hash"):
                withheld.add(ev["hash"])
            row.pop("hash", None)
            row["hash_withheld"] = True
        out.append(row)
    for row in out:
        if row.get("prev_hash") in withheld:
            row.pop("prev_hash")
    return out


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _copy_originals(view: DossierView, inputs: BundleInputs, data: Path) -> list[Withheld]:
    """Copy the originals proven free of redacted text; return what was left out, and why."""
    matcher = matcher_of(view.rules)
    withheld: list[Withheld] = []
    folder = data / "originals"
    folder.mkdir()
    for src in view.sources:
        stored = inputs.originals.get(src.sha256)
        name = f"{src.sha256}.{_ext(src.media_type, src.filename)}"
        if src.document_id in view.redacted_documents:
            # Its text layer holds a redacted text (maybe outside every excerpt shown).
            reason = REDACTED_REASON
        elif stored is None or not stored.exists():
            reason = "it is missing from the library"
        else:
            unproven = unproven_reason(name, stored, matcher) if matcher else None
            if unproven is None:
                shutil.copyfile(stored, folder / name)
                continue
            reason = unproven
        inputs.excluded.append(src.sha256)
        withheld.append(Withheld(src.sha256, src.title, reason))
    return withheld


def unproven_reason(name: str, stored: Path, matcher: Matcher) -> str | None:
    """Why an original cannot go into a bag with redactions, or None once proven clean.

    Default deny: it goes in only when every decoding of its bytes has been searched and no
    term is in any; a redacted term found, or a part that could not be decoded (an image's
    pixels, a scanned page, an encrypted PDF) keeps it out."""
    from ..redact.scan import scan_bytes

    try:
        report = scan_bytes(name, stored.read_bytes(), matcher, first_only=True)
    except Exception as exc:  # a file we cannot read well enough to be sure stays out
        return f"it could not be read to check it for redacted text ({type(exc).__name__})"
    if report.findings:
        return "its file contains text redacted from this dossier"
    if report.unreadable:
        return ("it could not be fully checked for redacted text "
                f"({report.unreadable[0][2]})")
    return None


def _readme(view: DossierView, withheld: list[Withheld]) -> str:
    lines = [view.title, "", "Evidence bundle exported by Workbench.", "",
             "dossier.pdf: the dossier; sources.csl.json: cited sources (CSL-JSON);",
             "annotations.jsonld: the excerpts as W3C Web Annotations;",
             *(["exhibits/: each facsimile exhibit's pages (the source's own pages, stamped,",
                "redactions burnt in), as in dossier.pdf;"]
               if any(it.facsimile_shown for it in view.exhibits) else []),
             "audit-events.json: audit events about this dossier, its documents and highlights",
             "(redacted text removed; the recording user is withheld, so event hashes can be",
             "checked only against the originating library);",
             ("originals/: the original files, named by their SHA-256."
              if len(withheld) < len(view.sources) else
              "originals/: none included (see below)."), ""]
    if withheld:
        lines += ["Originals not included (each is still cited, with its full SHA-256, in",
                  "dossier.pdf and sources.csl.json, so a copy obtained elsewhere can be",
                  "checked against it):",
                  *(f"- {w.sha256} ({w.title}): left out because {w.reason}." for w in withheld)]
        if view.labels:
            lines.append(withheld_note(view.labels))
        lines.append("")
    lines.append("Check this bag with `workbench verify-bundle PATH` or any BagIt validator.")
    return "\n".join(lines) + "\n"


def _bag_files(root: Path, view: DossierView, withheld: list[Withheld]) -> None:
    files = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    manifest = "".join(f"{file_digest(p)}  {p.relative_to(root).as_posix()}\n" for p in files)
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                                    encoding="utf-8")
    info = [f"Bagging-Date: {datetime.now(UTC):%Y-%m-%d}",
            f"Payload-Oxum: {total}.{len(files)}",
            f"External-Description: {_one_line(view.title)}",
            f"External-Identifier: workbench-dossier-{view.id}-v{view.version}",
            f"Bag-Software-Agent: Workbench {__version__}"]
    if view.organisation:
        info.append(f"Source-Organization: {_one_line(view.organisation)}")
    if view.author:
        info.append(f"Contact-Name: {_one_line(view.author)}")
    # One line per original left out (hash and reason, never the redacted text), so a
    # recipient reading only the tag files learns the payload is knowingly incomplete.
    info += [f"Withheld-Original: {w.sha256} ({w.reason}; see data/README.txt)"
             for w in withheld]
    (root / "bag-info.txt").write_text("\n".join(info) + "\n", encoding="utf-8")
    (root / "manifest-sha256.txt").write_text(manifest, encoding="utf-8")
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
    (root / "tagmanifest-sha256.txt").write_text(
        "".join(f"{file_digest(root / t)}  {t}\n" for t in tags), encoding="utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_bag(view: DossierView, root: Path, inputs: BundleInputs,
              bates: str | None = None,
              facsimiles: dict[int, FacsimilePlan] | None = None) -> int:
    """Write the bag into the new folder ``root``; returns the number of payload files."""
    data = root / "data"
    data.mkdir(parents=True)
    keep = None
    if facsimiles:  # each exhibit's facsimile also on its own, as in dossier.pdf
        keep = data / "exhibits"
        keep.mkdir()
    write_pdf(view, data / "dossier.pdf", bates=bates, facsimiles=facsimiles, keep=keep)
    _write_json(data / "sources.csl.json", csl_json(view.sources))
    _write_json(data / "annotations.jsonld", _redact_json(inputs.annotations, view))
    _write_json(data / "audit-events.json", audit_events_for_export(inputs.audit_events, view))
    withheld = _copy_originals(view, inputs, data)
    (data / "README.txt").write_text(_readme(view, withheld), encoding="utf-8")
    _bag_files(root, view, withheld)
    return sum(1 for p in data.rglob("*") if p.is_file())


def zip_bag(root: Path, out: Path, name: str) -> None:
    """The bag folder as a zip whose single top-level folder is ``name``."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, f"{name}/{p.relative_to(root).as_posix()}")
