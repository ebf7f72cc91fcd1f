"""The Delete key on a list, tree or table that deletes (or unlinks, or dismisses) its chosen row.

The window's Edit → Delete document has Delete as its shortcut, and a window shortcut is
tried before the focused widget sees the key. ``claim_delete_key`` makes a view claim the key
on ``ShortcutOverride`` while it has a chosen row, then runs the view's own handler on the key
press. Without a chosen row, or with a modifier held, the key is left to the window. Backspace
counts too: it is the key a Mac keyboard labels Delete. A widget that is not a list (the page
view, whose chosen thing is a highlight marked on it) says with ``chosen`` when it has one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class DeleteKey(QObject):
    """An event filter on one view; it lives as long as the view (its Qt parent)."""

    def __init__(self, view: QWidget, on_delete: Callable[[], None],
                 chosen: Callable[[], bool] | None = None) -> None:
        super().__init__(view)
        self._view = view
        self._on_delete = on_delete
        if chosen is None:
            if not isinstance(view, QAbstractItemView):
                raise TypeError("a widget that is not a list says when it has a chosen thing")
            items = view

            def chosen() -> bool:
                return items.currentIndex().isValid()
        self._chosen = chosen
        view.installEventFilter(self)

    def _claims(self, event: QEvent) -> bool:
        return (isinstance(event, QKeyEvent) and event.key() in DELETE_KEYS
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and self._chosen())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and self._claims(event):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # accepted: the window's shortcut stands aside
                return True
            if event.type() == QEvent.Type.KeyPress:
                self._on_delete()
                return True
        return super().eventFilter(watched, event)


def claim_delete_key(view: QWidget, on_delete: Callable[[], None],
                     chosen: Callable[[], bool] | None = None) -> DeleteKey:
    """Delete (or Backspace) on ``view`` with a chosen row (or whatever ``chosen`` says is
    chosen) runs ``on_delete``, not the window's Delete shortcut."""
    return DeleteKey(view, on_delete, chosen)
