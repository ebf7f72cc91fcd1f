"""Paints rich-text list rows (title, meta line, snippet with emphasised words) that wrap.

Laying out rich text is the expensive part (about 6 ms a row), and a list asks for each row's
size and paint several times; laid-out documents are cached by (html, width, colour, font).
A click on a link in a row (``<a href=…>``, e.g. a hit's "+2 copies") emits ``link_clicked``.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
PAD = 10


class RichDelegate(QStyledItemDelegate):
    link_clicked = Signal(QModelIndex, str)  # the row, the link's href

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple[str, int, str, str], QTextDocument] = {}
        # (row, block number) of the last click in a row: which of a hit's snippets was
        # clicked (``take_click``)
        self._click: tuple[int, int] | None = None

    def _doc(self, option: QStyleOptionViewItem,
             index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        html = index.data(HTML_ROLE) or ""
        rect_width = option.rect.width()  # type: ignore[attr-defined]
        view = self.parent()
        if rect_width <= 50 and isinstance(view, QWidget):
            rect_width = view.width() - 24  # sizeHint is asked before rows have a width
        width = max(rect_width - 2 * PAD, 100)
        color = option.palette.color(QPalette.ColorRole.Text).name()  # type: ignore[attr-defined]
        # The font too: a larger text size must lay the rows out again, not reuse them.
        key = (html, width, color, option.font.key())  # type: ignore[attr-defined]
        doc = self._cache.get(key)
        if doc is None:
            if len(self._cache) > 2000:
                self._cache.clear()
            doc = QTextDocument()
            doc.setDefaultFont(option.font)  # type: ignore[attr-defined]
            doc.setDocumentMargin(0)
            doc.setDefaultStyleSheet(f"body {{ color: {color}; }}")
            doc.setHtml(f"<body>{html}</body>")
            doc.setTextWidth(width)
            self._cache[key] = doc
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None  # type: ignore[attr-defined]
        opt = QStyleOptionViewItem(option)
        opt.text = ""  # type: ignore[attr-defined]
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)  # type: ignore[attr-defined]
        doc = self._doc(option, index)
        painter.save()
        rect = option.rect  # type: ignore[attr-defined]
        painter.translate(rect.left() + PAD, rect.top() + PAD)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            ctx.palette.setColor(QPalette.ColorRole.Text,
                                 option.palette.color(QPalette.ColorRole.HighlightedText))  # type: ignore[attr-defined]
        ctx.clip = QRectF(0, 0, rect.width() - 2 * PAD, rect.height())
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()) + 2 * PAD, int(doc.size().height()) + 2 * PAD)

    def take_click(self, row: int) -> int | None:
        """The block number of the last click, if it was in ``row`` (once)."""
        click, self._click = self._click, None
        return click[1] if click and click[0] == row else None

    def editorEvent(self, event: QEvent, model: QAbstractItemModel,
                    option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = option.rect  # type: ignore[attr-defined]
            at = event.position() - QPointF(rect.left() + PAD, rect.top() + PAD)
            doc = self._doc(option, index)
            href = doc.documentLayout().anchorAt(at)
            pos = doc.documentLayout().hitTest(at, Qt.HitTestAccuracy.FuzzyHit)
            block = doc.findBlock(max(pos, 0))
            self._click = (index.row(), block.blockNumber())
            if href:
                self.link_clicked.emit(model.index(index.row(), index.column()), href)
                return True
        return super().editorEvent(event, model, option, index)
