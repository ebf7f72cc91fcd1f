"""The side-by-side comparison of two copies: this copy on the left, the other on the right.

``Workbench.compare`` (a diff of the two latest text layers, its changes whole words) runs on
the worker, with both texts, so a long report never freezes the window. The status line says
how much of the text is unchanged (the list of copies gives the passages shared, another
measure; the tooltip says which is which). Passages only in this copy are struck through,
passages only in the other are underlined, changed passages have a wavy underline: each also
has its own background (light and dark theme), so none is told by colour alone. The change
counter, Previous / Next (Shift+F8 / F8, Alt+Up / Alt+Down) jump both sides to a change; scrolling
one side scrolls the other to the same place in its text (mapped through the changes).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from .. import theme
from ..elided_label import ElidedLabel
from ..session import Session
from ..viewer.layout import DisplayText
from .diffmap import describe, map_offset, other_side, starts_of

# (background light, background dark) per kind; text stays the theme's text colour.
BACKGROUNDS = {"delete": ("#f8cfcc", "#6a2a2d"), "insert": ("#c9ecd0", "#1f5530"),
               "replace": ("#fbe3a6", "#5e4a12")}
UNDERLINES = {"delete": ("#b3261e", "#ff8a80"), "insert": ("#1e7a34", "#7ddc8f"),
              "replace": ("#9a6700", "#ffd166")}
LEGEND = (("delete", "struck through: only in this copy"),
          ("insert", "underlined: only in the other copy"),
          ("replace", "wavy underline: changed"))


def share_unchanged(similarity: float, changed: bool) -> str:
    """The share of the text unchanged, as the status line says it: rounded down, so that
    a text with changes never reads "100 % unchanged"."""
    percent = math.floor(round(similarity * 100, 6))
    if changed and percent >= 100:
        return "over 99%"
    return f"{percent}%"


def change_format(kind: str, dark: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(BACKGROUNDS[kind][dark]))
    fmt.setForeground(QColor(theme.DARK["text"] if dark else theme.LIGHT["text"]))
    fmt.setUnderlineColor(QColor(UNDERLINES[kind][dark]))
    if kind == "delete":
        fmt.setFontStrikeOut(True)
    elif kind == "insert":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    else:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    return fmt


class CompareText(QPlainTextEdit):
    """One side: read-only, its text with each change formatted, the current one selected."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName(name)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # a scroll bar appearing with the text would narrow the view and wrap it again later,
        # moving a side away from the change it was just scrolled to
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.display = DisplayText("", [(0, 0, 0)])

    def show_text(self, text: str, ranges: list[tuple[int, int, str]], dark: bool) -> None:
        """``ranges`` = (start, end, kind) in code points; empty ranges are skipped here."""
        self.display = DisplayText(text, [(0, 0, len(text))])
        self.setPlainText(text)
        formats = {kind: change_format(kind, dark) for kind in BACKGROUNDS}
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one layout pass for all the changes
        for start, end, kind in ranges:
            if end > start:
                cursor.setPosition(self.qt(start))
                cursor.setPosition(self.qt(end), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(formats[kind])
        cursor.endEditBlock()

    def qt(self, offset: int) -> int:
        return self.display.qt(offset)

    def top_offset(self) -> int:
        """The text offset (code points) at the top of the view."""
        return self.display.from_qt(self.cursorForPosition(QPoint(2, 2)).position())

    def scroll_to(self, offset: int, fraction: float = 0.0) -> None:
        """Puts the line holding ``offset`` at ``fraction`` of the view's height from the top."""
        pos = self.qt(offset)
        block = self.document().findBlock(pos)
        if not block.isValid():
            return
        self.document().documentLayout().blockBoundingRect(block)  # lays the block out
        layout = block.layout()
        line = layout.lineForTextPosition(pos - block.position()) if layout else None
        within = line.lineNumber() if line is not None and line.isValid() else 0
        visible = self.viewport().height() // max(self.fontMetrics().lineSpacing(), 1)
        self.verticalScrollBar().setValue(
            max(block.firstLineNumber() + within - int(visible * fraction), 0))

    def mark_current(self, start: int, end: int) -> None:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.qt(start))
        palette = theme.colors()
        if end > start:
            cursor.setPosition(self.qt(end), QTextCursor.MoveMode.KeepAnchor)
        else:  # nothing on this side: light up the line where the other side's text would be
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)  # type: ignore[attr-defined]
        sel.cursor = cursor  # type: ignore[attr-defined]
        sel.format.setBackground(QColor(palette["selection"]))  # type: ignore[attr-defined]
        sel.format.setForeground(QColor(palette["selection_text"]))  # type: ignore[attr-defined]
        self.setExtraSelections([sel])


class CompareDialog(QDialog):
    def __init__(self, session: Session, doc_id: int, other_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.doc_id, self.other_id = doc_id, other_id
        self.setWindowTitle("Compare copies")
        self.setAccessibleName("Compare copies")
        self.comparison: dict[str, Any] | None = None
        self.changes: list[dict[str, Any]] = []
        self.current = -1
        self._syncing = False
        self._starts: dict[str, list[int]] = {"left": [], "right": []}
        self._lengths: dict[str, int] = {"left": 0, "right": 0}

        self.sides = {"left": CompareText("This copy's text"),
                      "right": CompareText("The other copy's text")}
        self.titles = {side: ElidedLabel("") for side in self.sides}
        self.hashes = {side: ElidedLabel("") for side in self.sides}
        heads = QGridLayout()
        for col, (side, caption) in enumerate((("left", "This copy"),
                                               ("right", "The other copy"))):
            cap = QLabel(caption)
            cap.setObjectName("secondary")
            heads.addWidget(cap, 0, col)
            self.titles[side].setObjectName("paneTitle")
            heads.addWidget(self.titles[side], 1, col)
            self.hashes[side].setObjectName("secondary")
            heads.addWidget(self.hashes[side], 2, col)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        for side, view in self.sides.items():
            split.addWidget(view)
            view.verticalScrollBar().valueChanged.connect(
                lambda _v, s=side: self._sync(s))

        self.status = QLabel("Comparing the two texts…")
        self.status.setObjectName("secondary")
        self.status.setWordWrap(True)
        legend = QHBoxLayout()
        for kind, words in LEGEND:
            legend.addWidget(self._legend_label(kind, words))
        legend.addStretch(1)
        self.counter = QLabel("")
        self.counter.setAccessibleName("Change counter")
        self.prev_button = QPushButton("&Previous change")
        self.prev_button.setToolTip("Shift+F8 or Alt+Up")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QPushButton("&Next change")
        self.next_button.setToolTip("F8 or Alt+Down")
        self.next_button.clicked.connect(lambda: self.step(1))
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        for b in (self.prev_button, self.next_button, close):
            b.setAutoDefault(False)  # Enter in a text view must not press a button
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.counter)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(close)
        for seq, step in (("F8", 1), ("Alt+Down", 1), ("Shift+F8", -1), ("Alt+Up", -1)):
            QShortcut(QKeySequence(seq), self, lambda s=step: self.step(s))

        layout = QVBoxLayout(self)
        layout.addLayout(heads)
        layout.addWidget(self.status)
        layout.addLayout(legend)
        layout.addWidget(split, 1)
        layout.addLayout(nav)
        self._enable_nav()
        self.resize(960, 620)

    def _legend_label(self, kind: str, words: str) -> QLabel:
        dark = theme.is_dark()
        style = {"delete": "text-decoration: line-through",
                 "insert": "text-decoration: underline",
                 "replace": "text-decoration: underline; text-decoration-style: wavy"}[kind]
        label = QLabel(f"<span style='background-color:{BACKGROUNDS[kind][dark]}; "
                       f"color:{(theme.DARK if dark else theme.LIGHT)['text']}; {style}'>"
                       f"&nbsp;{words}&nbsp;</span>")
        label.setAccessibleName(words)
        return label

    # --- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        a, b = self.doc_id, self.other_id

        def work(wb: Any) -> tuple[dict[str, Any], str, str]:
            return wb.compare(a, b), wb.document_text(a).text, wb.document_text(b).text

        self.session.query(work, self._show, "compare the copies", self._failed)

    def _gone(self) -> bool:
        # Closed before the worker answered: the dialog deletes itself on close.
        try:
            return not self.isVisible()
        except RuntimeError:  # its C++ side is deleted already
            return True

    def _failed(self, exc: BaseException) -> None:
        if self._gone():
            return
        self.status.setText("The two copies could not be compared.")
        self.session.presenter.show(exc, "compare the copies")

    def _show(self, answer: tuple[dict[str, Any], str, str]) -> None:
        if self._gone():
            return
        result, left_text, right_text = answer
        self.comparison = result
        self.changes = list(result.get("changes", []))
        dark = theme.is_dark()
        self._syncing = True  # the texts going in scroll both sides: no side follows the other
        for side, text in (("left", left_text), ("right", right_text)):
            info = result[side]
            self.titles[side].setText(info.get("title") or f"Document {info['document_id']}")
            sha = str(info.get("sha256") or "")
            self.hashes[side].setText(f"SHA-256 {sha}")
            self._starts[side] = starts_of(self.changes, side)
            self._lengths[side] = len(text)
            ranges = [(int(ch[side][0]), int(ch[side][1]), ch["kind"]) for ch in self.changes]
            self.sides[side].show_text(text, ranges, dark)
        self._syncing = False
        n = len(self.changes)
        unchanged = share_unchanged(float(result.get("similarity", 0.0)), bool(n))
        self.status.setText(
            f"{n:,} change{'s' if n != 1 else ''} · {unchanged} of the text unchanged" if n
            else "The two texts say the same (line breaks, spacing, quote marks and "
                 "hyphenation aside).")
        self.status.setToolTip(
            f"{unchanged} of the two texts is the same in both, counted in characters (line "
            f"breaks, spacing, quote marks and hyphenation aside). The list of other copies "
            f"gives the share of five-word passages the texts share: one changed word "
            f"changes five passages, so that share is lower." if n else "")
        self._enable_nav()
        if n:
            self.go(0)
        else:
            self.counter.setText("No changes")
        self.sides["left"].setFocus()

    # --- moving between changes -----------------------------------------------------------------

    def _enable_nav(self) -> None:
        n = len(self.changes)
        self.prev_button.setEnabled(n > 0 and self.current > 0)
        self.next_button.setEnabled(n > 0 and self.current < n - 1)

    def step(self, delta: int) -> None:
        if self.changes:
            self.go(min(max(self.current + delta, 0), len(self.changes) - 1))

    def go(self, index: int) -> None:
        self.current = index
        change = self.changes[index]
        self.counter.setText(f"Change {index + 1} of {len(self.changes)}")
        self.counter.setToolTip(describe(change))
        self.counter.setAccessibleDescription(describe(change))
        self._syncing = True
        try:
            for side, view in self.sides.items():
                start, end = int(change[side][0]), int(change[side][1])
                view.mark_current(start, end)
                view.scroll_to(start, 1 / 3)
        finally:
            self._syncing = False
        self._enable_nav()

    def _sync(self, side: str) -> None:
        """The other side follows a scroll of ``side`` to the same place in its text."""
        if self._syncing or self.comparison is None:
            return
        self._syncing = True
        try:
            top = self.sides[side].top_offset()
            there = map_offset(self.changes, top, side, self._starts[side], self._lengths)
            self.sides[other_side(side)].scroll_to(there)
        finally:
            self._syncing = False
