"""DOCX and ODT through the import pipeline: text in order, tables, file properties, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.support.formats import make_docx, make_odt
from workbench.extract.docx import OLE_MAGIC
from workbench.services import Workbench


def _import(wb: Workbench, *paths: Path) -> dict[str, Any]:
    report, _ = wb.import_paths(list(paths))
    return report.to_json()


def test_docx_text_tables_and_properties(wb: Workbench, tmp_path: Path,
                                         corpus_texts: dict[str, str]) -> None:
    paras = [p for p in corpus_texts["un-special-rapporteur-forced-labour"].split("\n\n")
             if p.strip()][:6]
    path = make_docx(tmp_path / "statement.docx", paras, title="Forced labour statement",
                     author="Tomoya Obokata", created=dt.datetime(2022, 8, 16, 9, 30),
                     table=[["Region", "Finding"], ["Xinjiang", "forced labour"]])
    out = _import(wb, path)
    assert out["failed"] == []
    [item] = out["imported"]
    assert item["status"] == "imported" and item["pages"] == 1
    info = wb.show_document(item["id"])
    assert info["kind"] == "docx" and info["title"] == "Forced labour statement"
    assert info["author"] == "Tomoya Obokata"
    assert (info["published"] or "").startswith("2022-08-16")
    assert info["language"] == "en"
    assert info["media_type"].endswith("wordprocessingml.document")
    text = wb.document_text(item["id"]).text
    assert text.index(paras[0][:40]) < text.index(paras[-1][:40])  # reading order kept
    assert "Xinjiang\tforced labour" in text
    assert info["text_layers"][0]["extractor"] == "python-docx"


def test_odt_text_and_properties(wb: Workbench, tmp_path: Path) -> None:
    path = make_odt(tmp_path / "notes.odt", "Interview notes",
                    ["Le témoin décrit les conditions de détention dans le camp.",
                     "Les gardes confisquaient les passeports des travailleurs."],
                    title="Notes d'entretien", author="Claire Dubois",
                    created="2021-11-05T14:00:00")
    [item] = _import(wb, path)["imported"]
    info = wb.show_document(item["id"])
    assert info["kind"] == "odt" and info["title"] == "Notes d'entretien"
    assert info["author"] == "Claire Dubois" and info["published"] == "2021-11-05"
    assert info["language"] == "fr"
    text = wb.document_text(item["id"]).text
    assert text.startswith("Interview notes\nLe témoin")
    assert "passeports" in text


def test_broken_office_files_fail_clearly_and_the_batch_goes_on(wb: Workbench,
                                                                tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", ["A good document about the hearing."])
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good.read_bytes()[:300])
    protected = tmp_path / "protected.docx"
    protected.write_bytes(OLE_MAGIC + b"\x00" * 600)
    not_odt = tmp_path / "notes.odt"
    not_odt.write_bytes(b"just some text, not a package")
    out = _import(wb, truncated, protected, good, not_odt)
    assert [Path(i["path"]).name for i in out["imported"]] == ["good.docx"]
    failed = {Path(f["path"]).name: f for f in out["failed"]}
    assert failed["truncated.docx"]["status"] == "unreadable"
    assert "Word document" in failed["truncated.docx"]["error"]
    assert failed["protected.docx"]["status"] == "encrypted"
    assert "password" in failed["protected.docx"]["error"]
    assert failed["notes.odt"]["status"] == "unreadable"
    assert not list(wb.library.tmp_dir.glob("children-*"))
