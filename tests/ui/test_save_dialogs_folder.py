"""Every save dialog opens in the folder of the last export and remembers the folder of a file
it wrote: only the dossier export did (session 16's walk); the chronology and passages exports
opened in the working directory and "Save original bytes" in the home folder, so each meant
browsing back to the case folder. A dialog cancelled or a save that failed leaves the folder
as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.support.files import make_html_capture
from tests.ui.test_chronology_ui import library, make_events
from tests.ui.test_codebook import click_tag, coded_window
from ui import preferences


def _dialogs(monkeypatch: Any, answers: list[Path | None]) -> list[Path]:
    """Replaces the save dialog: records the path it was offered, answers the next of
    ``answers`` (None: the user cancelled)."""
    offered: list[Path] = []

    def save_as(_parent: Any, _caption: str = "", start: str = "", *a: Any,
                **k: Any) -> tuple[str, str]:
        offered.append(Path(k.get("dir", start)))
        answer = answers.pop(0)
        return ("" if answer is None else str(answer), "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    return offered


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_the_chronology_export_opens_in_the_last_exports_folder(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    ids = library(window, tmp_path)
    make_events(window, ids)
    panel = window.chronology
    case = _folder(tmp_path, "case A")
    preferences.remember_export_folder(case / "dossier.pdf")  # a dossier exported there
    court = _folder(tmp_path, "court")
    offered = _dialogs(monkeypatch, [court / "events", None, court / "again.docx"])
    panel.export_actions["csv"].trigger()  # Export ▸ CSV…
    assert offered[0] == case / "Chronology.csv"
    assert (court / "events.csv").exists()
    assert preferences.export_folder() == court  # the dossier's dialog opens there next
    panel.export_actions["docx"].trigger()  # cancelled
    assert offered[1] == court / "Chronology.docx"
    assert preferences.export_folder() == court
    panel.export_actions["docx"].trigger()
    assert offered[2] == court / "Chronology.docx" and (court / "again.docx").exists()


def test_the_passages_export_opens_in_the_last_exports_folder(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    coded_window(window, tmp_path)
    panel = window.codebook
    click_tag(qtbot, panel, "Abuse")
    case = _folder(tmp_path, "case A")
    preferences.remember_export_folder(case / "chronology.csv")
    notes = _folder(tmp_path, "notes")
    offered = _dialogs(monkeypatch, [notes / "abuse.csv", None, notes / "abuse"])
    qtbot.mouseClick(panel.passages.csv_button, Qt.MouseButton.LeftButton)
    assert offered[0] == case / "Abuse passages.csv"
    assert (notes / "abuse.csv").exists() and preferences.export_folder() == notes
    qtbot.mouseClick(panel.passages.docx_button, Qt.MouseButton.LeftButton)  # cancelled
    assert preferences.export_folder() == notes
    qtbot.mouseClick(panel.passages.docx_button, Qt.MouseButton.LeftButton)
    assert offered[2] == notes / "Abuse passages.docx" and (notes / "abuse.docx").exists()


def test_save_original_bytes_opens_in_the_last_exports_folder(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    html = make_html_capture(tmp_path / "capture.html", "Capture",
                             "<p>Statement of the witness.</p>", url="https://example.org/a")
    window.imports.start([html])
    window.imports.plan_dialog.accept()
    window.documents.table.selectRow(0)
    viewer = window.viewer
    viewer.tabs.setCurrentWidget(viewer.original)
    case = _folder(tmp_path, "case A")
    preferences.remember_export_folder(case / "passages.docx")
    originals = _folder(tmp_path, "originals")
    blocked = _folder(tmp_path, "blocked")
    (blocked / "a folder").mkdir()  # copying onto a folder fails
    errors: list[BaseException] = []
    monkeypatch.setattr(window.session.presenter, "show", lambda exc, *a: errors.append(exc))
    offered = _dialogs(monkeypatch, [blocked / "a folder", originals / "capture.html"])
    qtbot.mouseClick(viewer.original.save_button, Qt.MouseButton.LeftButton)
    assert offered[0] == case / "capture.html"
    assert errors and preferences.export_folder() == case  # nothing was written there
    qtbot.mouseClick(viewer.original.save_button, Qt.MouseButton.LeftButton)
    assert offered[1] == case / "capture.html"
    assert (originals / "capture.html").read_bytes() == html.read_bytes()
    assert preferences.export_folder() == originals
