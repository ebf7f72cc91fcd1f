"""Library commands: init, import, list, show, edit, delete, collections, verify, gc, audit,
gui."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import records
from . import argtypes
from .common import EXIT_SOME_FAILED, Result, command, not_recorded, one_line, safe, table

if TYPE_CHECKING:  # the import pipeline and the facade load when a command runs
    from ..extract import Limits
    from ..fast_read import FastReader
    from ..progress import Progress
    from ..services import Workbench

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
    p.add_argument("--encrypt", action="store_true",
                   help="encrypt the new library with a passphrase (asked twice)")
    p.add_argument("--database", metavar="URL",
                   help="make a shared library on this PostgreSQL database "
                        "(postgresql://USER@HOST/DB, no password); --library is its marker")
    p.add_argument("--store", metavar="PATH", type=argtypes.path,
                   help="with --database: the shared folder for the originals")
    p.add_argument("--name", metavar="NAME", help="with --database: the shared library's name")

    p = command(sub, "import", cmd_import, "import files and folders (folders recurse)",
                writes=True, before_open=start_import_workers)
    p.add_argument("paths", nargs="+", metavar="PATH", type=argtypes.path,
                   help="files or folders; put `--` before names that start with a dash")
    p.add_argument("--collection", metavar="NAME", help="add the documents to this collection")
    p.add_argument("--source-url", metavar="URL", help="where the files were collected from")
    p.add_argument("--timeout", type=argtypes.seconds, default=60.0, metavar="SECONDS",
                   help="time limit per file (default 60)")
    p.add_argument("--memory", type=argtypes.mebibytes, default=1024, metavar="MIB",
                   help=f"memory limit per extraction in MiB (default 1024, at least "
                        f"{argtypes.MIN_MEMORY_MIB})")
    p.add_argument("--ocr-languages", metavar="LANGS",
                   help="Tesseract languages for this import, e.g. eng+chi_sim "
                        "(default: auto, each page read in its own script)")
    p.add_argument("--follow-links", action="store_true",
                   help="in folders, also import what symbolic links point to outside the "
                        "folder (by default such links are reported and skipped)")

    p = command(sub, "list", cmd_list, "list documents", fast_read=True)
    p.add_argument("--collection", metavar="NAME")
    p.add_argument("--limit", type=argtypes.count, metavar="N")
    p.add_argument("--failed-redactions", action="store_true",
                   help="only PDFs where the import found text under a box drawn over it "
                        "(see `workbench xray DOC`)")

    p = command(sub, "show", cmd_show, "show a document's metadata, provenance and text",
                fast_read=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    p.add_argument("--text", action="store_true", help="include the text")
    p.add_argument("--page", type=argtypes.page, metavar="N",
                   help="only page N of the text (from 1)")

    p = command(sub, "original", cmd_original,
                "save a document's original bytes to a file, checked against its SHA-256",
                writes=True, read_only_ok=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    p.add_argument("-o", "--output", required=True, metavar="FILE", type=argtypes.path,
                   help="where to write it (not inside an encrypted library's folder)")

    p = command(sub, "edit", cmd_edit,
                "correct a document's record (the captured values are kept)", writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    for name, meta, what in EDIT_OPTIONS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=meta, help=what,
                       type=argtypes.date if meta == "DATE" else str)
    p.add_argument("--revert", action="append", default=[], metavar="FIELD",
                   type=lambda v: v.strip().replace("-", "_"),
                   help="put FIELD back as captured (repeatable): "
                        + ", ".join(f.replace("_", "-") for f in records.FIELDS))

    p = command(sub, "delete", cmd_delete, "delete a document and its original", writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref)

    p = command(sub, "collections", cmd_collections,
                "list collections; add documents to one, take them out, or rename it",
                writes=True)
    change = p.add_mutually_exclusive_group()
    change.add_argument("--add", nargs="+", metavar="DOC", type=argtypes.document_ref,
                        help="documents to add (with --to)")
    change.add_argument("--remove", nargs="+", metavar="DOC", type=argtypes.document_ref,
                        help="documents to take out (with --from); they stay in the library")
    change.add_argument("--rename", metavar="NAME", help="a collection to rename (with --to)")
    p.add_argument("--to", metavar="NAME",
                   help="the collection to add them to, or the new name")
    p.add_argument("--from", dest="from_", metavar="NAME",
                   help="the collection to take them out of")
    argtypes.add_expected_version(p)

    p = command(sub, "verify", cmd_verify,
                "re-hash originals and text, check the audit chain and the database",
                writes=True, read_only_ok=True, before_open=_not_a_bundle)
    p.set_defaults(on_damaged=verify_damaged)  # see cli.run: verify salvages, never refuses
    # A file given here is most likely an exported bundle: said before any library opens.
    p.add_argument("file", nargs="?", help=argparse.SUPPRESS)

    p = command(sub, "gc", cmd_gc, "remove stray originals left by an interrupted import "
                "(or import them with --adopt)", writes=True)
    p.add_argument("--adopt", action="store_true",
                   help="import each stray original as a document instead of removing it")

    p = command(sub, "audit", cmd_audit, "list audit events")
    p.add_argument("--object-type", metavar="TYPE")
    p.add_argument("--object-id", metavar="ID")
    p.add_argument("--limit", type=argtypes.count, metavar="N")
    from .history_cmds import add_filters

    add_filters(p)

    # `workbench gui --library PATH` as well as `workbench --library PATH gui`, as every command
    # (cli/common.py); without one, the per-user library, created on first run.
    p = command(sub, "gui", cmd_gui, "open the desktop app", needs_library=False)
    p.add_argument("paths", nargs="*", metavar="PATH", type=argtypes.path,
                   help="files to import (after a question naming them and the library), "
                        "dossier bundles to verify, or a library folder to open")


def cmd_init(args: argparse.Namespace) -> Result:
    from ..library import MARKER, Library
    from . import library_path
    from .crypto_cmds import init_passphrase

    path = library_path(args)
    _require_folder_place(path)
    if args.database or args.store:
        return _init_shared(args, path.absolute())
    secret = init_passphrase(args, path, path / MARKER)
    with Library.create(path, passphrase=secret) as lib:
        payload = {"library": str(lib.path), "encrypted": lib.key is not None}
    return Result(payload, f"{'Encrypted library' if secret else 'Library'} ready at "
                           f"{safe(path)}")


def _init_shared(args: argparse.Namespace, path: Path) -> Result:
    from .. import shared
    from ..errors import UserError
    from ..store_pg import safe_url

    if not (args.database and args.store) or args.encrypt:
        raise UserError("A shared library needs both --database URL and --store PATH, and "
                        "cannot be --encrypt-ed", "e.g. `workbench --library MARKER init "
                        "--database postgresql://me@server/case --store /mnt/share/case`")
    info = shared.create(path, args.database, Path(args.store), args.name)
    payload = {"library": str(path), "shared": True, "database": safe_url(info["database"]),
               "store": info["store"], "library_id": info["library_id"], "name": info["name"]}
    return Result(payload, f"Shared library {info['name']!r} ready: open it with "
                           f"--library {safe(path)}")


def _require_folder_place(path: Path) -> None:
    """A library is a folder: name the file in the way rather than fail inside ``mkdir``."""
    from ..errors import UserError

    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                raise UserError(f"Cannot create a library at {safe(path)}: "
                                f"{safe(place)} is a file, not a folder",
                                "choose another place with --library PATH")
            return


def _import_limits(args: argparse.Namespace) -> Limits:
    from ..extract import Limits

    return Limits(timeout=args.timeout, memory=args.memory * 1024 * 1024)


def start_import_workers(args: argparse.Namespace) -> None:
    """The extraction workers start while the library opens (``ingest_prepared.start_early``):
    the import's first file then does not wait for a worker's start."""
    from ..ingest_prepared import start_early

    start_early(None, _import_limits(args), [Path(p) for p in args.paths])


def cmd_import(wb: Workbench, args: argparse.Namespace) -> Result:
    from ..ingest import ImportOptions
    from ..ingest_types import NOT_ATTEMPTED

    options = ImportOptions(
        collection=args.collection, source_url=args.source_url,
        ocr_languages=args.ocr_languages, limits=_import_limits(args),
        follow_links=args.follow_links,
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


def cmd_list(wb: Workbench | FastReader, args: argparse.Namespace) -> Result:
    docs = wb.list_documents(collection=args.collection, limit=args.limit,
                             failed_redactions=args.failed_redactions)
    payload = [{k: d[k] for k in ("id", "title", "kind", "pages", "sha256", "imported_at")}
               for d in docs]
    text = table([[d["id"], d["title"], d["kind"], d["pages"], d["sha256"][:12],
                   d["imported_at"]] for d in payload],
                 ["ID", "TITLE", "KIND", "PAGES", "SHA256", "IMPORTED"])
    return Result(payload, text)


def cmd_show(wb: Workbench | FastReader, args: argparse.Namespace) -> Result:
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


def cmd_original(wb: Workbench, args: argparse.Namespace) -> Result:
    out = wb.export_original(args.doc, args.output)
    return Result(out, f"Wrote the original of document {out['document_id']} to {out['path']} "
                       f"({out['bytes']} bytes, SHA-256 {out['sha256']})",
                  stderr=[] if out["recorded"] else [not_recorded("export", out["pending"])])


def cmd_delete(wb: Workbench, args: argparse.Namespace) -> Result:
    doc_id = wb.resolve(args.doc)
    wb.delete_document(doc_id)
    return Result({"deleted": doc_id}, f"Deleted document {doc_id}")


def cmd_collections(wb: Workbench, args: argparse.Namespace) -> Result:
    from ..errors import UserError

    seen = args.expected_version
    if (args.add or args.rename) and not args.to:
        raise UserError(f"--{'add' if args.add else 'rename'} needs --to NAME")
    if args.add:
        wb.add_to_collection(args.add, args.to, expected_version=seen)
    elif args.remove:
        if not args.from_:
            raise UserError("--remove needs --from NAME")
        wb.remove_from_collection(args.remove, args.from_, expected_version=seen)
    elif args.rename:
        wb.rename_collection(args.rename, args.to, expected_version=seen)
    elif seen is not None:
        raise UserError("--expected-version goes with --add, --remove or --rename")
    cols = wb.list_collections()
    return Result(cols, table([[c["id"], c["name"], c["documents"]] for c in cols],
                              ["ID", "NAME", "DOCUMENTS"]))


def _not_a_bundle(args: argparse.Namespace) -> None:
    from ..errors import UserError

    if args.file:
        raise UserError(f"`workbench verify` checks the library itself; to verify an exported "
                        f"bundle, run: workbench verify-bundle {args.file}")


def cmd_verify(wb: Workbench, args: argparse.Namespace) -> Result:
    result = wb.verify()
    result.setdefault("recorded", wb.library.writable)
    result.setdefault("pending", False)
    return Result(result, _verify_text(result), 0 if result["ok"] else EXIT_SOME_FAILED,
                  stderr=[] if result["recorded"] else [not_recorded("check", result["pending"])])


def verify_damaged(path: Path, args: argparse.Namespace, exc: Exception) -> Result:
    """``verify`` on a library that cannot be opened for writing (damaged, empty or swapped
    database): checked read-only, salvaged if need be; the findings are the result."""
    from ..integrity import verify_path
    from .crypto_cmds import passphrase_for

    result = verify_path(path, str(exc), passphrase=passphrase_for(args, path))
    result["recorded"] = False
    return Result(result, _verify_text(result), 0 if result["ok"] else EXIT_SOME_FAILED)


_SUBJECT = {"original": lambda p: f"document {p['document_id']}",
            "audit": lambda p: f"audit event {p['event_id']}",
            "text": lambda p: f"document {p['document_id']} text layer {p['layer_id']}",
            "head": lambda p: "audit head", "database": lambda p: "database"}


def _verify_text(result: dict[str, Any]) -> str:
    lines = [f"checked {result['documents_checked']} originals, "
             f"{result['audit_events_checked']} audit events and "
             f"{result.get('text_layers_checked', 0)} text layers"
             + (f" ({result['text_layers_without_hash']} older layers have no recorded hash)"
                if result.get("text_layers_without_hash") else "")]
    for p in result["problems"]:
        lines.append(f"PROBLEM {_SUBJECT.get(p['kind'], lambda p: p['kind'])(p)}: "
                     f"{one_line(p['problem'])}")
    salvage = result.get("salvage")
    if salvage:
        lines[0] = "the database could not be opened as a library; what could still be read:"
        lines += _salvage_lines(salvage["tables"])
        o = salvage["originals"]
        lines.append(f"originals on disk: {o['on_disk']}, of which {o['intact']} hash to "
                     f"their names")
    if result.get("restore"):
        lines.append(f"to recover, {one_line(result['restore']['hint'])}")
    strays = result.get("strays") or []
    if strays:
        lines.append(f"{len(strays)} stray files (not damage, nothing is lost: left by an "
                     f"interrupted import); `workbench gc` removes them, `workbench gc "
                     f"--adopt` imports the originals as documents")
        lines += [f"  {s['kind']}: {one_line(s['sha256'] or s['path'])} ({s['size']} bytes)"
                  for s in strays]
    if result["ok"]:
        lines.append("all good")
    return "\n".join(lines)


def _salvage_lines(tables: list[dict[str, Any]]) -> list[str]:
    """Tables read in full on one line, in part one each, unreadable ones grouped by why."""
    whole = [f"{t['table']} ({t['rows']})" for t in tables if not t["problem"]]
    lines = [f"tables read in full (rows): {', '.join(whole)}"] if whole else []
    unreadable: dict[str, list[str]] = {}
    for t in tables:
        if t["problem"] and t["rows"]:
            lines.append(f"table {t['table']}: {t['rows']} rows read, then: "
                         f"{one_line(t['problem'])}")
        elif t["problem"]:
            unreadable.setdefault(one_line(t["problem"]), []).append(t["table"])
    lines += [f"unreadable ({why}): {', '.join(names)}" for why, names in unreadable.items()]
    return lines


def cmd_gc(wb: Workbench, args: argparse.Namespace) -> Result:
    out = wb.collect_strays(adopt=args.adopt)
    lines = [f"removed {len(out['removed'])} stray originals and {out['temporary_files']} "
             f"temporary files"]
    lines += [f"  - {sha}" for sha in out["removed"]]
    lines += [f"  + [{a['id']}] adopted {a['sha256']}: {a['status']}" for a in out["adopted"]]
    errors = [f"workbench: {f['sha256']}: {f['status']}: {one_line(f['error'] or '')}"
              for f in out["failed"]]
    return Result(out, "\n".join(lines), EXIT_SOME_FAILED if errors else 0, stderr=errors)


def cmd_audit(wb: Workbench, args: argparse.Namespace) -> Result:
    events = wb.audit_events(object_type=args.object_type, object_id=args.object_id,
                             limit=args.limit, author=args.author, kind=args.kind)
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
    code = run_app(library_path(args) if args.library else None,
                   [Path(p) for p in args.paths])
    return Result({"exit_code": code}, "", code)
