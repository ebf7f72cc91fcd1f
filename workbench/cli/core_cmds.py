"""Library commands: init, import, list, show, edit, delete, collections, verify, audit, gui."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import records
from ..extract import Limits
from ..ingest import ImportOptions, Progress
from ..ingest_types import NOT_ATTEMPTED
from ..library import Library
from ..services import Workbench
from .common import EXIT_SOME_FAILED, Result, command, one_line, safe, table

EDIT_OPTIONS = [  # (field, metavar, help) of `workbench edit`, in records.FIELDS order
    ("title", "TEXT", "the title (cannot be empty)"),
    ("author", "TEXT", "the author; empty clears it"),
    ("published", "DATE", "publication date: YYYY, YYYY-MM or YYYY-MM-DD; empty clears it"),
    ("source_url", "URL", "where the document was published (http or https); the captured "
                          "one stays in the collection record"),
    ("site", "TEXT", "the site or publisher; empty clears it"),
    ("language", "CODE", "language code such as en, zh, ar, ug (en-GB is stored as en)"),
]


def register(sub: Any) -> None:
    p = command(sub, "init", cmd_init, "create a library (or confirm an existing one)",
                needs_library=False)

    p = command(sub, "import", cmd_import, "import files and folders (folders recurse)",
                writes=True)
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or folders; put `--` before names that start with a dash")
    p.add_argument("--collection", metavar="NAME", help="add the documents to this collection")
    p.add_argument("--source-url", metavar="URL", help="where the files were collected from")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="time limit per file (default 60)")
    p.add_argument("--memory", type=int, default=1024, metavar="MIB",
                   help="memory limit per extraction in MiB (default 1024)")
    p.add_argument("--ocr-languages", metavar="LANGS",
                   help="Tesseract languages for this import, e.g. eng+chi_sim "
                        "(default: auto, each page read in its own script)")

    p = command(sub, "list", cmd_list, "list documents")
    p.add_argument("--collection", metavar="NAME")
    p.add_argument("--limit", type=int)

    p = command(sub, "show", cmd_show, "show a document's metadata, provenance and text")
    p.add_argument("doc", metavar="DOC", help="document id or unique SHA-256 prefix")
    p.add_argument("--text", action="store_true", help="include the text")
    p.add_argument("--page", type=int, metavar="N", help="only page N of the text")

    p = command(sub, "edit", cmd_edit,
                "correct a document's record (the captured values are kept)", writes=True)
    p.add_argument("doc", metavar="DOC", help="document id or unique SHA-256 prefix")
    for name, meta, what in EDIT_OPTIONS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=meta, help=what)
    p.add_argument("--revert", action="append", default=[], metavar="FIELD",
                   type=lambda v: v.strip().replace("-", "_"),
                   help="put FIELD back as captured (repeatable): "
                        + ", ".join(f.replace("_", "-") for f in records.FIELDS))

    p = command(sub, "delete", cmd_delete, "delete a document and its original", writes=True)
    p.add_argument("doc", metavar="DOC")

    p = command(sub, "collections", cmd_collections, "list collections, or add documents to one",
                writes=True)
    p.add_argument("--add", nargs="+", metavar="DOC", help="documents to add")
    p.add_argument("--to", metavar="NAME", help="the collection to add them to")

    command(sub, "verify", cmd_verify,
            "re-hash originals, check the audit chain and the database", writes=True)

    p = command(sub, "audit", cmd_audit, "list audit events")
    p.add_argument("--object-type", metavar="TYPE")
    p.add_argument("--object-id", metavar="ID")
    p.add_argument("--limit", type=int)

    p = command(sub, "gui", cmd_gui, "open the desktop app", needs_library=False)
    # `workbench gui --library PATH` as well as `workbench --library PATH gui`; SUPPRESS keeps
    # the sub-command from resetting a --library given before it.
    p.add_argument("--library", metavar="PATH", default=argparse.SUPPRESS,
                   help="library folder (default: the per-user library, created on first run)")


def cmd_init(args: argparse.Namespace) -> Result:
    from . import library_path

    path = library_path(args)
    with Library.create(path) as lib:
        payload = {"library": str(lib.path)}
    return Result(payload, f"Library ready at {safe(path)}")


def cmd_import(wb: Workbench, args: argparse.Namespace) -> Result:
    options = ImportOptions(
        collection=args.collection, source_url=args.source_url,
        ocr_languages=args.ocr_languages,
        limits=Limits(timeout=args.timeout, memory=args.memory * 1024 * 1024),
    )
    show = sys.stderr.isatty()
    report, _ = wb.import_paths([Path(p) for p in args.paths], options,
                                progress=_terminal_progress() if show else None)
    if show:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
    payload = report.to_json()
    # The GUI's summary line, from the same counts (``payload["counts"]``).
    lines = [" · ".join(report.headline())]
    for o in payload["imported"]:
        extra = f" — {'; '.join(o['problems'])}" if o["problems"] else ""
        lines.append(f"  + [{o['id']}] {one_line(o['path'])}: {o['status']}{one_line(extra)}")
    for o in payload["duplicates"]:
        lines.append(f"  = {one_line(o['path'])}: duplicate of document {o['id']}")
    # Files a stopped batch did not try are one line, not one each (there may be thousands).
    skipped = [o for o in payload["failed"] if o["status"] == NOT_ATTEMPTED]
    errors = [f"workbench: {one_line(o['path'])}: {o['status']}: {one_line(o['error'])}"
              for o in payload["failed"] if o["status"] != NOT_ATTEMPTED]
    if payload["stopped"]:
        errors.append(f"workbench: import stopped: {one_line(payload['stopped'])}"
                      + (f"; {len(skipped)} more files not attempted" if skipped else ""))
    return Result(payload, "\n".join(lines), EXIT_SOME_FAILED if payload["failed"] else 0,
                  stderr=errors)


def _terminal_progress() -> Callable[[Progress], None]:
    """A one-line progress display on an interactive terminal (never in scripts or logs)."""
    def show(p: Progress) -> None:
        name = one_line(Path(p.current).name)[:50]
        # Checking counts every file given, importing the plan's files to import; items
        # found inside a file show their name with the files' count. Cleared at the end.
        if p.stage == "plan":
            count = f"checking {min(p.done + 1, p.total)}/{p.total}"
        else:
            count = f"imported {p.imported}/{p.total}" + (f", {p.failed} failed"
                                                          if p.failed else "")
        sys.stderr.write(f"\r\x1b[K{count} {name}")
        sys.stderr.flush()
    return show


def cmd_list(wb: Workbench, args: argparse.Namespace) -> Result:
    docs = wb.list_documents(collection=args.collection, limit=args.limit)
    payload = [{k: d[k] for k in ("id", "title", "kind", "pages", "sha256", "imported_at")}
               for d in docs]
    text = table([[d["id"], d["title"], d["kind"], d["pages"], d["sha256"][:12],
                   d["imported_at"]] for d in payload],
                 ["ID", "TITLE", "KIND", "PAGES", "SHA256", "IMPORTED"])
    return Result(payload, text)


def cmd_show(wb: Workbench, args: argparse.Namespace) -> Result:
    info = wb.show_document(args.doc)
    if args.text or args.page:
        t = wb.document_text(info["id"])
        info["text"] = t.page_text(args.page) if args.page else t.text
        info["page_ranges"] = [{"page": n, "start": s, "end": e} for n, s, e in t.pages]
    rec = info["collection_record"] or {}
    lines = [f"[{info['id']}] {one_line(info['title'])}",
             f"kind: {info['kind']}  pages: {info['pages']}  status: {info['status']}",
             f"sha256: {info['sha256']}",
             f"file: {one_line(info['original_filename'])}  size: {info['size']}"]
    for key in ("source_url", "final_url", "captured_at", "imported_at", "original_path"):
        if rec.get(key):
            lines.append(f"{key}: {one_line(rec[key])}")
    lines += ["corrected " + line for line in _record_lines(wb.document_record(info["id"]))]
    if info["problems"]:
        lines.append("problems: " + one_line("; ".join(info["problems"])))
    for layer in info["text_layers"]:
        lines.append(f"text layer v{layer['version']}: {layer['extractor']} "
                     f"{layer['extractor_version']} ({layer['characters']} characters)")
        if layer.get("ocr") is not None:
            lines.append("  OCR: " + _ocr_line(layer["languages"], layer["ocr"]))
    if "text" in info:
        lines += ["", safe(info["text"])]
    return Result(info, "\n".join(lines))


def _ocr_line(languages: str | None, ocr: dict[str, Any]) -> str:
    """An OCR layer's languages, how they were chosen and its mean word confidence: what a
    reader needs to judge the text (a low confidence usually means the wrong language)."""
    parts = [one_line(languages or "(languages not recorded)")]
    if ocr.get("confidence") is not None:
        parts.append(f"confidence {ocr['confidence']} %")
    if ocr.get("languages_chosen"):
        parts.append(f"chosen: {one_line(ocr['languages_chosen'])}")
    return "; ".join(parts)


def cmd_edit(wb: Workbench, args: argparse.Namespace) -> Result:
    fields = {name: getattr(args, name) for name, _, _ in EDIT_OPTIONS
              if getattr(args, name) is not None}
    if not fields and not args.revert:
        from ..errors import UserError

        raise UserError("Nothing to edit", "give --title, --author, --published, --source-url, "
                        "--site, --language or --revert FIELD")
    doc_id = wb.resolve(args.doc)
    before = wb.document_record(doc_id)
    wb.edit_document(doc_id, revert=args.revert, **fields)
    record = wb.document_record(doc_id)
    changed = [f.name for f in record.fields if f.value != before.value(f.name)]
    payload = {"id": doc_id,
               **{name: record.value(name) for name in [*fields, *args.revert]},
               "changed": changed, "record": record.to_json()}
    lines = [f"Updated document {doc_id}: {', '.join(changed)}" if changed
             else f"Document {doc_id}: nothing changed"]
    lines += _record_lines(record)
    return Result(payload, "\n".join(lines))


def _record_lines(record: records.Record) -> list[str]:
    """One line per corrected field: the value now, then the value as captured."""
    return [f"{f.name}: {one_line(f.value or '(none)')} (captured: "
            f"{one_line(f.captured or '(none)')})" for f in record.corrections]


def cmd_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    doc_id = wb.resolve(args.doc)
    wb.delete_document(doc_id)
    return Result({"deleted": doc_id}, f"Deleted document {doc_id}")


def cmd_collections(wb: Workbench, args: argparse.Namespace) -> Result:
    if args.add:
        if not args.to:
            from ..errors import UserError

            raise UserError("--add needs --to NAME")
        wb.add_to_collection(args.add, args.to)
    cols = wb.list_collections()
    return Result(cols, table([[c["id"], c["name"], c["documents"]] for c in cols],
                              ["ID", "NAME", "DOCUMENTS"]))


def cmd_verify(wb: Workbench, args: argparse.Namespace) -> Result:
    result = wb.verify()
    lines = [f"checked {result['documents_checked']} originals and "
             f"{result['audit_events_checked']} audit events"]
    for p in result["problems"]:
        subject = (f"document {p['document_id']}" if p["kind"] == "original"
                   else f"audit event {p['event_id']}" if p["kind"] == "audit" else "database")
        lines.append(f"PROBLEM {subject}: {p['problem']}")
    if result["ok"]:
        lines.append("all good")
    return Result(result, "\n".join(lines), 0 if result["ok"] else EXIT_SOME_FAILED)


def cmd_audit(wb: Workbench, args: argparse.Namespace) -> Result:
    events = wb.audit_events(object_type=args.object_type, object_id=args.object_id,
                             limit=args.limit)
    text = table([[e["id"], e["at"], e["actor"], e["type"], e["object_type"], e["object_id"]]
                  for e in events], ["ID", "AT", "ACTOR", "TYPE", "OBJECT", "OBJECT ID"])
    return Result(events, text)


def cmd_gui(args: argparse.Namespace) -> Result:
    from . import library_path

    try:
        from ui.app import run_app
    except ImportError as exc:
        from ..errors import WorkbenchError

        raise WorkbenchError(f"The desktop app is not available ({exc})",
                             "install Workbench with its GUI dependencies") from exc
    code = run_app(library_path(args) if args.library else None)
    return Result({"exit_code": code}, "", code)
