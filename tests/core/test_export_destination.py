"""Every export refuses an encrypted library's own folder, where its plaintext would sit among
the encrypted files as if it were protected (README, "Encryption at rest"); an original saved
out of the library is its exact bytes, checked and recorded as an export.

Only the dossier export checked the folder: a chronology, a tag's passages, highlights and an
original (the window copied it itself) were written there in the clear (session 17's walk).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.errors import ExportError
from workbench.services import Workbench

SECRET = "nine words of a good passphrase"
TEXT = "On 5 March 2018 the witness saw the camp gate closed."


def _fill(wb: Workbench, tmp_path: Path) -> dict[str, int]:
    src = tmp_path / "statement.txt"
    src.write_text(TEXT, encoding="utf-8")
    report, _ = wb.import_paths([src])
    doc = report.imported[0].document_id
    assert doc is not None
    hid = wb.add_highlight(doc, quote="the camp gate closed", tags=["Detention"]).highlight_ids[0]
    wb.add_event("The gate was closed", "5 March 2018", highlights=[hid])
    dossier = wb.create_dossier("Case").dossier_ids[0]
    wb.add_item(dossier, highlight=hid)
    return {"doc": doc, "highlight": hid, "dossier": dossier}


@pytest.fixture(params=["encrypted", "plain"])
def library(request: pytest.FixtureRequest,
            tmp_path: Path) -> Iterator[tuple[Workbench, dict[str, int], bool]]:
    encrypted = request.param == "encrypted"
    wb = Workbench.open(tmp_path / "lib", create=True,
                        passphrase=SECRET if encrypted else None)
    try:
        yield wb, _fill(wb, tmp_path), encrypted
    finally:
        wb.close()


EXPORTS: dict[str, Callable[[Workbench, dict[str, int], Path], Any]] = {
    "dossier": lambda wb, ids, out: wb.export(ids["dossier"], "html", out),
    "chronology": lambda wb, ids, out: wb.export_chronology("csv", out),
    "passages": lambda wb, ids, out: wb.export_passages("Detention", "csv", out),
    "highlights": lambda wb, ids, out: wb.export_highlights("w3c", out),
    "original": lambda wb, ids, out: wb.export_original(ids["doc"], out),
}


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_no_export_into_an_encrypted_librarys_folder(
        library: tuple[Workbench, dict[str, int], bool], tmp_path: Path, what: str) -> None:
    wb, ids, encrypted = library
    inside = wb.library.path / f"{what}-export.out"
    if encrypted:
        with pytest.raises(ExportError, match="inside the encrypted library's folder"):
            EXPORTS[what](wb, ids, inside)
        assert not inside.exists()
        assert not [p for p in wb.library.path.iterdir() if "export" in p.name]
        # a name that reaches the folder through ".." is the same folder
        sneaky = tmp_path / "elsewhere" / ".." / "lib" / f"{what}-2.out"
        (tmp_path / "elsewhere").mkdir()
        with pytest.raises(ExportError, match="encrypted library's folder"):
            EXPORTS[what](wb, ids, sneaky)
    else:  # a plain library's folder holds nothing encrypted: nothing to mislead about
        EXPORTS[what](wb, ids, inside)
        assert inside.exists()
    outside = tmp_path / f"{what}-export.out"
    EXPORTS[what](wb, ids, outside)
    assert outside.exists()


def test_an_original_is_saved_byte_for_byte_and_recorded(
        library: tuple[Workbench, dict[str, int], bool], tmp_path: Path) -> None:
    wb, ids, _encrypted = library
    out = wb.export_original(ids["doc"], tmp_path / "saved.txt")
    data = (tmp_path / "saved.txt").read_bytes()
    assert data == TEXT.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    assert out["sha256"] == sha == wb.show_document(ids["doc"])["sha256"]
    assert out["bytes"] == len(data) and out["recorded"] and not out["pending"]
    [event] = [e for e in wb.audit_events() if e["type"] == "dissemination"
               and e["details"].get("format") == "original"]
    assert event["object_id"] == str(ids["doc"]) and event["details"]["sha256"] == out["sha256"]
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]


def test_a_damaged_original_is_not_saved(tmp_path: Path) -> None:
    wb = Workbench.open(tmp_path / "lib", create=True)
    try:
        ids = _fill(wb, tmp_path)
        sha = wb.show_document(ids["doc"])["sha256"]
        stored = wb.library.originals.path_for(sha)
        stored.chmod(0o644)
        stored.write_bytes(b"altered on disk")
        with pytest.raises(ExportError, match="no longer matches its SHA-256"):
            wb.export_original(ids["doc"], tmp_path / "saved.txt")
        assert not (tmp_path / "saved.txt").exists()
        assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    finally:
        wb.close()
