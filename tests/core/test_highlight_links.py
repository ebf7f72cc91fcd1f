"""Links between highlights (issue 18 §4): corroborates, contradicts, same-event, with a
private note; listed from either end, audited, dropped with a highlight; carried by the W3C
export as ``linking`` annotations that an import restores; and listed under a dossier exhibit
as "Corroborated by:" with each source's citation, through the dossier's redactions."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.libraries import copy_library, make_library
from workbench.errors import NotFound, UserError

TEXTS = {
    "a-sister.txt": "Sister's account\n\nA man from Ghulja was detained in Urumqi in March "
                    "2018, his sister said. He had returned from Istanbul a month before.",
    "b-foundation.txt": "Foundation report\n\nEkpar Asat was detained in Urumqi in 2018, "
                        "the foundation said, after he came back from a programme abroad.",
    "c-officials.txt": "Official statement\n\nOfficials said Ekpar Asat was never detained "
                       "and that reports of his detention were fabricated.",
    "d-relatives.txt": "Relatives speak\n\nRelatives of Ekpar Asat reported the detention in "
                       "Urumqi to the working group on enforced disappearances.",
}
NAME = "Ekpar Asat"


def _open(path: Path) -> Any:
    from workbench.library import Library
    from workbench.services import Workbench

    return Workbench(Library.open(path, attach_index=False))


def _make_library(root: Path) -> Path:
    src = root / "files"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / name).write_text(text, encoding="utf-8")
    make_library(root / "lib")
    wb = _open(root / "lib")
    try:
        report, _ = wb.import_paths(sorted(src.iterdir()))
        assert len(report.imported) == 4
    finally:
        wb.close()
    return root / "lib"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_library(tmp_path_factory.mktemp("links"))


def _highlights(wb: Any) -> dict[str, int]:
    letters = {"Sister's account": "a", "Foundation report": "b", "Official statement": "c",
               "Relatives speak": "d"}
    docs = {letters[d["title"]]: d["id"] for d in wb.list_documents()}
    return {
        "a": wb.add_highlight(docs["a"], quote="detained in Urumqi in March 2018").highlight_ids[0],
        "b": wb.add_highlight(docs["b"], quote=f"{NAME} was detained in Urumqi in 2018",
                              note="call the foundation").highlight_ids[0],
        "c": wb.add_highlight(docs["c"], quote=f"{NAME} was never detained").highlight_ids[0],
        "d": wb.add_highlight(docs["d"], quote=f"Relatives of {NAME} reported the "
                                               "detention").highlight_ids[0],
    }


@pytest.fixture
def bench(template: Path, tmp_path: Path) -> Iterator[tuple[Any, dict[str, int]]]:
    copy_library(template, tmp_path / "lib")
    wb = _open(tmp_path / "lib")
    try:
        yield wb, _highlights(wb)
    finally:
        wb.close()


# --- linking -----------------------------------------------------------------------------------


def test_a_link_is_listed_from_both_ends_with_its_note_and_audited(bench) -> None:
    wb, h = bench
    ch = wb.link_highlights(h["a"], h["b"], "corroborates", note="same month, same city")
    assert ch.links and ch.highlights and sorted(ch.highlight_ids) == sorted([h["a"], h["b"]])
    wb.link_highlights(h["c"], h["a"], "contradicts")
    from_a = wb.highlight_links(h["a"])
    assert [(x["relation"], x["other"]["highlight_id"]) for x in from_a] == [
        ("corroborates", h["b"]), ("contradicts", h["c"])]
    first = from_a[0]
    assert first["note"] == "same month, same city"
    assert first["other"]["title"] == "Foundation report"
    assert first["other"]["quote"] == f"{NAME} was detained in Urumqi in 2018"
    assert first["other"]["page"] == 1 and first["created_at"].endswith("Z")
    from_b = wb.highlight_links(h["b"])
    assert [(x["relation"], x["other"]["highlight_id"]) for x in from_b] == [
        ("corroborates", h["a"])]
    assert from_b[0]["id"] == first["id"]
    events = [e for e in wb.audit_events(object_type="highlight_link")]
    assert len(events) == 2 and all(e["type"] == "creation" for e in events)
    # The audit log holds ids, never the private note.
    assert "same month" not in json.dumps(events)


def test_a_link_to_itself_a_duplicate_or_an_unknown_relation_is_refused(bench) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    with pytest.raises(UserError, match="itself"):
        wb.link_highlights(h["a"], h["a"], "corroborates")
    with pytest.raises(UserError, match="already"):
        wb.link_highlights(h["b"], h["a"], "corroborates")  # symmetric: the same link
    with pytest.raises(UserError, match="corroborates, contradicts, same-event"):
        wb.link_highlights(h["a"], h["c"], "supports")
    with pytest.raises(NotFound):
        wb.link_highlights(h["a"], 999, "contradicts")
    # Another relation between the same two is a different link.
    wb.link_highlights(h["a"], h["b"], "same-event")
    assert len(wb.highlight_links(h["a"])) == 2


def test_unlink_one_relation_or_all_and_a_missing_link_says_so(bench) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    wb.link_highlights(h["a"], h["b"], "same-event")
    ch = wb.unlink_highlights(h["b"], h["a"], "same-event")
    assert ch.links and sorted(ch.highlight_ids) == sorted([h["a"], h["b"]])
    assert [x["relation"] for x in wb.highlight_links(h["a"])] == ["corroborates"]
    wb.link_highlights(h["a"], h["b"], "same-event")
    wb.unlink_highlights(h["a"], h["b"])
    assert wb.highlight_links(h["a"]) == []
    with pytest.raises(UserError, match="not linked"):
        wb.unlink_highlights(h["a"], h["b"])
    assert [e["type"] for e in wb.audit_events(object_type="highlight_link")] == [
        "creation", "creation", "deletion", "creation", "deletion", "deletion"]


def test_a_link_note_can_be_changed(bench) -> None:
    wb, h = bench
    link = wb.link_highlights(h["a"], h["d"], "same-event")
    lid = wb.highlight_links(h["a"])[0]["id"]
    assert link.links
    wb.set_link_note(lid, "check the date with the relatives")
    assert wb.highlight_links(h["d"])[0]["note"] == "check the date with the relatives"


def test_deleting_a_highlight_drops_its_links(bench) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    wb.link_highlights(h["b"], h["c"], "contradicts")
    event = wb.add_event("The transfer", "March 2018", highlights=[h["b"], h["a"]])
    changes = wb.delete_highlight(h["b"])
    assert wb.highlight_links(h["a"]) == [] and wb.highlight_links(h["c"]) == []
    # the window redraws the links and the chronology; the audit event names what went
    assert changes.links and changes.events
    (deleted,) = [e for e in wb.audit_events(object_type="highlight", object_id=str(h["b"]))
                  if e["type"] == "deletion"]
    assert len(deleted["details"]["links_removed"]) == 2
    assert deleted["details"]["event_sources_removed"] == [event.event_ids[0]]


# --- W3C -------------------------------------------------------------------------------------


def test_w3c_export_carries_links_as_linking_annotations_without_notes(bench, tmp_path) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates", note="PRIVATE-LINK-NOTE")
    wb.link_highlights(h["a"], h["c"], "contradicts")
    out = wb.export_highlights("w3c", tmp_path / "all.jsonld")
    assert out["count"] == 4 and out["links"] == 2
    text = (tmp_path / "all.jsonld").read_text(encoding="utf-8")
    assert "PRIVATE-LINK-NOTE" not in text
    items = json.loads(text)["first"]["items"]
    by_hl = {a["id"]: a for a in items if a["motivation"] == "highlighting"}
    links = [a for a in items if a["motivation"] == "linking"]
    assert len(by_hl) == 4 and len(links) == 2
    for link in links:
        assert link["type"] == "Annotation" and link["id"].startswith("urn:uuid:")
        assert len(link["target"]) == 2 and all(t in by_hl for t in link["target"])
        assert link["body"] == {"type": "TextualBody", "purpose": "classifying",
                                "value": link["body"]["value"]}
    assert sorted(x["body"]["value"] for x in links) == ["contradicts", "corroborates"]
    # One document's highlights: a link leaving the file would name an annotation it lacks.
    one = wb.export_highlights("w3c", tmp_path / "one.jsonld",
                               doc=wb.get_highlight(h["a"])["document_id"])
    assert one["count"] == 1 and one["links"] == 0


def _fresh(template: Path, tmp_path: Path) -> Path:
    """Another library holding the same documents and no highlight."""
    return Path(copy_library(template, tmp_path / "other"))


def test_w3c_import_into_a_fresh_library_restores_the_links(bench, template, tmp_path) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates", note="private")
    wb.link_highlights(h["d"], h["a"], "same-event")
    wb.export_highlights("w3c", tmp_path / "all.jsonld")
    quotes = {k: wb.get_highlight(v)["quote"] for k, v in h.items()}

    other = _fresh(template, tmp_path)
    wb2 = _open(other)
    try:
        report, ch = wb2.import_highlights(tmp_path / "all.jsonld")
        assert report["imported"] == 4 and report["links"] == 2
        assert report["links_imported"] == 2 and report["links_unresolved"] == 0
        assert ch.links
        by_quote = {x["quote"]: x["id"] for x in wb2.list_highlights()}
        a2 = by_quote[quotes["a"]]
        got = {(x["relation"], x["other"]["quote"], x["note"]) for x in wb2.highlight_links(a2)}
        assert got == {("corroborates", quotes["b"], ""), ("same-event", quotes["d"], "")}
        # Again: every highlight and link is already there.
        again, _ = wb2.import_highlights(tmp_path / "all.jsonld")
        assert again["duplicates"] == 4 and again["links_imported"] == 0
        assert again["links_present"] == 2
        assert len(wb2.highlight_links(a2)) == 2
    finally:
        wb2.close()


def test_w3c_import_counts_a_link_whose_highlight_is_not_in_the_file(bench, template,
                                                                     tmp_path) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    data = json.loads(json.dumps(wb_export(wb, tmp_path)))
    items = data["first"]["items"]
    link = next(a for a in items if a["motivation"] == "linking")
    link["target"][1] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    (tmp_path / "broken.jsonld").write_text(json.dumps(data), encoding="utf-8")
    other = _fresh(template, tmp_path)
    wb2 = _open(other)
    try:
        report, _ = wb2.import_highlights(tmp_path / "broken.jsonld")
        assert report["imported"] == 4 and report["links_unresolved"] == 1
        assert all(wb2.highlight_links(x["id"]) == [] for x in wb2.list_highlights())
    finally:
        wb2.close()


def wb_export(wb: Any, tmp_path: Path) -> dict[str, Any]:
    wb.export_highlights("w3c", tmp_path / "x.jsonld")
    data: dict[str, Any] = json.loads((tmp_path / "x.jsonld").read_text(encoding="utf-8"))
    return data


# --- dossier exhibits --------------------------------------------------------------------------


def test_an_exhibit_lists_corroborating_sources_not_contradicting_ones(bench) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    wb.link_highlights(h["a"], h["c"], "contradicts")
    wb.link_highlights(h["d"], h["a"], "same-event")
    d = wb.create_dossier("Detention of a returnee").dossier_ids[0]
    item = wb.add_item(d, highlight=h["a"]).item_ids[0]
    wb.add_item(d, note="A note item.")
    view = wb.dossier_view(d)
    exhibit = view.exhibits[0]
    listed = [(c.relation, c.highlight_id) for c in exhibit.corroborated_by]
    assert listed == [("corroborates", h["b"]), ("same-event", h["d"])]
    first = exhibit.corroborated_by[0]
    assert first.source.title == "Foundation report" and first.page == 1
    assert first.source.short_hash in first.citation and "Page: 1" in first.citation
    # The corroborating sources are cited: the appendix and CSL list them.
    assert {"Foundation report", "Relatives speak"} <= {s.title for s in view.sources}
    assert "Official statement" not in {s.title for s in view.sources}
    entry = next(e for e in wb.get_dossier(d)["entries"] if e["id"] == item)
    assert entry["corroboration"] is True

    ch = wb.set_item_corroboration(d, item, False)
    assert ch.dossiers and ch.item_ids == [item]
    assert wb.dossier_view(d).exhibits[0].corroborated_by == []
    note_item = wb.get_dossier(d)["entries"][1]["id"]
    with pytest.raises(UserError, match="highlight"):
        wb.set_item_corroboration(d, note_item, True)
    wb.set_item_corroboration(d, item, True)
    wb.freeze(d)
    with pytest.raises(UserError):
        wb.set_item_corroboration(d, item, False)
    # A new version keeps the choice.
    new = wb.new_version(d).dossier_ids[0]
    wb.set_item_corroboration(new, wb.get_dossier(new)["entries"][0]["id"], False)
    copy = wb.new_version(new).dossier_ids[0]
    assert wb.get_dossier(copy)["entries"][0]["corroboration"] is False


def test_a_name_only_in_a_corroborating_quote_can_be_redacted(bench) -> None:
    wb, h = bench
    wb.link_highlights(h["a"], h["b"], "corroborates")
    d = wb.create_dossier("Detention").dossier_ids[0]
    wb.add_item(d, highlight=h["a"])
    wb.redact_term(d, NAME, "names a detainee's family")
    view = wb.dossier_view(d, full_text=True)
    quote = view.exhibits[0].corroborated_by[0].quote
    assert NAME not in "".join(s.text for s in quote)
    assert any(s.redacted for s in quote)
    assert wb.get_highlight(h["b"])["document_id"] in view.redacted_documents
    assert NAME not in wb.view_text(d) and "Corroborated by" in wb.view_text(d)


@pytest.fixture(scope="module")
def exported(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("links-export")
    copy_library(template, root / "lib")
    wb = _open(root / "lib")
    try:
        h = _highlights(wb)
        wb.link_highlights(h["a"], h["b"], "corroborates", note="PRIVATE-LINK-NOTE")
        wb.link_highlights(h["a"], h["c"], "contradicts")
        wb.link_highlights(h["a"], h["d"], "same-event")
        d = wb.create_dossier("Detention of a returnee").dossier_ids[0]
        wb.add_item(d, highlight=h["a"])
        wb.redact_term(d, NAME, "names a detainee's family")
        out = {fmt: root / f"dossier.{fmt}" for fmt in ("html", "docx")}
        out["bundle"] = root / "bundle.zip"
        for fmt, path in out.items():
            wb.export(d, fmt, path)
        hashes = {k: wb.show_document(wb.get_highlight(v)["document_id"])["sha256"][:12]
                  for k, v in h.items()}
    finally:
        wb.close()
    return {**out, "hashes": hashes}  # type: ignore[dict-item]


def _texts(exported: dict[str, Any]) -> dict[str, str]:
    import subprocess

    from docx import Document as Docx

    from tests.support.tools import require_program

    html = exported["html"].read_text(encoding="utf-8")
    docx = "\n".join(p.text for p in Docx(str(exported["docx"])).paragraphs)
    with zipfile.ZipFile(exported["bundle"]) as zf:
        pdf_name = next(n for n in zf.namelist() if n.endswith("data/dossier.pdf"))
        pdf_path = exported["html"].with_name("from-bundle.pdf")
        pdf_path.write_bytes(zf.read(pdf_name))
        bundle = "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                           if not n.endswith(".pdf"))
    pdf = subprocess.run([require_program("pdftotext"), "-enc", "UTF-8", str(pdf_path), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    return {"html": html, "docx": docx, "pdf": " ".join(pdf.split()), "bundle": bundle}


def test_every_export_lists_corroborating_sources_with_citations(exported) -> None:
    hashes = exported["hashes"]
    for fmt, text in _texts(exported).items():
        if fmt == "bundle":
            continue
        assert "Corroborated by:" in text, fmt
        assert hashes["b"] in text and hashes["d"] in text, fmt
        assert "Foundation report" in text and "Relatives speak" in text, fmt
        # Contradicting links are never listed.
        assert "never detained" not in text and hashes["c"] not in text, fmt


def test_a_redacted_name_in_a_linked_quote_is_gone_from_every_export(exported) -> None:
    for fmt, text in _texts(exported).items():
        assert "Ekpar" not in text and "PRIVATE-LINK-NOTE" not in text, fmt
    with zipfile.ZipFile(exported["bundle"]) as zf:
        readme = next(zf.read(n).decode() for n in zf.namelist() if n.endswith("README.txt"))
    # The corroborating originals hold the name: withheld from the bundle, and said so.
    assert "Foundation report" in readme and "Relatives speak" in readme
