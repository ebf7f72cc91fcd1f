"""The Chronology page at 1600x1000 and 1024x700 (session 17, a fresh-user walk): its buttons
wrapped onto a second row at 1600 and onto four at 1024, and at 1024 the Status and Tags
columns stepped aside, so no one could see which events are disputed. Now Export CSV / DOCX
is one "Export" menu button, the actions take one row at 1600 and two at 1024, the Status
column stays at 1024 (the sources, when their column steps aside, are read under the
statement), and every action has an Alt-letter that nothing else in the window uses."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QMenu

from tests.ui.conftest import backup_reminder_shown, facade
from tests.ui.test_chronology_ui import library, make_events
from tests.ui.test_menu_mnemonics import _mnemonic
from tests.ui.test_window_fit import _cut_buttons, _overlaps
from workbench.changes import Changes


def _page(window: Any, tmp_path: Path, size: tuple[int, int]) -> Any:
    ids = library(window, tmp_path)
    make_events(window, ids)
    first = facade(window, lambda wb: wb.list_events())[1]["id"]
    facade(window, lambda wb: wb.edit_event(first, status="disputed"))
    window.session.broadcast(Changes(events=True))
    window.open_document(ids["camp"])  # the viewer beside the page, as it is used
    window.show_chronology()
    window.resize(*size)
    QApplication.processEvents()
    assert backup_reminder_shown(window)  # measured as a new user meets the page
    assert window.size() == QSize(*size)
    return window.chronology


def _action_rows(panel: Any) -> int:
    """How many rows the action buttons (and the status box) take."""
    widgets = [b for b in panel.buttons.values() if b.isVisibleTo(panel)]
    widgets.append(panel.status)
    centres = sorted(w.mapTo(panel, w.rect().center()).y() for w in widgets)
    # a combo box sits a pixel lower than the buttons beside it: one row all the same
    return 1 + sum(1 for a, b in pairwise(centres) if b - a > 10)


def test_the_actions_take_one_row_at_1600_and_two_at_1024(
        window: Any, tmp_path: Path, qtbot: Any, theme_mode: str) -> None:
    panel = _page(window, tmp_path, (1600, 1000))
    assert _action_rows(panel) == 1
    assert _cut_buttons(panel) == [] and _overlaps(panel) == []
    window.grab().save(str(tmp_path / f"chronology-{theme_mode}-1600.png"))
    window.resize(1024, 700)
    QApplication.processEvents()
    assert _action_rows(panel) <= 2
    assert _cut_buttons(panel) == [] and _overlaps(panel) == []


def test_export_is_one_menu_button_with_csv_and_docx(
        window: Any, tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    panel = _page(window, tmp_path, (1024, 700))
    texts = [b.text().replace("&", "") for b in panel.buttons.values()]
    assert not any(t.startswith("Export CSV") or t.startswith("Export DOCX") for t in texts)
    export = panel.buttons["export"]
    menu = export.menu()
    assert isinstance(menu, QMenu)
    entries = [a.text().replace("&", "") for a in menu.actions()]
    assert entries == ["CSV (spreadsheet)…", "DOCX (Word document)…"]
    # by keyboard: Alt+X opens the menu, C chooses CSV
    target = tmp_path / "by-keys.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, choose)
            return
        qtbot.keyClick(popup, Qt.Key.Key_C)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    panel.table.setFocus()
    QTimer.singleShot(0, choose)
    qtbot.keyClick(panel.table, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(target.exists, timeout=5000)
    assert panel.info.text() == f"Wrote 3 events to {target}"


def test_the_status_column_stays_at_1024_and_the_sources_are_still_read(
        window: Any, tmp_path: Path, qtbot: Any, theme_mode: str) -> None:
    panel = _page(window, tmp_path, (1024, 700))
    table = panel.table
    header = table.horizontalHeader()
    window.grab().save(str(tmp_path / f"chronology-{theme_mode}-1024.png"))
    assert not header.isSectionHidden(2), "the Status column stepped aside"
    widest = max(table.fontMetrics().horizontalAdvance(s) for s in ("undisputed", "disputed"))
    assert header.sectionSize(2) >= widest + 8
    statuses = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert "disputed" in statuses
    assert header.sectionSize(1) >= 150  # the statement keeps room to be read
    shown = sum(header.sectionSize(c) for c in range(header.count())
                if not header.isSectionHidden(c))
    assert shown <= table.viewport().width()
    # every event's source is read, in its column or under the statement, none cut short
    QApplication.processEvents()
    fm = table.fontMetrics()
    for row, ev in enumerate(panel.events):
        title = ev["sources"][0]["title"]
        col = 4 if not header.isSectionHidden(4) else 1
        where = table.item(row, col).text()
        assert title[:20] in where, (row, where)
        wrapped = fm.boundingRect(QRect(0, 0, header.sectionSize(col) - 14, 10_000),
                                  int(Qt.TextFlag.TextWordWrap), where).height()
        assert table.rowHeight(row) >= wrapped, (row, table.rowHeight(row), wrapped)
    # wider again, the sources have their column back and the statement is the statement
    window.resize(1600, 1000)
    QApplication.processEvents()
    assert not header.isSectionHidden(4) and not header.isSectionHidden(2)
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == \
        [ev["statement"] for ev in panel.events]


def _window_mnemonics(window: Any) -> dict[str, list[str]]:
    """Every Alt-letter the window answers to while the page is shown: the menu bar's, the
    visible buttons' and labels', and the viewer's Other copies (shown with a copy)."""
    seen: dict[str, list[str]] = {}
    texts = [a.text() for a in window.menuBar().actions()]
    texts += [b.text() for b in window.findChildren(QAbstractButton) if b.isVisible()]
    texts += [lb.text() for lb in window.findChildren(QLabel)
              if lb.isVisible() and lb.buddy() is not None]
    texts.append(window.copies_ui.button.text() if getattr(window, "copies_ui", None)
                 else "Other &copies")
    for text in texts:
        letter = _mnemonic(text)
        if letter is not None:
            seen.setdefault(letter, []).append(text)
    return seen


def test_every_action_has_its_own_alt_letter(window: Any, tmp_path: Path, qtbot: Any) -> None:
    panel = _page(window, tmp_path, (1024, 700))
    for key, button in panel.buttons.items():
        assert _mnemonic(button.text()), f"{key}: {button.text()!r} has no Alt-letter"
    labels = [lb for lb in panel.findChildren(QLabel) if lb.buddy() is not None]
    assert labels and all(_mnemonic(lb.text()) for lb in labels), [lb.text() for lb in labels]
    clashes = {k: v for k, v in _window_mnemonics(window).items() if len(v) > 1}
    assert not clashes, clashes
    # they work: Alt+I edits the chosen event, Alt+S goes to its status
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    panel.table.setCurrentCell(0, 1)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    assert panel.dialog.windowTitle() == "Edit event"
    panel.dialog.reject()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert panel.status.hasFocus()
