"""Keyboard only, Tab from the sidebar goes through the dossier builder, then on to the reader
(as for the Entities, Chronology and Codebook pages, tests/ui/test_page_tab_order.py). The
builder is made when first shown, so its stops came after everything else in the window: Tab
from the sidebar jumped over it to the reader and the backup bar first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.test_dossier_builder_fits import SIZES, _dossier, _open_at
from tests.ui.test_page_tab_order import _chain, _names


def test_tab_goes_sidebar_builder_reader(window: Any, qtbot: Any, tmp_path: Path) -> None:
    did = _dossier(window, tmp_path, ["factory"])
    builder = _open_at(window, qtbot, did, SIZES[1])
    window.open_document(1)  # the reader holds a document: Tab goes on to it
    window.builder.open_dossier(did)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(builder.isVisible, timeout=5000)
    reader = window.viewer.tabs.tabBar()
    chain = _chain(qtbot, window.sidebar, 60)
    assert reader in chain, "\n".join(_names(chain))
    inside = chain[1:chain.index(reader)]
    assert len(inside) >= 4, _names(chain)  # the chooser, the exhibits, Export...
    assert all(builder.isAncestorOf(w) for w in inside), _names(chain)
    back = _chain(qtbot, reader, 1, Qt.Key.Key_Backtab)
    assert builder.isAncestorOf(back[-1]), _names(back)
