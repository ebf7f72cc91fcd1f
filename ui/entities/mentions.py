"""Where an entity is mentioned: its mentions grouped by document, each with its context.

A tree over ``entity_mentions`` (found by the core with the search analysis, so a name in
another case, with accents, in full-width forms or another script variant is found too): a
document row says how many mentions it holds, each mention row shows its page and the text
around it with the name emphasised; a document row also says the document's kind and its
source host or file name, so a PDF and its saved web page of one title are told apart.
Enter or a double-click opens the document at the mention (``opened``: document id and the
viewer's mark, as a search hit opens).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from ..kind_names import kind_name
from ..search.delegate import HTML_ROLE, RichDelegate
from ..search.render import emphasise

MARK_ROLE = Qt.ItemDataRole.UserRole + 1  # (document id, (start, end, words))
TITLE_CHARS = 90  # a title made of a text's first line can be a paragraph: cut, whole in tooltip


def mention_mark(mention: dict[str, Any]) -> tuple[int, int, str]:
    """The viewer's mark for a mention: its range in the text layer and the words there
    (what the Original tab looks for on the page)."""
    context, spans = mention.get("context", ""), mention.get("context_spans") or []
    words = mention.get("name", "")
    if spans:
        a, b = spans[0]
        if 0 <= a < b <= len(context):
            words = context[a:b]
    return int(mention["start"]), int(mention["end"]), words


WEB = {"html", "mhtml", "warc", "wacz"}
ORIGIN_CHARS = 40  # a file name or host is cut in its middle: its start and end tell it


def origin(doc: dict[str, Any]) -> tuple[str, str]:
    """What tells a document apart from another of its title (a PDF and its saved web page):
    its kind and its source host (web pages) or file name, shown and whole."""
    raw = str(doc.get("kind") or "")
    kind = kind_name(raw)
    name = str(doc.get("original_filename") or "").replace("\\", "/").rsplit("/", 1)[-1]
    where = str(doc.get("site") or "") if raw in WEB else ""
    where = where or name or str(doc.get("site") or "")
    whole = " · ".join(p for p in (kind, where) if p)
    if len(where) > ORIGIN_CHARS:
        half = (ORIGIN_CHARS - 1) // 2
        where = where[:half] + "…" + where[-(ORIGIN_CHARS - 1 - half):]
    return " · ".join(p for p in (kind, where) if p), whole


def _count(n: int, more: bool) -> str:
    return f"{n}{'+' if more else ''} mention{'' if n == 1 and not more else 's'}"


class MentionsView(QTreeWidget):
    opened = Signal(int, object)  # document id, mark (start, end, words)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Mentions by document")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setItemDelegate(RichDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemActivated.connect(self._activated)
        self.limit = 20  # the core's mentions per document (more are counted as "20+")
        self.documents: list[dict[str, Any]] = []

    def set_mentions(self, documents: list[dict[str, Any]]) -> None:
        self.documents = documents
        self.clear()
        for doc in documents:
            found = doc.get("mentions", [])
            title = doc.get("title") or f"Document {doc['document_id']}"
            where, whole = origin(doc)
            top = QTreeWidgetItem(self, [f"{title} ({whole})" if whole else title])
            top.setToolTip(0, f"{title}\n{whole}" if whole else title)
            shown = title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"
            top.setData(0, HTML_ROLE, f"<b>{html.escape(shown)}</b> "
                        f"<span style='color:#7a8594'>· "
                        f"{_count(len(found), len(found) >= self.limit)}"
                        f"{'<br>' + html.escape(where) if where else ''}</span>")
            if found:
                top.setData(0, MARK_ROLE, (doc["document_id"], mention_mark(found[0])))
            for m in found:
                page = f"p. {m['page']} · " if m.get("page") else ""
                context = m.get("context", "")
                row = QTreeWidgetItem(top, [context])
                spans = [(int(a), int(b)) for a, b in m.get("context_spans") or []]
                row.setData(0, HTML_ROLE, f"<span style='color:#7a8594'>{html.escape(page)}"
                            f"{html.escape(m.get('name', ''))}</span><br>"
                            f"{emphasise(context, spans, 0)}")  # "…" where the core cut it
                row.setToolTip(0, context)
                row.setData(0, MARK_ROLE, (doc["document_id"], mention_mark(m)))
            top.setExpanded(True)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def mention_count(self) -> int:
        return sum(len(d.get("mentions", [])) for d in self.documents)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, MARK_ROLE)
        if target:
            doc_id, mark = target
            self.opened.emit(int(doc_id), tuple(mark))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter opens the mention (itemActivated is not sent for Enter on every platform).
        current = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None:
            self._activated(current)
            return
        super().keyPressEvent(event)
