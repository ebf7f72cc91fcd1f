"""Dossier → Check files for redacted names, driven through the real widgets: the menu opens it,
the names are typed, files and a folder are added through the file dialogs, Check is clicked,
and the table lists where each name can be read — never the name itself."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

NAME = "Ekpar Asat"


def _files(tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "to-send"
    folder.mkdir()
    (folder / "clean.txt").write_text("Nothing to see here.", encoding="utf-8")
    with zipfile.ZipFile(folder / "bundle.zip", "w") as zf:
        zf.writestr("notes.html", "<p>Interview with Ekpar&#95;Asat.</p>".encode("utf-16"))
    single = tmp / "memo.txt"
    single.write_bytes("Memo about ЕKPAR ASAT (GBK).".encode("gb18030"))
    return folder, single


def test_check_files_from_the_menu(window: Any, qtbot: Any, tmp_path: Path,
                                   monkeypatch: Any) -> None:
    folder, single = _files(tmp_path)
    window.acts["leak_scan"].trigger()
    dialog = window.leak_scan_dialog
    assert dialog.isVisible()

    # Check with nothing typed: a hint, no scan.
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "at least one name" in dialog.status.text()

    dialog.terms.setFocus()
    qtbot.keyClicks(dialog.terms, NAME)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(single)], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(folder)))
    buttons = {b.text().replace("&", ""): b for b in dialog.findChildren(type(dialog.check_button))}
    qtbot.mouseClick(buttons["Add files…"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["Add folder…"], Qt.MouseButton.LeftButton)
    assert dialog.files.count() == 2

    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    table = dialog.table
    files_hit = {Path(table.text(r, 0)).name for r in range(table.row_count())
                 if table.text(r, 3) != "no name found"
                 and not table.text(r, 3).startswith("could not")}
    assert {"memo.txt", "bundle.zip"} <= files_hit
    assert "clean.txt" not in files_hit
    assert "can still be read" in dialog.status.text()
    shown = " ".join(table.text(r, c) for r in range(table.row_count()) for c in range(4))
    shown += dialog.status.text()
    assert "kpar" not in shown.lower() and "asat" not in shown.lower()

    dialog.terms.selectAll()
    qtbot.keyClicks(dialog.terms, "Someone Else")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert dialog.outcome["findings"] == []
    assert "No name found" in dialog.status.text()
    dialog.reject()


# --- what the walk at 1600x1000 and 1024x700 found --------------------------------------------


def _dialog(window: Any) -> Any:
    window.acts["leak_scan"].trigger()
    return window.leak_scan_dialog


def test_a_file_added_twice_is_checked_once_and_clean_files_are_listed(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    folder, single = _files(tmp_path)
    dialog = _dialog(window)
    qtbot.keyClicks(dialog.terms, NAME)
    dialog.add_paths([folder / "bundle.zip", folder, single])
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert dialog.outcome["files"] == 3  # bundle.zip once, although added twice
    rows = [[dialog.table.text(r, c) for c in range(4)] for r in range(dialog.table.row_count())]
    clean = [r for r in rows if r[3] == "no name found"]
    assert [Path(r[0]).name for r in clean] == ["clean.txt"]
    assert "in 2 of 3 files" in dialog.status.text()
    # The full path is there to tell two files of one name apart.
    assert any(r[0].endswith("to-send/clean.txt") for r in clean)
    dialog.reject()


def test_changing_the_files_clears_old_results(window: Any, qtbot: Any, tmp_path: Path) -> None:
    folder, single = _files(tmp_path)
    dialog = _dialog(window)
    qtbot.keyClicks(dialog.terms, NAME)
    dialog.add_paths([single])
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert dialog.table.row_count() == 1
    dialog.add_paths([folder])
    assert dialog.table.row_count() == 0 and dialog.outcome is None
    assert "press Check" in dialog.status.text()
    dialog.reject()


def test_enter_in_the_file_list_checks_instead_of_opening_a_file_dialog(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    _folder, single = _files(tmp_path)
    opened: list[int] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: (opened.append(1), ([], ""))[1]))
    dialog = _dialog(window)
    qtbot.keyClicks(dialog.terms, NAME)
    buttons = {b.text().replace("&", ""): b for b in dialog.findChildren(type(dialog.check_button))}
    qtbot.mouseClick(buttons["Add files…"], Qt.MouseButton.LeftButton)
    assert opened == [1]
    dialog.add_paths([single])
    dialog.files.setFocus()
    dialog.files.setCurrentRow(0)
    qtbot.keyClick(dialog.files, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30000)
    assert opened == [1]
    dialog.reject()


def test_cancel_keeps_what_was_found_so_far(tmp_path: Path) -> None:
    from ui.operations.leakscan import scan
    from workbench.progress import CancelToken

    folder, single = _files(tmp_path)

    class Task:
        cancel = CancelToken()
        seen = 0

        def report(self, p: Any) -> None:
            self.seen += 1
            if self.seen == 2:  # cancelled while the second file is being checked
                self.cancel.cancel()

    result = scan([single, folder], [NAME], Task())
    assert result["cancelled"] is True
    # The file being checked when Cancel came is finished; the third is never started.
    assert [Path(f[0]).name for f in result["findings"]] == ["memo.txt", "bundle.zip"]
    assert (result["files"], result["total"]) == (2, 3)


def test_the_open_dossiers_terms_can_be_added(window: Any, qtbot: Any, tmp_path: Path) -> None:
    from tests.ui.conftest import facade

    src = tmp_path / "w.txt"
    src.write_text("The witness Ekpar Asat spoke.", encoding="utf-8")
    facade(window, lambda wb: wb.import_paths([src]))
    doc = facade(window, lambda wb: wb.list_documents())[0]["id"]
    did = facade(window, lambda wb: wb.create_dossier("Terms").dossier_ids[0])
    facade(window, lambda wb: wb.add_item(did, document=doc))
    facade(window, lambda wb: wb.redact_term(did, NAME, "witness safety"))
    if window.builder is None:
        return
    window.builder.open_dossier(did)
    dialog = _dialog(window)
    qtbot.mouseClick(dialog.dossier_terms_button, Qt.MouseButton.LeftButton)
    assert dialog.term_list() == [NAME]
    dialog.reject()
