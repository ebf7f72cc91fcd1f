"""Paints rich-text list rows (title, meta line, snippet with emphasised words) that wrap."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HTML_ROLE = Qt.ItemDataRole.UserRole + 10
PAD = 10


class RichDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def _doc(self, option: QStyleOptionViewItem,
             index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)  # type: ignore[attr-defined]
        doc.setDocumentMargin(0)
        color = option.palette.color(QPalette.ColorRole.Text)  # type: ignore[attr-defined]
        doc.setDefaultStyleSheet(f"body {{ color: {color.name()}; }}")
        doc.setHtml(f"<body>{index.data(HTML_ROLE) or ''}</body>")
        width = option.rect.width() if option.rect.width() > 50 else 400  # type: ignore[attr-defined]
        doc.setTextWidth(max(width - 2 * PAD, 100))
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
