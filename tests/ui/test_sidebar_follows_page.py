"""The sidebar's selection follows the page the window shows: after View → Entities
(Ctrl+2), Chronology (Ctrl+3) or the dossier builder opened from the menu, "All documents"
stayed highlighted as if the documents list were shown. Each now highlights its own entry,
without choosing it again (no navigation is triggered by the follow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import facade
from workbench.changes import Changes


def _settle(qtbot: Any) -> None:
    QApplication.processEvents()
    qtbot.wait(10)


def test_the_sidebar_highlights_the_page_shown(window: Any, qtbot: Any,
                                               tmp_path: Path) -> None:
    if window.entities is None or window.chronology is None or window.builder is None:
        pytest.fail("this core build lacks entities, the chronology or dossiers")
    (tmp_path / "camp.txt").write_text("The camp was enlarged in 2016.\n", encoding="utf-8")
    window.imports.start([tmp_path / "camp.txt"])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()

    def work(wb: Any) -> list[int]:
        return [int(wb.create_dossier(title).dossier_ids[0])
                for title in ("Camp case", "Transfers")]

    first, second = facade(window, work)
    window.session.broadcast(Changes(dossiers=True))
    window.showNormal()
    window.resize(1024, 700)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    window.show_documents()
    _settle(qtbot)
    sidebar = window.sidebar
    assert sidebar.current_choice() == ("all", None)
    chosen: list[tuple[str, Any]] = []
    sidebar.chosen.connect(lambda kind, payload: chosen.append((kind, payload)))

    qtbot.keySequence(window, QKeySequence("Ctrl+2"))
    _settle(qtbot)
    assert window.middle.currentWidget() is window.entities
    assert sidebar.current_choice() == ("entities", None)

    qtbot.keySequence(window, QKeySequence("Ctrl+3"))
    _settle(qtbot)
    assert window.middle.currentWidget() is window.chronology
    assert sidebar.current_choice() == ("chronology", None)
    # A refresh of the sidebar (a change in the library) keeps it, and stays on the page.
    window.session.broadcast(Changes(tags=True))
    _settle(qtbot)
    assert sidebar.current_choice() == ("chronology", None)
    assert window.middle.currentWidget() is window.chronology

    window.acts["show_dossiers"].trigger()  # View → Dossier builder (Ctrl+5)
    _settle(qtbot)
    builder = window.builder
    assert window.middle.currentWidget() is builder and builder.dossier_id is not None
    assert sidebar.current_choice() == ("dossier", builder.dossier_id)
    # Another dossier chosen in the builder: the sidebar follows.
    other = second if builder.dossier_id == first else first
    builder.chooser.setCurrentIndex(builder.chooser.findData(other))
    builder.chooser.activated.emit(builder.chooser.currentIndex())
    _settle(qtbot)
    assert builder.dossier_id == other
    assert sidebar.current_choice() == ("dossier", other)

    qtbot.keySequence(window, QKeySequence("Ctrl+1"))
    _settle(qtbot)
    assert window.middle.currentWidget() is window.documents
    assert sidebar.current_choice() == ("all", None)
    assert chosen == []  # followed, never chosen again

    # Chosen in the sidebar itself, as before: the page is shown.
    sidebar.select("entities", None)
    _settle(qtbot)
    assert window.middle.currentWidget() is window.entities
    assert chosen == [("entities", None)]
