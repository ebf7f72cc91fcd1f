"""File → New shared library…, through the real dialog, on the paths that need no server: a
URL that is not PostgreSQL's, one holding a password, a server that cannot be reached and a
marker folder that is not empty are each said in the dialog, in the core's words, with the
field to fix focused, and nothing is made. (With a server: tests/pg/test_shared_library_ui.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt


def open_dialog(window: Any) -> Any:
    window.acts["new_shared_library"].trigger()  # File → New shared library…
    dialog = window.shared_dialog
    assert dialog.isVisible()
    return dialog


def fill(qtbot: Any, dialog: Any, url: str, store: Path, marker: Path, name: str = "") -> None:
    qtbot.keyClicks(dialog.url, url)
    qtbot.keyClicks(dialog.store, str(store))
    if name:
        qtbot.keyClicks(dialog.name, name)
    dialog.marker.clear()
    qtbot.keyClicks(dialog.marker, str(marker))


def click_create(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)


def click_ok(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(("url", "said"), [
    ("mysql://me@db.example.org/case", "Not a PostgreSQL URL"),
    ("postgresql://me:hunter2@db.example.org/case", "holds a password"),
    ("postgresql://me@/case?host=/nonexistent-socket-dir", "Cannot reach the shared library"),
])
def test_a_bad_server_address_is_said_in_the_dialog(window: Any, qtbot: Any, tmp_path: Path,
                                                    url: str, said: str) -> None:
    dialog = open_dialog(window)
    fill(qtbot, dialog, url, tmp_path / "originals", tmp_path / "marker")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert said in dialog.error.text(), dialog.error.text()
    assert "hunter2" not in dialog.error.text()
    assert dialog.focusWidget() is dialog.url  # the field to fix
    assert not (tmp_path / "marker").exists()  # nothing made
    assert dialog.create_button.isEnabled()  # and the person can try again


def test_a_marker_folder_that_is_not_empty_is_the_field_to_fix(window: Any, qtbot: Any,
                                                               tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    dialog = open_dialog(window)
    fill(qtbot, dialog, "postgresql://me@db.example.org/case", tmp_path / "originals", taken)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "not empty" in dialog.error.text()
    assert dialog.focusWidget() is dialog.marker
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]


def test_the_marker_is_suggested_from_the_case_name_and_the_window_is_unchanged(
        window: Any, qtbot: Any, library_path: Path) -> None:
    dialog = open_dialog(window)
    qtbot.keyClicks(dialog.name, "Xinjiang")
    assert Path(dialog.marker.text()).name == "Xinjiang"
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.session.path == library_path  # the open library stays open


def test_enter_in_a_field_creates_rather_than_browses(window: Any, qtbot: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Walk: the first Browse… button was drawn as the dialog's default, and Enter opened the
    # folder picker instead of creating.
    from PySide6.QtWidgets import QFileDialog

    browsed: list[Any] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: browsed.append(a) or ""))
    dialog = open_dialog(window)
    fill(qtbot, dialog, "mysql://me@db.example.org/case", tmp_path / "o", tmp_path / "m")
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    assert not browsed
    assert "Not a PostgreSQL URL" in dialog.error.text()
    assert dialog.create_button.isDefault()


def test_the_error_makes_room_instead_of_squeezing_the_fields(window: Any, qtbot: Any,
                                                              tmp_path: Path) -> None:
    # Walk: a three-line error shown under the form squeezed every field and hint.
    dialog = open_dialog(window)
    fill(qtbot, dialog, "postgresql://me@/case?host=/nonexistent-socket-dir", tmp_path / "o",
         tmp_path / "m")
    click_create(qtbot, dialog)
    assert dialog.error.isVisible()
    qtbot.wait(50)
    for field in dialog.fields.values():
        assert field.height() >= field.sizeHint().height(), field.accessibleName()
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
