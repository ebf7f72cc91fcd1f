"""One sentence per audit event, as a person says it: "imported “Report” (PDF, 46 pages)".

Events hold ids, hashes and counts, never text (audit.py); the names in a sentence are looked
up for a whole page at once (documents' titles, highlights' quotes, dossiers', tags', entities'
and events' names as the library holds them now), and an object since deleted is named by
what its event recorded or by its number. Private things are never read: no note, no
commentary, no redaction's reason or term.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..models import AuditEvent, Document, Dossier, Entity, Event, Highlight

QUOTE_CHARS = 48
TITLE_CHARS = 120


def _short(text: str | None, n: int = QUOTE_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= n else flat[: n - 1].rstrip() + "…"


def _q(text: str) -> str:
    return f"“{text}”"


def _ids(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class Names:
    """The names a page of events mentions, read in one query per table."""

    def __init__(self, session: Session, events: list[tuple[AuditEvent, dict[str, Any]]]):
        want: dict[str, set[int]] = {k: set() for k in
                                     ("document", "highlight", "dossier", "tag", "entity",
                                      "event")}
        for ev, d in events:
            oid = _ids(ev.object_id)
            if oid is not None and ev.object_type in want:
                want[ev.object_type].add(oid)
            for key, table in (("document_id", "document"), ("highlight_id", "highlight")):
                if _ids(d.get(key)) is not None:
                    want[table].add(int(d[key]))
        self.highlights: dict[int, tuple[str, int]] = {
            i: (q, doc) for i, q, doc in session.execute(
                select(Highlight.id, Highlight.quote, Highlight.document_id)
                .where(Highlight.id.in_(want["highlight"])))} if want["highlight"] else {}
        want["document"] |= {doc for _q, doc in self.highlights.values()}
        self.documents = self._read(session, Document.id, Document.title, want["document"])
        self.filenames = self._read(session, Document.id, Document.original_filename,
                                    want["document"])
        self.dossiers = self._read(session, Dossier.id, Dossier.title, want["dossier"])
        self.entities = self._read(session, Entity.id, Entity.name, want["entity"])
        self.events = self._read(session, Event.id, Event.statement, want["event"])
        self.tags: dict[int, str] = {}
        if want["tag"]:
            from ..search import tag_paths

            self.tags = tag_paths(session)

    @staticmethod
    def _read(session: Session, key: Any, value: Any, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        return {i: v for i, v in session.execute(select(key, value).where(key.in_(ids)))}

    def document(self, doc_id: Any, fallback: str | None = None) -> str:
        i = _ids(doc_id)
        if i is not None and i in self.documents:
            title = self.documents[i] or self.filenames.get(i) or f"document {i}"
            return _q(_short(title, TITLE_CHARS))
        return _q(fallback) if fallback else f"document {doc_id} (since deleted)"

    def highlight(self, hid: Any) -> str:
        i = _ids(hid)
        if i is not None and i in self.highlights:
            return f"highlight {_q(_short(self.highlights[i][0]))}"
        return f"highlight {hid} (since deleted)"

    def dossier(self, did: Any) -> str:
        i = _ids(did)
        return (f"dossier {_q(_short(self.dossiers[i], 80))}" if i in self.dossiers
                else f"dossier {did}")

    def named(self, table: dict[int, str], oid: Any, what: str) -> str:
        i = _ids(oid)
        return f"{what} {_q(_short(table[i], 80))}" if i in table else f"{what} {oid}"


def describe(session: Session, events: list[AuditEvent]) -> list[str]:
    parsed = [(ev, _details(ev)) for ev in events]
    names = Names(session, parsed)
    return [_sentence(ev, d, names) for ev, d in parsed]


def _details(ev: AuditEvent) -> dict[str, Any]:
    try:
        d = json.loads(ev.details or "{}")
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}


def _sentence(ev: AuditEvent, d: dict[str, Any], n: Names) -> str:
    describe_one = _BY_OBJECT.get(ev.object_type)
    text = describe_one(ev, d, n) if describe_one is not None else None
    return text or f"made a change ({ev.event_type}) to {ev.object_type} {ev.object_id or ''}"\
        .rstrip()


def _n(count: Any, word: str) -> str:
    c = int(count) if isinstance(count, int) else 0
    return f"{c:,} {word}{'' if c == 1 else 's'}"


def _document(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    if ev.event_type == audit.INGESTION:
        bits = [str(d.get("kind") or "").upper()]
        if isinstance(d.get("pages"), int) and d["pages"]:
            bits.append(_n(d["pages"], "page"))
        extra = ", ".join(b for b in bits if b)
        return (f"imported {n.document(ev.object_id, d.get('filename'))}"
                + (f" ({extra})" if extra else ""))
    if ev.event_type == audit.DELETION:
        return f"deleted the document {_q(str(d.get('filename') or ev.object_id))}"
    if d.get("operation") in ("ocr", "reextract", "re-extract") or "layer_version" in d:
        how = {"ocr": "by OCR"}.get(str(d.get("operation")), "by reading it again")
        return f"made a new text of {n.document(ev.object_id)} {how}"
    fields = d.get("fields")
    if isinstance(fields, list) and fields:
        return (f"edited the record of {n.document(ev.object_id)} "
                f"({', '.join(str(f) for f in fields)})")
    return f"changed {n.document(ev.object_id)}"


def _highlight(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    where = n.document(d.get("document_id")) if d.get("document_id") is not None else None
    to = f" to {where}" if where else ""
    inside = f" in {where}" if where else ""
    if ev.event_type == audit.CREATION:
        how = " from a file" if d.get("imported_from_sha256") else ""
        return f"added {n.highlight(ev.object_id)}{to}{how}"
    if ev.event_type == audit.DELETION:
        return f"deleted highlight {ev.object_id}{inside}"
    if d.get("reanchor"):
        return f"placed {n.highlight(ev.object_id)} again in a new text{inside}"
    if d.get("operation") == "accept candidate":
        return f"accepted the suggested {n.highlight(ev.object_id)}{inside}"
    fields = d.get("fields")
    listed = f" ({', '.join(str(f) for f in fields)})" if isinstance(fields, list) and fields \
        else ""
    return f"edited {n.highlight(ev.object_id)}{inside}{listed}"


def _highlights(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    if ev.event_type == audit.DISSEMINATION:
        return f"exported {_n(d.get('count'), 'highlight')} ({_format(d)})"
    if d.get("operation") == "import":
        return f"imported {_n(d.get('imported'), 'highlight')} from a file"
    return None


def _link(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    verb = {audit.CREATION: "linked", audit.DELETION: "unlinked"}.get(ev.event_type, "relinked")
    rel = f" as {d['relation']}" if isinstance(d.get("relation"), str) and \
        ev.event_type != audit.DELETION else ""
    return f"{verb} {n.highlight(d.get('first_id'))} and {n.highlight(d.get('second_id'))}{rel}"


def _format(d: dict[str, Any]) -> str:
    return str(d.get("format") or "?").upper()


_DOSSIER_ACTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "add item": lambda d: "added an exhibit to",
    "move item": lambda d: "moved an exhibit in",
    "remove item": lambda d: "removed an exhibit from",
    "set corroboration": lambda d: "changed what an exhibit corroborates in",
    "set commentary": lambda d: "edited an exhibit's commentary in",
    "add section": lambda d: "added a section to",
    "rename section": lambda d: "renamed a section of",
    "redact": lambda d: "added a redaction" + (f" ({d['label']})" if d.get("label") else "")
    + " to",
    "redact area": lambda d: f"redacted an area of page {d.get('page')}"
    + (f" ({d['label']})" if d.get("label") else "") + " in",
    "remove redaction": lambda d: "removed a redaction from",
    "freeze": lambda d: "froze",
    "set facsimile": lambda d: "changed how an exhibit's pages are shown in",
}


def _dossier(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    it = n.dossier(ev.object_id)
    if ev.event_type == audit.DISSEMINATION:
        return f"exported {it} ({_format(d)})"
    if ev.event_type == audit.CREATION:
        if d.get("action") == "new version":
            return f"made a new version of {n.dossier(d.get('version_of'))}: {it}"
        return f"created {it}"
    action = _DOSSIER_ACTIONS.get(str(d.get("action")))
    if action is not None:
        return f"{action(d)} {it}"
    fields = d.get("fields")
    if isinstance(fields, list) and fields:
        return f"edited {it} ({', '.join(str(f) for f in fields)})"
    return f"changed {it}"


def _tag(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    it = n.named(n.tags, ev.object_id, "tag")
    if ev.event_type == audit.CREATION:
        return f"created {it}"
    if ev.event_type == audit.DELETION:
        return f"deleted tag {ev.object_id}"
    op = d.get("operation")
    if op == "merge":
        return f"merged another tag into {it}"
    if op in ("rename", "move"):
        return f"{'renamed' if op == 'rename' else 'moved'} {it}"
    fields = d.get("fields")
    listed = f" ({', '.join(str(f) for f in fields)})" if isinstance(fields, list) else ""
    return f"edited {it}{listed}"


def _entity(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    it = n.named(n.entities, ev.object_id, "entity")
    if ev.event_type == audit.CREATION:
        return f"registered {it}" + (f" ({d['kind']})" if d.get("kind") else "")
    if ev.event_type == audit.DELETION:
        return f"deleted entity {ev.object_id}"
    action = str(d.get("action") or "edit")
    if action in ("link document", "unlink document"):
        verb = "linked" if action == "link document" else "unlinked"
        return f"{verb} {n.document(d.get('document_id'))} and {it}"
    return {"add alias": f"added a name to {it}",
            "remove alias": f"removed a name of {it}"}.get(action, f"edited {it}")


def _event(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    it = n.named(n.events, ev.object_id, "event")
    if ev.event_type == audit.CREATION:
        return f"added {it} to the chronology"
    if ev.event_type == audit.DELETION:
        return f"deleted event {ev.object_id} from the chronology"
    action = d.get("action")
    if action in ("add source", "remove source"):
        return f"{'added a source to' if action == 'add source' else 'removed a source of'} {it}"
    return f"edited {it}"


def _events(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    return f"exported the chronology, {_n(d.get('count'), 'event')} ({_format(d)})"


def _library(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    if ev.event_type == audit.FIXITY_CHECK:
        found = d.get("problems")
        return ("verified the library: " + ("no problems" if not found
                                             else _n(found, "problem")))
    if ev.event_type == audit.CREATION:
        return "created the " + ("shared " if d.get("shared") else "") + "library"
    if ev.event_type == audit.REPLICATION:
        return f"copied the library ({_n(d.get('events'), 'event')} carried over)" \
            if d.get("shared") else "made a copy of the library"
    if d.get("action") == "role grant":
        return f"made {d.get('role')} {_article(str(d.get('level')))}"
    return "changed the library's settings"


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _simple(what: str) -> Callable[[AuditEvent, dict[str, Any], Names], str | None]:
    def text(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
        name = _q(str(d["name"])) if d.get("name") else str(ev.object_id or "")
        verb = {audit.CREATION: "created", audit.DELETION: "deleted"}.get(ev.event_type,
                                                                           "changed")
        return f"{verb} {what} {name}".rstrip()
    return text


def _collection(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    name = _q(str(d.get("name") or ev.object_id))
    if d.get("operation") == "rename":
        return f"renamed the collection {_q(str(d.get('old_name') or ''))} to {name}"
    out = d.get("removed_documents")
    if isinstance(out, list):
        return f"took {_n(len(out), 'document')} out of the collection {name}"
    added = d.get("added_documents")
    count = len(added) if isinstance(added, list) else 0
    return f"added {_n(count, 'document')} to the collection {name}"


def _copies(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    if d.get("operation") == "found copies":
        return f"found {_n(len(d.get('found') or []), 'pair')} of copies"
    docs = d.get("documents") or [None, None]
    return (f"marked {n.document(docs[0])} and {n.document(docs[-1])} as "
            f"{d.get('status') or 'related'}")


def _originals(ev: AuditEvent, d: dict[str, Any], n: Names) -> str | None:
    return f"removed {_n(len(d.get('sha256') or []), 'stray original')}"


_BY_OBJECT: dict[str, Callable[[AuditEvent, dict[str, Any], Names], str | None]] = {
    "document": _document, "highlight": _highlight, "highlights": _highlights,
    "highlight_link": _link, "dossier": _dossier, "tag": _tag, "entity": _entity,
    "event": _event, "events": _events, "library": _library, "collection": _collection,
    "document_copy": _copies, "originals": _originals,
    "saved_search": _simple("saved search"), "alias_group": _simple("alias group"),
    "setting": lambda ev, d, n: "changed a setting (" + ", ".join(sorted(d)) + ")",
}

