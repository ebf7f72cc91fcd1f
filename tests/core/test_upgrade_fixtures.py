"""Every library kept from a released schema opens with today's code, upgraded, intact.

The folders under tests/fixtures/libraries/ are written by tests/support/make_library_fixture.py
with the code of the release whose schema they keep (one per revision in migrations/versions),
and never edited afterwards. What each held is read from its own database file, with plain SQL
against its own schema, before today's code opens a copy; today's code must then show the same
documents, highlights and tags, dossier exhibits and redactions, and the same audit chain
(extended, never rewritten), after taking the pre-upgrade backup.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from workbench.services import Workbench
from workbench.store import current_revision, head_revision, known_revisions

LIBRARIES = Path(__file__).resolve().parents[1] / "fixtures" / "libraries"
KEPT = sorted(LIBRARIES.glob("schema-*"))


def test_there_is_a_kept_library_for_every_schema() -> None:
    """A new migration comes with the library of the schema it is written for."""
    kept = {p.name.removeprefix("schema-") for p in KEPT}
    missing = sorted(known_revisions() - kept)
    assert not missing, (f"no kept library for schema {missing}: run "
                         "tests/support/make_library_fixture.py and commit its folder")


def _tag_paths(con: sqlite3.Connection) -> dict[int, str]:
    rows = {r[0]: (r[1], r[2]) for r in con.execute("SELECT id, name, parent_id FROM tags")}

    def path(tag_id: int) -> str:
        name, parent = rows[tag_id]
        return name if parent is None else f"{path(parent)}/{name}"

    return {tag_id: path(tag_id) for tag_id in rows}


def held(db: Path) -> dict[str, Any]:
    """What the kept database holds, read without today's code (and without changing it)."""
    wal = db.with_name(db.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0  # immutable would not read it
    con = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro{'' if pending else '&immutable=1'}",
                          uri=True)
    try:
        tags = _tag_paths(con)
        tagged: dict[int, list[str]] = {}
        for hl, tag in con.execute("SELECT highlight_id, tag_id FROM highlight_tags"):
            tagged.setdefault(hl, []).append(tags[tag])
        columns = [r[1] for r in con.execute("PRAGMA table_info(redactions)")]
        label = "label" if "label" in columns else "NULL"
        dossiers: dict[str, Any] = {}
        for d_id, title in con.execute("SELECT id, title FROM dossiers"):
            dossiers[title] = {
                "items": [tuple(r) for r in con.execute(
                    "SELECT position, highlight_id, commentary FROM dossier_items "
                    "WHERE dossier_id = ? ORDER BY position", (d_id,))],
                "redactions": sorted(tuple(r) for r in con.execute(
                    f"SELECT text, {label} FROM redactions WHERE dossier_id = ?", (d_id,)))}
        pages = "page_geometry" in [r[1] for r in con.execute("PRAGMA table_info(highlights)")]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        connections = "entities" in tables and {  # schema 0005 on: connections between sources
            "copies": sorted(tuple(r) for r in con.execute(
                "SELECT a.sha256, b.sha256, c.status FROM document_copies c "
                "JOIN documents a ON a.id = c.first_id JOIN documents b ON b.id = c.second_id")),
            "entities": sorted((k, n, tuple(sorted(r[0] for r in con.execute(
                "SELECT name FROM entity_names WHERE entity_id = ?", (i,)))))
                for i, k, n in con.execute("SELECT id, kind, name FROM entities")),
            "entity_rules": sorted(r[0] for r in con.execute(
                "SELECT e.name FROM redactions r JOIN entities e ON e.id = r.entity_id")),
            "events": sorted(tuple(r) for r in con.execute(
                "SELECT statement, date_text, date_from, date_to, status FROM events")),
            "links": sorted(tuple(r) for r in con.execute(
                "SELECT a.quote, b.quote, l.relation FROM highlight_links l "
                "JOIN highlights a ON a.id = l.first_id JOIN highlights b ON b.id = l.second_id")),
            "chronology_items": con.execute(
                "SELECT count(*) FROM dossier_items WHERE kind = 'chronology'").fetchone()[0],
        }
        return {
            "connections": connections,
            "pages": pages and {  # schema 0004 on: the page as evidence
                "geometry": sorted((q, g) for q, g in con.execute(
                    "SELECT quote, page_geometry FROM highlights "  # JSON null is stored as 'null'
                    "WHERE coalesce(page_geometry, 'null') != 'null'")),
                "facsimiles": sorted(tuple(r) for r in con.execute(
                    "SELECT highlight_id, facsimile_pages FROM dossier_items WHERE facsimile")),
                "areas": sorted(r[0] for r in con.execute(
                    "SELECT area FROM redactions WHERE coalesce(area, 'null') != 'null'")),
            },
            "documents": sorted(tuple(r) for r in con.execute(
                "SELECT sha256, title FROM documents")),
            "highlights": sorted((q, n, tuple(sorted(tagged.get(i, [])))) for i, q, n in
                                 con.execute("SELECT id, quote, note FROM highlights")),
            "dossiers": dossiers,
            "audit": [r[0] for r in con.execute("SELECT hash FROM audit_events ORDER BY id")],
            "labels": label != "NULL",
        }
    finally:
        con.close()


def shown(wb: Workbench) -> dict[str, Any]:
    """The same, as today's code shows it."""
    dossiers: dict[str, Any] = {}
    for d in wb.list_dossiers():
        view = wb.get_dossier(d["id"])
        dossiers[d["title"]] = {
            "items": [(e["position"], e["highlight_id"], e["commentary"])
                      for e in view["entries"]],
            "redactions": sorted((r["text"], r["label"]) for r in wb.list_redactions(d["id"]))}
    return {
        "documents": sorted((d["sha256"], d["title"]) for d in wb.list_documents()),
        "highlights": sorted((h["quote"], h["note"], tuple(sorted(h["tags"])))
                             for h in wb.list_highlights()),
        "dossiers": dossiers,
    }


def _pages_shown(wb: Workbench) -> dict[str, Any]:
    """The page geometry, facsimile items and area rules as today's code shows them, in the
    kept database's JSON text (sorted keys are how both write it)."""
    import json

    def text(value: Any) -> str:
        return json.dumps(value, separators=(", ", ": "))

    facsimiles = []
    areas = []
    for d in wb.list_dossiers():
        facsimiles += [(e["highlight_id"], e["facsimile_pages"])
                       for e in wb.get_dossier(d["id"])["entries"] if e.get("facsimile")]
        areas += [text(r["area"]) for r in wb.list_redactions(d["id"]) if r.get("area")]
    return {"geometry": sorted((h["quote"], text(h["page_geometry"]))
                               for h in wb.list_highlights() if h.get("page_geometry")),
            "facsimiles": sorted(facsimiles), "areas": sorted(areas)}


def _connections_shown(wb: Workbench) -> dict[str, Any]:
    """Copies, entities, entity rules, events, links and chronology sections as today's code
    shows them."""
    docs = {d["id"]: d["sha256"] for d in wb.list_documents()}
    copies = set()
    for doc_id, sha in docs.items():
        for c in wb.copies(doc_id):
            pair = sorted([(doc_id, sha), (c["document_id"], c["sha256"])])
            copies.add((pair[0][1], pair[1][1], c["status"]))
    rules, chronology = [], 0
    for d in wb.list_dossiers():
        rules += [r["entity"] for r in wb.list_redactions(d["id"]) if r.get("entity_id")]
        chronology += sum(e.get("kind") == "chronology"
                          for e in wb.get_dossier(d["id"])["entries"])
    links = set()
    for h in wb.list_highlights():
        for link in wb.highlight_links(h["id"]):
            pair = sorted([h["quote"], link["other"]["quote"]])
            links.add((pair[0], pair[1], link["relation"]))
    return {
        "copies": sorted(copies),
        "entities": sorted((e["kind"], e["name"], tuple(sorted(e["names"])))
                           for e in wb.list_entities()),
        "entity_rules": sorted(rules),
        "events": sorted((e["statement"], e["date"]["text"], e["date"]["from"], e["date"]["to"],
                          e["status"]) for e in wb.list_events()),
        "links": sorted(links),
        "chronology_items": chronology,
    }


@pytest.mark.parametrize("kept", KEPT, ids=[p.name for p in KEPT])
def test_kept_library_opens_upgraded_and_intact(kept: Path, tmp_path: Path) -> None:
    before = held(kept / "library.sqlite")
    # The kept library is worth testing: it holds each kind of thing.
    assert len(before["documents"]) >= 2 and len(before["audit"]) >= 5
    assert any(tags for _q, _n, tags in before["highlights"])
    assert any(d["items"] for d in before["dossiers"].values())
    if before["labels"]:  # from schema 0002: a redaction with its printed label
        assert ("Tomoya Obokata", "witness safety") in [
            r for d in before["dossiers"].values() for r in d["redactions"]]
    revision = kept.name.removeprefix("schema-")

    lib = tmp_path / "lib"
    shutil.copytree(kept, lib)
    with Workbench.open(lib) as wb:
        engine = wb.library.store.engine
        head = head_revision(engine)
        assert current_revision(engine) == head
        check = wb.verify()
        assert check["ok"], check["problems"]
        assert check["documents_checked"] == len(before["documents"])
        assert check["audit_events_checked"] >= len(before["audit"])
        after = shown(wb)
        assert after["documents"] == before["documents"]
        assert after["highlights"] == before["highlights"]
        assert after["dossiers"] == before["dossiers"]
        if before["pages"]:
            assert before["pages"]["geometry"] and before["pages"]["facsimiles"]
            assert before["pages"]["areas"]
            assert _pages_shown(wb) == before["pages"]
        if before["connections"]:
            assert all(before["connections"].values()), before["connections"]
            shown_now = _connections_shown(wb)
            # a link is stored once, in one direction: compare them as unordered pairs
            before["connections"]["links"] = sorted(
                (*sorted(x[:2]), x[2]) for x in before["connections"]["links"])
            assert shown_now == before["connections"]
        # The kept folder has no index: it is rebuilt from the database on open.
        assert wb.wait_for_index(60)
        assert wb.search("Obokata").total >= 1
    backups = list((lib / "backups").glob(f"*pre-upgrade-{revision}-*.sqlite"))
    assert len(backups) == (0 if revision == head else 1)
    if backups:
        assert held(backups[0])["audit"] == before["audit"]  # the copy is the old library
    # The audit chain was extended (the upgrade and verify record events), never rewritten.
    assert held(lib / "library.sqlite")["audit"][:len(before["audit"])] == before["audit"]


@pytest.mark.parametrize("kept", KEPT, ids=[p.name for p in KEPT])
def test_an_upgrade_keeps_every_row_of_every_table(kept: Path, tmp_path: Path) -> None:
    """No migration loses a row anywhere (on SQLite a batch-mode table rebuild drops the old
    table, and foreign keys cascade that drop to every row naming it: revision 0008 first did
    so to every highlight's tags)."""
    copy = tmp_path / "lib"
    shutil.copytree(kept, copy)

    def counts() -> dict[str, int]:
        con = sqlite3.connect(copy / "library.sqlite")
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
            return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            con.close()

    before = counts()
    with Workbench.open(copy, program="test-upgrade"):
        pass
    after = counts()
    # The upgrade itself adds audit events (and new tables start empty); nothing may shrink.
    lost = {t: (n, after.get(t, 0)) for t, n in before.items() if after.get(t, 0) < n}
    assert not lost, f"rows lost by the upgrade (table: before, after): {lost}"
