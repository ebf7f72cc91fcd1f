"""Each paragraph of the reading text in its own direction: Uyghur or Arabic right-aligned.

``QPlainTextEdit`` already finds each block's direction from its text (the document's default
option says ``LayoutDirectionAuto``), but its layout aligns every line with the option's
``AlignLeft`` as it is, never mirrored: a right-to-left paragraph read from the right but sat on
the left edge, while its search snippet was right-aligned (issue 14, bug 7). This layout, a
``QPlainTextDocumentLayout`` like the stock one, sets each laid-out block's alignment from its
direction. The view's own code (``text_view.py``) is unchanged: only its document is replaced.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QTextBlock, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

RTL = Qt.LayoutDirection.RightToLeft


class DirectionalLayout(QPlainTextDocumentLayout):
    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        # The stock layout lays a block out (again) here, resetting its text option to the
        # document's default; the view asks for this rect before it paints or hit-tests a block.
        rect = super().blockBoundingRect(block)
        layout = block.layout()
        if layout is not None:
            option = layout.textOption()
            want = (Qt.AlignmentFlag.AlignRight if block.textDirection() == RTL
                    else Qt.AlignmentFlag.AlignLeft)
            if option.alignment() != want:
                option.setAlignment(want)
                layout.setTextOption(option)
        return rect


def follow_text_direction(view: QPlainTextEdit) -> None:
    """Gives ``view`` an empty document laid out by ``DirectionalLayout`` (before any text)."""
    stock = view.document()
    document = QTextDocument(view)
    document.setDocumentLayout(DirectionalLayout(document))
    option = QTextOption(stock.defaultTextOption())  # the view's wrapping and tabs, kept
    option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
    document.setDefaultTextOption(option)
    document.setDefaultFont(stock.defaultFont())
    document.setDocumentMargin(stock.documentMargin())
    view.setDocument(document)
