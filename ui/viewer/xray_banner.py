"""The warning a PDF gets when its import found text under boxes drawn over it.

One banner, shown above the Text tab's text (where a document opens, and which shows the very
text the box hides) and above the Original tab's pages. Both show the areas the Original tab
fetched once per document (``wb.xray``, without the hidden text); the link asks its owner to
show the first area on its page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

BANNER_STYLE = ("QLabel { background: #fff1c7; color: #3d2c00; border: 1px solid #e0b84c; "
                "border-radius: 5px; padding: 5px 8px; }")


class XrayBanner(QLabel):
    """Hidden until ``set_areas`` is given some; ``linkActivated`` is its "Show" link."""

    def __init__(self, link: str, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.link = link
        self.setAccessibleName("Possible failed redaction")
        self.setWordWrap(True)
        self.setStyleSheet(BANNER_STYLE)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()

    def set_areas(self, areas: list[dict[str, Any]]) -> None:
        self.setText(xray_banner(areas, self.link))
        self.setVisible(bool(areas))


def xray_banner(areas: list[dict[str, Any]], link: str = "Show") -> str:
    """"2 areas on page 3 may hide text under a box", with a link to show the first."""
    if not areas:
        return ""
    pages = sorted({int(a["page"]) for a in areas})
    n = len(areas)
    where = (f"page {pages[0]}" if len(pages) == 1
             else "pages " + ", ".join(str(p) for p in pages))
    return (f"⚠ {n} area{'s' if n != 1 else ''} on {where} may hide text under a box (a "
            f"failed redaction?): the text is still in the file. <a href='show'>{link}</a>")
