"""Dossier exports, one module per output format, behind ``run_export``.

``run_export`` is the one path every format takes: refuse bad input before writing anything,
write to a temporary name in the destination folder, leak-check what was written, then rename
it into place and hash it. On any failure (leak, full disk, cancel, crash) the temporary output
is deleted, so the user never finds a partial or leaking file.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from ..audit import event_dict
from ..blobs import file_digest
from ..dossier.model import DossierView
from ..errors import ExportError
from ..export_destination import check_destination
from ..library import Library
from ..models import AuditEvent
from .common import (
    ExportResult,
    Progress,
    check_cancel,
    os_error,
    place,
    remove,
    temp_sibling,
)
from .facsimile_plan import FacsimilePlan, plan_facsimiles

FORMATS = ("pdf", "docx", "html", "bundle")


def validate(view: DossierView, fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}", f"choose one of {', '.join(FORMATS)}")
    if not view.items:
        raise ExportError(f"Dossier {view.id} is empty; there is nothing to export",
                          "add highlights, documents or notes first")
    for it in view.missing:
        where = it.label or f"item {it.id}"
        raise ExportError(f"Cannot export dossier {view.id}: {where} cannot be shown because "
                          f"{it.missing}",
                          f"remove it with `workbench dossier remove {view.id} {it.id}`")


def bundle_inputs(library: Library, view: DossierView, held: ExitStack) -> Any:
    """The bundle's inputs; the originals' plaintext paths stay valid while ``held`` is open
    (an encrypted library's are decrypted into memory for the export's duration)."""
    from ..annotate.w3c import annotations_jsonld
    from .bundle import BundleInputs

    doc_ids = {str(s.document_id) for s in view.sources}
    hl_ids = [it.highlight_id for it in view.exhibits if it.highlight_id]
    with library.read() as s:
        events = s.execute(select(AuditEvent).where(or_(
            (AuditEvent.object_type == "dossier") & (AuditEvent.object_id == str(view.id)),
            (AuditEvent.object_type == "document") & AuditEvent.object_id.in_(doc_ids),
            (AuditEvent.object_type == "highlight")
            & AuditEvent.object_id.in_([str(h) for h in hl_ids]),
        )).order_by(AuditEvent.id)).scalars().all()
        rows = [{**event_dict(e), "actor": "withheld", "author": "withheld"} for e in events]
    return BundleInputs(
        originals={s.sha256: held.enter_context(library.originals.materialize(s.sha256))
                   for s in view.sources if library.originals.exists(s.sha256)},
        annotations=annotations_jsonld(library, hl_ids, redact=view.plain, include_creator=False),
        audit_events=rows)


def _write(library: Library, view: DossierView, fmt: str, tmp: Path, out: Path,
           bates: str | None) -> tuple[int, list[str]]:
    """Write ``fmt`` to ``tmp``; returns (file count, originals left out)."""
    if fmt == "html":  # a web page carries no facsimile pages
        from .html import render

        tmp.write_text(render(view), encoding="utf-8")
        return 1, []
    with ExitStack() as held:
        # Web pages, e-mails and DOCX laid out as PDF for their facsimiles: unredacted, so
        # in a temporary folder (in memory while an encrypted library is open), never kept.
        scratch = Path(held.enter_context(tempfile.TemporaryDirectory(
            prefix="workbench-captures-")))
        plans = plan_facsimiles(library, view, held, scratch)
        if fmt == "pdf":
            from .pdf import write_pdf

            # Called as before when there is no facsimile (tests stand in for the writers).
            if plans:
                write_pdf(view, tmp, bates=bates, facsimiles=plans)
            else:
                write_pdf(view, tmp, bates=bates)
        elif fmt == "docx":
            from .docx import write_docx

            if plans:
                write_docx(view, tmp, facsimiles=plans)
            else:
                write_docx(view, tmp)
        else:
            return _write_bundle(view, tmp, out, bundle_inputs(library, view, held), bates,
                                 plans)
    return 1, []


def _write_bundle(view: DossierView, tmp: Path, out: Path, inputs: Any, bates: str | None,
                  plans: dict[int, FacsimilePlan]) -> tuple[int, list[str]]:
    from .bundle import write_bag, zip_bag

    if out.suffix.lower() == ".zip":
        folder = temp_sibling(out)
        try:
            files = write_bag(view, folder, inputs, bates, plans)
            zip_bag(folder, tmp, out.stem)
        finally:
            remove(folder)
    else:
        files = write_bag(view, tmp, inputs, bates, plans)
    return files, inputs.excluded


def run_export(library: Library, view: DossierView, fmt: str, out: Path,
               bates: str | None = None, progress: Progress | None = None,
               cancel: Any = None) -> ExportResult:
    from ..dossier.redaction import matcher_of
    from ..redact.pypdf_text import reading_ahead
    from .leakcheck import check_file

    fmt = fmt.lower()
    if fmt in ("pdf", "bundle"):  # WeasyPrint cannot even be imported without Pango
        from ..system_tools import require

        require("pango", "write the dossier as PDF" if fmt == "pdf" else
                "write the dossier as a bundle (it carries the dossier's PDF)")
    validate(view, fmt)
    out = check_destination(out, library)
    matcher = matcher_of(view.rules)
    if matcher.find_in_readings(out.name):
        raise ExportError("The output file name contains redacted text",
                          "choose a name that does not identify what was redacted")
    if bates and matcher.find_in_readings(bates):
        raise ExportError("The Bates prefix contains redacted text; it would be printed on "
                          "every page", "choose a prefix that does not identify what was "
                          "redacted, e.g. --bates WB")

    def say(done: int, stage: str) -> None:
        if progress is not None:
            from ..progress import Progress as Step

            progress(Step(done, 3, out.name, stage))

    tmp = temp_sibling(out)
    try:
        check_cancel(cancel)
        say(0, f"writing {fmt}")
        # A PDF's leak check may start its page-text workers while the PDF is joined.
        with reading_ahead() if matcher and fmt in ("pdf", "bundle") else nullcontext():
            files, excluded = _write(library, view, fmt, tmp, out, bates)
            check_cancel(cancel)
            say(1, "checking the export for redacted text")
            checks = check_file(tmp, view.rules, fmt, dossier=view.id,
                                facsimiles=any(it.facsimile for it in view.items))
        digest_of = tmp / "tagmanifest-sha256.txt" if tmp.is_dir() else tmp
        digest = file_digest(digest_of)
        size = (sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
                if tmp.is_dir() else tmp.stat().st_size)
        place(tmp, out)
    except OSError as exc:
        remove(tmp)
        raise os_error(exc, out) from exc
    except BaseException:  # leak, cancel, crash: never leave the temporary output behind
        remove(tmp)
        raise
    say(3, "done")
    return ExportResult(fmt, out, digest, size, files, excluded, checks)
