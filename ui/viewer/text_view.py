"""The reading pane: a read-only text view that paints highlights, find matches and a search mark.

Everything it paints is given in text-layer offsets and converted through ``DisplayText``, so the
widget never decides which characters a highlight covers; it only shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ..theme import colors, highlight_colors
from .layout import DisplayText, build_display


@dataclass
class Painted:
    """A highlight as the view paints it (layer offsets)."""

    id: int
    start: int
    end: int
    color: str
    label: str = ""


class TextView(QPlainTextEdit):
    highlight_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName("Document text")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("readingText")
        self.display = build_display("", [])
        self.key: object = None  # which document the text is, as the viewer names it
        self.highlights: list[Painted] = []
        self.find_matches: list[tuple[int, int]] = []  # Qt positions
        self.find_current = -1
        self.mark_range: tuple[int, int] | None = None  # layer offsets
        # Features add their entries to the context menu (the entity register's "Register as
        # entity…"): each gets the menu and the selected text ("" when none).
        self.menu_extenders: list[Callable[[QMenu, str], None]] = []

    # --- content ----------------------------------------------------------------------------

    def set_text(self, text: str, pages: list[tuple[int, int, int]],
                 key: object = None) -> None:
        """Shows a document's text from the top, or, when ``key`` (the document) and the text
        are those already shown, redraws in place: a reload after a highlight was saved or
        edited must leave the reader where they were."""
        display = build_display(text, pages)
        if key is not None and key == self.key and display.text == self.display.text:
            self._redraw_in_place(display)
            return
        self.key = key
        self.display = display
        self.highlights, self.find_matches, self.find_current = [], [], -1
        self.mark_range = None
        self.setPlainText(self.display.text)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.repaint_marks()

    def _redraw_in_place(self, display: DisplayText) -> None:
        # Same characters, so Qt positions, find matches and the search mark all still hold;
        # the document is not replaced, which is what keeps the scroll position.
        self.display = display
        self.highlights = []
        cur = self.textCursor()
        if cur.hasSelection():
            # The selection is usually the passage just highlighted: keep the cursor at its end
            # but drop it, or it would hide the new colour until the next click.
            bars = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
            cur.clearSelection()
            self.setTextCursor(cur)
            self.horizontalScrollBar().setValue(bars[0])
            self.verticalScrollBar().setValue(bars[1])
        self.repaint_marks()

    def set_highlights(self, items: list[Painted]) -> None:
        self.highlights = items
        self.repaint_marks()

    # --- selection in layer offsets ------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        a = self.display.qt_to_layer(cur.selectionStart())
        b = self.display.qt_to_layer(cur.selectionEnd())
        return (a, b) if b > a else None

    def select_range(self, start: int, end: int) -> None:
        cur = self.textCursor()
        cur.setPosition(self.display.layer_to_qt(start))
        cur.setPosition(self.display.layer_to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def visible_page(self) -> int | None:
        """The page the reader is at (the page view follows it): the cursor's when it is in
        view (a search hit, a click), else the one at the top of the view; None for a text
        without pages."""
        if self.viewport().rect().contains(self.cursorRect().center()):
            pos = self.textCursor().position()
        else:
            probe = self.viewport().rect().topLeft()
            probe.setY(probe.y() + self.fontMetrics().height())  # past a blank line's sliver
            pos = self.cursorForPosition(probe).position()
        return self.display.page_at(self.display.from_qt(pos))

    def scroll_to_page(self, page: int) -> None:
        """Puts page ``page``'s separator line at the top of the view."""
        sep = next((s for s in self.display.separators if s[2] == page), None)
        if sep is None or self.visible_page() == page:
            return
        cur = self.textCursor()
        cur.setPosition(self.display.qt(sep[0]))
        self.setTextCursor(cur)
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())  # then back up: the cursor's line ends up at the top
        self.ensureCursorVisible()

    def mark(self, start: int, end: int) -> None:
        """Scroll to a search hit and keep it marked until the next one."""
        self.mark_range = (start, end)
        cur = self.textCursor()
        cur.setPosition(self.display.layer_to_qt(start))
        self.setTextCursor(cur)
        self.centerCursor()
        self.repaint_marks()

    def highlight_at(self, qt_pos: int) -> int | None:
        off = self.display.qt_to_layer(qt_pos)
        for h in reversed(self.highlights):
            if h.start <= off < h.end:
                return h.id
        return None

    # --- painting -----------------------------------------------------------------------------

    def _selection(self, a: int, b: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(a)
        cur.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur  # type: ignore[misc]
        sel.format = fmt  # type: ignore[misc]
        return sel

    def repaint_marks(self) -> None:
        d = self.display
        sels: list[QTextEdit.ExtraSelection] = []
        sep = QTextCharFormat()
        sep.setForeground(self.palette().placeholderText())
        sep.setFontWeight(QFont.Weight.DemiBold)
        sep.setFontCapitalization(QFont.Capitalization.AllUppercase)
        sep.setFontLetterSpacing(110)
        sep.setProperty(QTextFormat.Property.FullWidthSelection, True)
        for start, end, _page in d.separators:
            sels.append(self._selection(d.qt(start), d.qt(end), sep))
        for h in self.highlights:
            fmt = QTextCharFormat()
            background, ink = highlight_colors(h.color)  # never like a redaction bar
            fmt.setBackground(background)
            if ink is not None:
                fmt.setForeground(ink)
            sels.append(self._selection(d.layer_to_qt(h.start), d.layer_to_qt(h.end), fmt))
        for n, (a, b) in enumerate(self.find_matches):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ff9632" if n == self.find_current else "#ffe08a"))
            fmt.setForeground(QColor("#000000"))
            sels.append(self._selection(a, b, fmt))
        if self.mark_range:
            fmt = QTextCharFormat()
            palette = colors()  # unlike a selection and every highlight (theme.py)
            fmt.setBackground(QColor(palette["reading_mark"]))
            fmt.setForeground(QColor(palette["reading_mark_text"]))
            a, b = self.mark_range
            sels.append(self._selection(d.layer_to_qt(a), d.layer_to_qt(b), fmt))
        self.setExtraSelections(sels)

    # --- find in document ----------------------------------------------------------------------

    def find_all(self, needle: str) -> int:
        import re

        self.find_matches, self.find_current = [], -1
        if needle:
            d = self.display
            self.find_matches = [(d.qt(m.start()), d.qt(m.end())) for m in
                                 re.finditer(re.escape(needle), d.text, re.IGNORECASE)]
        if self.find_matches:
            self.find_step(1)
        else:
            self.repaint_marks()
        return len(self.find_matches)

    def find_step(self, step: int) -> None:
        if not self.find_matches:
            return
        self.find_current = (self.find_current + step) % len(self.find_matches)
        a, _b = self.find_matches[self.find_current]
        cur = self.textCursor()
        cur.setPosition(a)
        self.setTextCursor(cur)
        self.ensureCursorVisible()
        self.repaint_marks()

    # --- context menu ---------------------------------------------------------------------------

    def context_menu(self) -> QMenu:
        """The standard menu (Copy, Select All) and what the features add for the selection."""
        menu = self.createStandardContextMenu()
        selected = self.textCursor().selectedText().replace("\u2029", " ").strip()
        for extend in self.menu_extenders:
            extend(menu, selected)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    # --- hovering and clicking highlights ---------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        # A painted highlight is an extra selection, whose format's tooltip Qt never shows:
        # the view answers the viewport's tooltip event itself, with the tags and the note.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(self.cursorForPosition(event.pos()).position())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, qt_pos: int) -> str:
        """What hovering ``qt_pos`` says: the highlight's tags and note, or "" off one."""
        hid = self.highlight_at(qt_pos)
        label = next((h.label for h in self.highlights if h.id == hid), "")
        if hid is None:
            return ""
        return f"{label or 'No tag'}\nClick to edit this highlight"

    # --- clicks on highlights ------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hid = self.highlight_at(self.cursorForPosition(event.position().toPoint()).position())
            if hid is not None:
                self.highlight_clicked.emit(hid)
