"""The read-only commands' path to a library's database, without SQLAlchemy.

``workbench list`` and ``show`` are run from scripts, often in loops; importing SQLAlchemy,
its ORM and our models costs ≈ 0.3 s a call before a row is read (docs/PERFORMANCE.md, "Fixed
cost of a command"), where the query itself takes milliseconds. So these commands read a
personal library's SQLite file (SQLCipher for an encrypted one) through the DB-API, with plain
SQL, and give exactly what the facade's methods of the same names give (``FastReader``: the
command handlers run unchanged on either; ``tests/core/test_fast_read.py`` compares the two
outputs byte for byte on a varied library).

This is a second way to read the database, so it is kept narrow and it never decides anything
unusual. It serves only the plain case: a personal library, its database present and not
empty, at this build's schema head, opened read-only as the facade would (``mode=ro``, no
file written). Anything else — a shared library, a library from a newer Workbench or one that
needs an upgrade, an empty, swapped-in or damaged database, a document or page that is not
there, a date or value not in the form SQLAlchemy writes — raises ``Unsupported``, and the
caller runs the command through the facade, which then refuses or reports in its own words.
So every safety check of a read stays where it is, and an error is never worded twice. The
SQL mirrors the statements the ORM sends (same joins, same order), so rows come back in the
same order even where the facade does not sort.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from . import found_inside, records
from .bundled import data_dir
from .errors import WorkbenchError
from .ids import row_id
from .ocr_metadata import layer_ocr
from .schema_files import connect_raw, revision_graph, single_head, stored_revision
from .tag_tree import passage_counts, tag_paths

if TYPE_CHECKING:
    from .models import CollectionRecord, Document
    from .search.results import SearchResult

MARKER = "workbench-library.json"  # library.MARKER, DB_NAME, FORMAT_VERSION: not imported,
DB_NAME = "library.sqlite"  # library.py loads SQLAlchemy (tests/core/test_fast_read.py
FORMAT_VERSION = 2  # holds them equal)

_DOCUMENT = ("id, sha256, title, kind, media_type, language, size, original_filename, author, "
             "site, published, created_at, modified_at, status, problems, page_count, "
             "parent_id, extra")
# How SQLAlchemy's SQLite DateTime stores a value (microseconds always six digits).
_STORED_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?")


class Unsupported(Exception):
    """Not a case for this path: the facade serves it (and says what is wrong, if anything)."""


@dataclass
class FastText:
    """A text layer and its page ranges: what ``show --text/--page`` reads of
    ``document_queries.DocumentText``."""

    text: str
    pages: list[tuple[int, int, int]]  # (number, start, end)

    def page_text(self, number: int) -> str:
        for n, start, end in self.pages:
            if n == number:
                return self.text[start:end]
        raise Unsupported("no such page")  # the facade's NotFound says how many there are


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _STORED_TIME.fullmatch(value):
        raise Unsupported("a time not in SQLAlchemy's form")
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _iso(value: object) -> str | None:
    dt = _time(value)
    return None if dt is None else dt.isoformat().replace("+00:00", "Z")


def _json(value: object) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Unsupported("a JSON value not stored as text")
    try:
        return json.loads(value)
    except ValueError:
        raise Unsupported("JSON that does not decode") from None  # the facade: damage


def _current_head() -> str | None:
    try:
        return single_head(revision_graph(data_dir("migrations") / "versions"))
    except WorkbenchError:
        return None


class FastReader:
    """``list_documents``, ``show_document``, ``document_text`` and ``document_record`` of
    the facade, for the command line, on one read-only connection."""

    def __init__(self, conn: Any, path: Path | None = None, encrypted: bool = False) -> None:
        self._conn = conn
        # The tags, read once per reader (one read of a library that does not change under it)
        self._tag_rows: dict[int, tuple[Any, ...]] | None = None
        self._paths: dict[int, str] | None = None
        self.path = path  # the library's folder
        self.encrypted = encrypted

    @classmethod
    def open(cls, path: Path, passphrase: str | None = None) -> FastReader:
        """The library at ``path`` opened read-only, or ``Unsupported``."""
        path = Path(path).absolute()
        try:
            info = json.loads((path / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise Unsupported("no readable marker") from None
        if (not isinstance(info, dict) or "database" in info
                or not isinstance(info.get("format", 0), int)
                or info.get("format", 0) > FORMAT_VERSION):
            raise Unsupported("a shared library, or a marker this path does not read")
        db = path / DB_NAME
        try:
            if db.stat().st_size == 0:
                raise Unsupported("an empty database")
        except OSError:
            raise Unsupported("no database") from None
        key = _key(path, info, passphrase)
        head = _current_head()
        if head is None or stored_revision(db, key) != head:
            raise Unsupported("not at this build's schema head")  # newer, older, unreadable
        wal = path / f"{DB_NAME}-wal"
        pending = wal.exists() and wal.stat().st_size > 0
        # As library._open_readonly: in a folder nobody can write, the file cannot change.
        frozen = not os.access(path, os.W_OK) and not pending
        uri = f"{db.as_uri()}?mode=ro" + ("&immutable=1" if frozen else "")
        try:
            conn = connect_raw(uri, key, uri=True, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA query_only=ON")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except Exception:  # sqlite3's and sqlcipher3's own classes
            raise Unsupported("the database cannot be read here") from None
        if revision is None or revision[0] != head:
            conn.close()
            raise Unsupported("not at this build's schema head")
        return cls(conn, path, key is not None)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> FastReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._conn.execute(sql, params).fetchall())
        except Exception:  # damage, a lock held too long: the facade reports it
            raise Unsupported("a query failed") from None

    # --- the facade's reads ------------------------------------------------------------------

    def list_documents(self, *, collection: str | None = None, offset: int = 0,
                       limit: int | None = None, failed_redactions: bool = False,
                       order_by: str | None = None, descending: bool = False,
                       contains: str | None = None,
                       or_kinds: Sequence[str] = ()) -> list[dict[str, Any]]:
        """As ``DocumentsMixin.list_documents`` in id order; a sort or a search is the
        facade's."""
        if order_by not in (None, "id") or descending or contains or or_kinds:
            raise Unsupported("a sorted or searched list")
        sql = f"SELECT {_prefixed('documents')} FROM documents"
        params: list[Any] = []
        if collection:
            sql += (" JOIN collection_members ON documents.id = collection_members.document_id"
                    " JOIN collections ON collections.id = collection_members.collection_id")
        where = []
        if failed_redactions:
            where.append("json_array_length(documents.extra, ?) > ?")
            params += ["$.xray", 0]
        if collection:
            where.append("collections.name = ?")
            params.append(collection)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY documents.id, documents.id"
        if limit:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            params.append(offset)
        return [_summary(_document(r)) for r in self._rows(sql, tuple(params))]

    def show_document(self, ref: str | int) -> dict[str, Any]:
        doc = self._resolve(ref)
        rows = self._rows(
            "SELECT original_path, source_url, final_url, captured_at, imported_at, importer, "
            "importer_version, os_user, http_status, extra FROM collection_records "
            "WHERE ? = collection_records.document_id", (doc.id,))
        rec = None if not rows else SimpleNamespace(**dict(zip(
            ("original_path", "source_url", "final_url", "captured_at", "imported_at",
             "importer", "importer_version", "os_user", "http_status", "extra"), rows[0],
            strict=True)))
        layers = self._rows(
            "SELECT id, version, extractor, extractor_version, method, languages, text, "
            "created_at FROM text_layers WHERE text_layers.document_id = ? "
            "ORDER BY text_layers.version", (doc.id,))
        cols = [name for (name,) in self._rows(
            "SELECT collections.name FROM collections JOIN collection_members "
            "ON collections.id = collection_members.collection_id "
            "WHERE collection_members.document_id = ?", (doc.id,))]
        out = _summary(doc)
        out.update({
            "media_type": doc.media_type, "size": doc.size,
            "original_filename": doc.original_filename, "author": doc.author,
            "problems": list(doc.problems), "extra": doc.extra, "collections": cols,
            "record": self._record(doc, rec).to_json(),
            "collection_record": None if rec is None else {
                "original_path": rec.original_path, "source_url": rec.source_url,
                "final_url": rec.final_url, "captured_at": _iso(rec.captured_at),
                "imported_at": _iso(rec.imported_at), "importer": rec.importer,
                "importer_version": rec.importer_version, "os_user": rec.os_user,
                "http_status": rec.http_status, "extra": _json(rec.extra),
            },
            "text_layers": [{"id": lid, "version": version, "extractor": extractor,
                             "extractor_version": extractor_version, "method": method,
                             "languages": languages,
                             "ocr": layer_ocr(doc.extra, version, method),
                             "created_at": _iso(created), "characters": len(text)}
                            for (lid, version, extractor, extractor_version, method,
                                 languages, text, created) in layers],
        })
        out.update(self._found_inside(doc))
        return out

    def _found_inside(self, doc: Any) -> dict[str, Any]:
        """As ``DocumentsMixin._found_inside``: the file it was found in, what it holds."""
        parent = [] if doc.parent_id is None else self._rows(
            "SELECT id, title, kind FROM documents WHERE documents.id = ?", (doc.parent_id,))
        children = self._rows(
            "SELECT id, title, kind, original_filename FROM documents "
            "WHERE documents.parent_id = ? ORDER BY documents.id LIMIT ? OFFSET ?",
            (doc.id, found_inside.CHILDREN_SHOWN, 0))
        [(count,)] = self._rows(
            "SELECT count(documents.id) FROM documents WHERE documents.parent_id = ?",
            (doc.id,))
        return {"parent": found_inside.parent_entry(*parent[0]) if parent else None,
                "children": [found_inside.child_entry(*row) for row in children],
                "children_count": int(count)}

    def document_text(self, ref: str | int) -> FastText:
        doc = self._resolve(ref)
        layer = self._rows(
            "SELECT id, text FROM text_layers WHERE text_layers.document_id = ? "
            "ORDER BY text_layers.version DESC LIMIT ? OFFSET ?", (doc.id, 1, 0))
        if not layer:
            raise Unsupported("no text layer")  # the facade's NotFound
        layer_id, text = layer[0]
        pages = self._rows('SELECT pages.number, pages.start, pages."end" FROM pages '
                           "WHERE pages.layer_id = ? ORDER BY pages.number", (layer_id,))
        return FastText(text, [(int(n), int(a), int(b)) for n, a, b in pages])

    def document_record(self, ref: str | int) -> records.Record:
        doc = self._resolve(ref)
        rows = self._rows("SELECT source_url FROM collection_records "
                          "WHERE ? = collection_records.document_id", (doc.id,))
        rec = SimpleNamespace(source_url=rows[0][0]) if rows else None
        return self._record(doc, rec)

    def search(self, query: str, limit: int = 20, offset: int = 0,
               filters: dict[str, Any] | None = None, *, facets: bool = True,
               collapse_copies: bool = False) -> SearchResult:
        """As ``SearchMixin.search``, for a plain query of a plain library's own index
        (``workbench.search.search_read_only``); a filter, copies folded, an encrypted
        library's sealed index and whatever that module does not serve go to the facade."""
        from .search import search_read_only

        if filters or collapse_copies or self.encrypted or self.path is None:
            raise Unsupported("not a plain search")
        result = search_read_only(self.path / "index", query, limit=limit, offset=offset,
                                  facets=facets, alias_groups=self._alias_groups,
                                  texts=self._texts, document_count=self._document_count,
                                  highlights=self._highlights)
        if result is None:
            raise Unsupported("the index is not plain to read")
        return result

    def search_in_document(self, doc_ref: str | int, query: str) -> Any:
        raise Unsupported("find-in-document")  # its engine query is the facade's to run

    def last_backup(self) -> datetime | None:
        """``backup.last_backup``: the newest backup recorded in the audit log or still
        pending beside the library (the window's early read: the reminder's first paint)."""
        from .timeutil import parse_iso_utc

        times = []
        for at, details in self._rows("SELECT at, details FROM audit_events "
                                      "WHERE event_type = ?", ("replication",)):
            d = _json(details)
            if isinstance(d, dict) and d.get("action") == "backup":
                times.append(d.get("created_at") or at)
        pending = self.path / "replication-pending" if self.path else None  # backup.PENDING_DIR
        for path in sorted(pending.glob("*.json")) if pending and pending.is_dir() else []:
            try:
                times.append(json.loads(path.read_text(encoding="utf-8"))["created_at"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
        known = [t for t in (parse_iso_utc(t) for t in times) if t is not None]
        return max(known) if known else None

    def _alias_groups(self) -> list[list[str]]:
        """``hits.library_aliases``' read: each group's terms, in the table's order."""
        return [list(_json(terms) or []) for (terms,) in
                self._rows("SELECT alias_groups.terms FROM alias_groups")]

    def _document_count(self) -> int:
        return int(self._rows("SELECT count(documents.id) AS count_1 FROM documents")[0][0])

    def _texts(self, ids: list[int]) -> dict[int, tuple[str, str, int | None, str,
                                                       list[tuple[int, int, int]]]]:
        """``hits.load_texts``: title, kind, latest layer id, its text and its pages, for each
        id that still exists."""
        marks = ", ".join("?" * len(ids))
        docs = {i: (t, k) for i, t, k in self._rows(
            "SELECT documents.id, documents.title, documents.kind FROM documents "
            f"WHERE documents.id IN ({marks})", tuple(ids))} if ids else {}
        layers: dict[int, tuple[int, str]] = {}
        if docs:
            marks = ", ".join("?" * len(docs))
            for lid, did, text in self._rows(
                    "SELECT text_layers.id, text_layers.document_id, text_layers.text "
                    "FROM text_layers JOIN (SELECT text_layers.document_id AS document_id, "
                    "max(text_layers.version) AS v FROM text_layers "
                    f"WHERE text_layers.document_id IN ({marks}) "
                    "GROUP BY text_layers.document_id) AS anon_1 "
                    "ON anon_1.document_id = text_layers.document_id "
                    "AND anon_1.v = text_layers.version", tuple(docs)):
                layers[did] = (lid, text)
        pages: dict[int, list[tuple[int, int, int]]] = {}
        if layers:
            marks = ", ".join("?" * len(layers))
            for lid, n, a, b in self._rows(
                    'SELECT pages.layer_id, pages.number, pages.start, pages."end" FROM pages '
                    f"WHERE pages.layer_id IN ({marks}) ORDER BY pages.number",
                    tuple(v[0] for v in layers.values())):
                pages.setdefault(lid, []).append((n, a, b))
        out = {}
        for doc_id, (title, kind) in docs.items():
            lid, text = layers.get(doc_id, (None, ""))
            out[doc_id] = (title, kind, lid, text, pages.get(lid, []) if lid else [])
        return out

    def _highlights(self, ids: list[int]) -> dict[int, list[tuple[int, int, int, list[str]]]]:
        """``tagged.load_highlights``: each anchored highlight's layer, offsets and tag paths."""
        from .search import group_highlights

        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._rows(
            "SELECT highlights.document_id, highlights.id, highlights.layer_id, "
            'highlights.start, highlights."end", highlight_tags.tag_id FROM highlights '
            "JOIN highlight_tags ON highlight_tags.highlight_id = highlights.id "
            f"WHERE highlights.document_id IN ({marks}) AND highlights.status = 'anchored' "
            "ORDER BY highlights.document_id, highlights.start, highlights.id", tuple(ids))
        return group_highlights(rows, self._tag_paths()) if rows else {}

    # --- what the desktop window shows as a library opens (ui/session.py) ---------------------

    def count_documents(self, *, collection: str | None = None, contains: str | None = None,
                        failed_redactions: bool = False, or_kinds: Sequence[str] = ()) -> int:
        if collection or contains or failed_redactions or or_kinds:
            raise Unsupported("a filtered count")
        return self._document_count()

    def document_tags(self, doc_ref: str | int) -> list[str]:
        """``TagsMixin.document_tags``: the document's tag paths, sorted."""
        doc = self._resolve(doc_ref)
        paths = self._tag_paths()
        return sorted(paths[i] for (i,) in self._rows(
            "SELECT document_tags.tag_id FROM document_tags "
            "WHERE document_tags.document_id = ?", (doc.id,)))

    def passage_tags(self, doc_ids: list[int]) -> dict[int, dict[str, int]]:
        """``TagsMixin.passage_tags``: each document's highlights' tag paths and counts."""
        if not doc_ids:
            return {}
        marks = ", ".join("?" * len(doc_ids))
        rows = self._rows(
            "SELECT highlights.document_id, highlight_tags.tag_id, count(*) FROM highlights "
            "JOIN highlight_tags ON highlight_tags.highlight_id = highlights.id "
            f"WHERE highlights.document_id IN ({marks}) "
            "GROUP BY highlights.document_id, highlight_tags.tag_id", tuple(doc_ids))
        return passage_counts(rows, self._tag_paths()) if rows else {}

    def list_collections(self) -> list[dict[str, Any]]:
        return [{"id": i, "name": n, "documents": c, "version": v} for i, n, c, v in self._rows(
            "SELECT collections.id, collections.name, count(collection_members.document_id) "
            "AS count_1, collections.version FROM collections LEFT OUTER JOIN "
            "collection_members ON collections.id = collection_members.collection_id "
            "GROUP BY collections.id ORDER BY collections.name")]

    def list_tags(self, *, tree: bool = False) -> list[dict[str, Any]]:
        """``tagservice._tag_rows``: every tag in path order with its direct and total counts."""
        if tree:
            raise Unsupported("the tag tree")
        tags = self._tags()
        paths = self._tag_paths()
        n_hl = dict(self._rows("SELECT highlight_tags.tag_id, count(*) AS count_1 "
                               "FROM highlight_tags GROUP BY highlight_tags.tag_id"))
        n_doc = dict(self._rows("SELECT document_tags.tag_id, count(*) AS count_1 "
                                "FROM document_tags GROUP BY document_tags.tag_id"))
        rows: list[dict[str, Any]] = []
        for tid in sorted(tags, key=lambda i: paths[i].casefold()):
            name, parent, color, description, version = tags[tid]
            rows.append({"id": tid, "path": paths[tid], "name": name, "parent_id": parent,
                         "depth": paths[tid].count("/"), "color": color,
                         "description": description, "version": version,
                         "highlights": int(n_hl.get(tid, 0)),
                         "documents": int(n_doc.get(tid, 0))})
        totals = {r["id"]: r["highlights"] for r in rows}
        for r in sorted(rows, key=lambda r: -r["depth"]):
            if r["parent_id"] is not None:
                totals[r["parent_id"]] += totals[r["id"]]
        for r in rows:
            r["highlights_total"] = totals[r["id"]]
        return rows

    def list_saved_searches(self) -> list[dict[str, Any]]:
        out = []
        for i, name, query, created in self._rows(
                "SELECT saved_searches.id, saved_searches.name, saved_searches.query, "
                "saved_searches.created_at FROM saved_searches ORDER BY saved_searches.name"):
            if created is None:
                raise Unsupported("a saved search without a time")  # the facade fails on it
            out.append({"id": i, "name": name, "query": query, "created_at": _iso(created)})
        return out

    def list_dossiers(self) -> list[dict[str, Any]]:
        """``DossiersMixin.list_dossiers``: each dossier's summary, in id order."""
        items = dict(self._rows("SELECT dossier_items.dossier_id, count(dossier_items.id) "
                                "FROM dossier_items GROUP BY dossier_items.dossier_id"))
        names = dict(self._rows("SELECT collections.id, collections.name FROM collections"))
        return [{"id": i, "title": title, "case": names.get(case) if case else None,
                 "author": author, "organisation": organisation, "description": description,
                 "prefix": prefix, "items": int(items.get(i, 0)), "frozen": frozen is not None,
                 "frozen_at": _iso(frozen), "version_of": version_of,
                 "created_at": _iso(created), "modified_at": _iso(modified), "version": version}
                for (i, title, case, author, organisation, description, prefix, frozen,
                     version_of, created, modified, version) in self._rows(
                    "SELECT dossiers.id, dossiers.title, dossiers.collection_id, dossiers.author, "
                    "dossiers.organisation, dossiers.description, dossiers.exhibit_prefix, "
                    "dossiers.frozen_at, dossiers.version_of_id, dossiers.created_at, "
                    "dossiers.modified_at, dossiers.version FROM dossiers ORDER BY dossiers.id")]

    def _tags(self) -> dict[int, tuple[Any, ...]]:
        # The facade's ``select(Tag)``: no ORDER BY, so ties in path order fall the same way.
        if self._tag_rows is None:
            self._tag_rows = {r[0]: r[1:] for r in self._rows(
                "SELECT tags.id, tags.name, tags.parent_id, tags.color, tags.description, "
                "tags.version FROM tags")}
        return self._tag_rows

    def _tag_paths(self) -> dict[int, str]:
        """``tags.path_map``: every tag id and its full path (parents joined by ``/``)."""
        if self._paths is not None:
            return self._paths
        tags = self._tags()
        try:
            self._paths = tag_paths({tid: (row[0], row[1]) for tid, row in tags.items()})
        except KeyError:
            raise Unsupported("a tag whose parent is missing") from None  # the facade: damage
        return self._paths

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _record(doc: SimpleNamespace, rec: SimpleNamespace | None) -> records.Record:
        # record_of reads attributes only: the rows stand in for the ORM's objects
        return records.record_of(cast("Document", doc), cast("CollectionRecord | None", rec))

    def _resolve(self, ref: str | int) -> SimpleNamespace:
        """``document_queries.resolve_document``'s answer; a reference it would refuse
        (none, several) is the facade's to word."""
        text = str(ref).strip()
        doc_id = row_id(text) if len(text) < 12 else None
        if doc_id is not None:
            rows = self._rows(f"SELECT {_prefixed('documents')} FROM documents "
                              "WHERE documents.id = ?", (doc_id,))
            if rows:
                return _document(rows[0])
        if 6 <= len(text) <= 64 and all(c in "0123456789abcdef" for c in text.lower()):
            rows = self._rows(f"SELECT {_prefixed('documents')} FROM documents "
                              "WHERE documents.sha256 LIKE ? LIMIT ? OFFSET ?",
                              (text.lower() + "%", 2, 0))
            if len(rows) == 1:
                return _document(rows[0])
        raise Unsupported("no such document, or several")


def _prefixed(table: str) -> str:
    return ", ".join(f"{table}.{c.strip()}" for c in _DOCUMENT.split(","))


def _document(row: tuple[Any, ...]) -> SimpleNamespace:
    doc = SimpleNamespace(**dict(zip((c.strip() for c in _DOCUMENT.split(",")), row,
                                     strict=True)))
    doc.created_at = _time(doc.created_at)
    doc.modified_at = _time(doc.modified_at)
    doc.problems = _json(doc.problems)
    doc.extra = _json(doc.extra)
    return doc


def _summary(doc: SimpleNamespace) -> dict[str, Any]:
    """``document_queries.document_summary`` of a row."""
    created = doc.created_at
    return {
        "id": doc.id, "title": doc.title, "kind": doc.kind, "pages": doc.page_count,
        "sha256": doc.sha256,
        "imported_at": None if created is None else created.isoformat().replace("+00:00", "Z"),
        "status": doc.status, "language": doc.language, "published": doc.published,
        "site": doc.site, "parent_id": doc.parent_id,
    }


def _key(path: Path, info: dict[str, Any], passphrase: str | None) -> str | None:
    """An encrypted library's SQLCipher key (None for a plain one), unwrapped as
    ``Library.open`` does; a missing or wrong passphrase is the facade's to say."""
    from .crypto import is_encrypted

    if not (info.get("encrypted") or is_encrypted(path)):
        return None
    if passphrase is None:
        raise Unsupported("no passphrase")
    from .crypto.keys import unlock  # cryptography: only for an encrypted library

    try:
        return unlock(path, passphrase).db_key_hex
    except WorkbenchError:
        raise Unsupported("the key did not unlock") from None
