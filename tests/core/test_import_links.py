"""Symbolic links in an import: a folder's links out of it are not followed unless asked.

A folder from someone else (an unpacked archive, a USB stick) can hold ``passwd.txt ->
/etc/passwd``; importing the folder must not take in, and later bundle, whatever the links
point to. Links inside the folder are followed (with loops guarded); a link named on the
command line is the user's own choice. Every link that is not followed is reported, naming
the link and its target, and a followed link's collection record names what it pointed to.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.ingest import ImportOptions
from workbench.ingest_walk import LINK_NOT_FOLLOWED
from workbench.services import Workbench

SECRET = "the secret outside the folder, never to be imported"


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """``folder`` with a real file, links out of it (to /etc/passwd and to a secret file),
    a link to a file inside it, a link to a folder inside it and a loop; ``outside`` holds
    the secret."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "report.txt").write_text("A report that belongs to the folder.", encoding="utf-8")
    (folder / "sub" / "notes.txt").write_text("Notes kept in a sub-folder.", encoding="utf-8")
    os.symlink("/etc/passwd", folder / "link-passwd.txt")
    os.symlink(outside / "secret.txt", folder / "shadow.txt")
    os.symlink(outside, folder / "outside-dir")
    os.symlink("sub/notes.txt", folder / "same-notes.txt")  # inside the folder: followed
    os.symlink("..", folder / "sub" / "loop")  # back to the folder: must not recurse forever
    os.symlink("missing.txt", folder / "broken.txt")
    return folder, outside


def _texts(wb: Workbench) -> str:
    return "\n".join(wb.document_text(d["id"]).text for d in wb.list_documents())


def test_links_out_of_a_folder_are_reported_not_followed(wb: Workbench,
                                                         hostile: tuple[Path, Path]) -> None:
    folder, outside = hostile
    report, _ = wb.import_paths([folder])
    out = report.to_json()
    texts = _texts(wb)
    assert "root:x:0:0" not in texts and SECRET not in texts
    assert not any("root:x:0:0" in (d["title"] or "") for d in wb.list_documents())
    # The in-folder link repeats notes.txt: one document, the other a duplicate of it.
    names = [Path(o["path"]).name for o in out["imported"] + out["duplicates"]]
    assert sorted(names) == ["notes.txt", "report.txt", "same-notes.txt"]
    assert len(out["imported"]) == 2
    skipped = {Path(o["path"]).name: o for o in out["failed"] if o["status"] == LINK_NOT_FOLLOWED}
    assert set(skipped) == {"link-passwd.txt", "shadow.txt", "outside-dir", "loop"}
    assert "/etc/passwd" in skipped["link-passwd.txt"]["error"]
    assert str(outside / "secret.txt") in skipped["shadow.txt"]["error"]
    assert "--follow-links" in skipped["shadow.txt"]["error"]
    assert "loop" in skipped["loop"]["error"]
    broken = next(o for o in out["failed"] if o["path"].endswith("broken.txt"))
    assert broken["status"] == "not found" and "missing.txt" in broken["error"]
    counts = out["counts"]
    assert counts["cannot_import"] == 5 and counts["imported"] == 2


def test_follow_links_imports_what_links_point_to_and_records_it(
        wb: Workbench, hostile: tuple[Path, Path]) -> None:
    folder, outside = hostile
    report, _ = wb.import_paths([folder], ImportOptions(follow_links=True))
    out = report.to_json()
    by_name = {Path(o["path"]).name: o for o in out["imported"]}
    assert {"shadow.txt", "link-passwd.txt"} <= set(by_name)
    assert SECRET in wb.document_text(by_name["shadow.txt"]["id"]).text
    record = wb.show_document(by_name["shadow.txt"]["id"])["collection_record"]
    assert record["original_path"] == str(folder / "shadow.txt")
    assert record["extra"]["link_target"] == str(outside / "secret.txt")
    # the folder the link named is walked too, once, and the loop ends
    assert any(o["path"] == str(folder / "outside-dir" / "secret.txt")
               for o in out["duplicates"])


def test_files_under_a_linked_folder_record_their_real_path(
        wb: Workbench, hostile: tuple[Path, Path], tmp_path: Path) -> None:
    folder, outside = hostile
    (outside / "more.txt").write_text("Another file in the linked folder.", encoding="utf-8")
    report, _ = wb.import_paths([folder], ImportOptions(follow_links=True))
    more = next(o for o in report.to_json()["imported"] if o["path"].endswith("more.txt"))
    record = wb.show_document(more["id"])["collection_record"]
    assert record["original_path"] == str(folder / "outside-dir" / "more.txt")
    assert record["extra"]["link_target"] == str(outside / "more.txt")



def test_a_link_named_on_the_command_line_is_imported_with_its_target(
        wb: Workbench, hostile: tuple[Path, Path]) -> None:
    folder, outside = hostile
    report, _ = wb.import_paths([folder / "shadow.txt"])
    out = report.to_json()
    assert len(out["imported"]) == 1, out
    record = wb.show_document(out["imported"][0]["id"])["collection_record"]
    assert record["extra"]["link_target"] == str(outside / "secret.txt")


def test_a_plain_file_has_no_link_target(wb: Workbench, hostile: tuple[Path, Path]) -> None:
    folder, _ = hostile
    report, _ = wb.import_paths([folder / "report.txt"])
    doc_id = report.to_json()["imported"][0]["id"]
    assert "link_target" not in (wb.show_document(doc_id)["collection_record"]["extra"] or {})


def test_cli_follow_links(library_path: Path, hostile: tuple[Path, Path],
                          capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    folder, _ = hostile
    assert main(["--library", str(library_path), "import", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"shadow.txt: {LINK_NOT_FOLLOWED}" in err and "Traceback" not in err
    # the broken link and the loop still fail; the links out of the folder are read now
    assert main(["--library", str(library_path), "--json", "import", "--follow-links",
                 str(folder)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {Path(o["path"]).name for o in out["imported"]} == {"shadow.txt", "link-passwd.txt"}
    assert {Path(o["path"]).name for o in out["failed"]} == {"broken.txt", "loop"}
