"""The search results pane: hits with snippets, facet filters, more results, save the search.

Searching runs on the worker (``Workbench.search``); opening a hit asks the window to show the
document scrolled to the first match, marked. Facet filters re-run the query with ``filters``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..flow_layout import FlowLayout
from ..kind_names import kind_name
from ..language_names import language_name
from ..session import Session
from .delegate import HTML_ROLE, RichDelegate
from .render import first_match, hit_html, snippet_at

PAGE = 25
FACET_LABELS = {"collection": "All collections", "tag": "All tags", "kind": "All kinds",
                "year": "Any year", "language": "Any language"}
# Facet -> how its values (the codes it filters by, kept as each entry's data) are shown.
FACET_SHOWN: dict[str, Callable[[str], str]] = {"language": language_name, "kind": kind_name}


def facet_text(key: str, value: Any) -> str:
    show = FACET_SHOWN.get(key)
    return show(str(value)) if show is not None else str(value)


class SearchPanel(QWidget):
    hit_opened = Signal(int, object)  # document id, (start, end, words) or None
    hit_link = Signal(int, str)  # hit number, href of a link clicked in its row

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.query = ""
        self.filters: dict[str, str] = {}
        self.hits: list[Any] = []
        self.total = 0
        self.fetched = 0  # ranked hits read so far, copies folded into a hit included
        # Which run an answer belongs to: the same query run again (a restored search, then a
        # click on its tag) must not add the earlier run's answer to the new list.
        self._run_id = 0
        # (document of the selected hit, scroll position) to put back when a refresh lands
        self._place: tuple[int | None, int] | None = None
        # What features add: keyword arguments for ``wb.search`` (e.g. collapse_copies), rich
        # text put under each hit (e.g. "+2 copies"), and a row for their options' widgets.
        self.search_options: dict[str, Any] = {}
        self.hit_marks: list[Callable[[Any], str]] = []
        self.options_row = QHBoxLayout()
        self.heading = QLabel("Search")
        self.heading.setObjectName("paneTitle")
        self.heading.setWordWrap(True)
        self.info = QLabel("")
        self.info.setObjectName("secondary")
        self.info.setWordWrap(True)
        self.facets: dict[str, QComboBox] = {}
        # The filters wrap onto a second row in a narrow pane, and a long value (a collection's
        # or a site's name) elides in its box: neither may widen the pane (issue 14, bug 5).
        facet_row = FlowLayout(spacing=6)
        for key, label in FACET_LABELS.items():
            box = QComboBox()
            box.setAccessibleName(f"Filter by {key}")
            box.addItem(label, None)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(len(label) + 2)
            box.activated.connect(lambda _i, k=key: self._facet_changed(k))
            self.facets[key] = box
            facet_row.addWidget(box)
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.delegate = delegate = RichDelegate(self.results)
        delegate.link_clicked.connect(
            lambda index, href: self.hit_link.emit(int(index.data(Qt.ItemDataRole.UserRole)),
                                                   href))
        self.results.setItemDelegate(delegate)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._clicked)
        self.more = QPushButton("More results")
        self.more.setAccessibleName("Load more results")
        self.more.clicked.connect(self._more)
        self.more.hide()
        self.save = QPushButton("Save search…")
        self.save.setAccessibleName("Save this search")
        self.save.clicked.connect(self._save)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.info)
        layout.addLayout(facet_row)
        layout.addLayout(self.options_row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignHCenter)

    # --- running ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The same search again after the library changed, keeping the user's place: a saved
        highlight must not send the hit list back to the top or drop the selected hit."""
        place = (self.current_document(), self.results.verticalScrollBar().value())
        self.run(self.query, self.filters, place)

    def run(self, query: str, filters: dict[str, str] | None = None,
            place: tuple[int | None, int] | None = None) -> None:
        self._place = place
        self.query = query.strip()
        self.filters = dict(filters or {})
        self.hits, self.total, self.fetched = [], 0, 0
        self._run_id += 1
        self.results.clear()
        if not self.query:
            self.heading.setText("Search")
            self.info.setText("Type words, \"a phrase\", or field:value in the search box.")
            return
        # A query with its own quotes (a phrase, a tag from the sidebar) is shown as typed.
        shown = self.query if '"' in self.query else f"“{self.query}”"
        self.heading.setText(f"Results for {shown}")
        self.info.setText("Searching…")
        self._fetch(0)

    def _fetch(self, offset: int) -> None:
        query, filters, options = self.query, dict(self.filters), dict(self.search_options)
        run = self._run_id
        self.session.query(lambda wb: wb.search(query, PAGE, offset, filters or None, **options),
                           lambda res: self._show(res, run, offset), "search the library")

    def _show(self, result: Any, run: int, offset: int) -> None:
        if run != self._run_id:
            return  # an earlier run finished after a newer one started
        self.total = result.total
        self.fetched = offset + sum(1 + len(_folded(hit)) for hit in result.hits)
        for hit in result.hits:
            self.hits.append(hit)
            item = QListWidgetItem()
            item.setData(HTML_ROLE, hit_html(hit) + "".join(mark(hit) for mark in self.hit_marks))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, hit.title)
            item.setData(Qt.ItemDataRole.UserRole, len(self.hits) - 1)
            self.results.addItem(item)
        if offset == 0:
            self._fill_facets(result.facets)
            self._restore_place()
        n = self.total
        folded = sum(len(_folded(hit)) for hit in self.hits)
        if folded:
            # Count the rows shown: the copies folded into them are not rows of their own.
            # Until every page is read, more copies may fold in, so the count is a ceiling.
            shown = n - folded
            more = self.fetched < self.total
            text = (f"{'up to ' if more else ''}{shown:,} document{'s' if shown != 1 else ''}"
                    f" ({folded:,} other cop{'ies' if folded != 1 else 'y'} folded in)"
                    f" · {result.elapsed_ms:.0f} ms")
        else:
            text = f"{n:,} document{'s' if n != 1 else ''} · {result.elapsed_ms:.0f} ms"
        if result.notice:
            text += f" · {result.notice}"
        if n == 0:
            text = "No documents match. Try fewer words, or remove a filter."
        self.info.setText(text)
        self.more.setVisible(self.fetched < self.total)

    def _restore_place(self) -> None:
        if self._place is None:
            return
        doc_id, scroll = self._place
        self._place = None
        for n, hit in enumerate(self.hits):
            if hit.document_id == doc_id:
                self.results.setCurrentRow(n)  # selection only: nothing is re-opened
                break
        self.results.doItemsLayout()  # the scroll range exists only once rows are laid out
        self.results.verticalScrollBar().setValue(scroll)

    def _fill_facets(self, facets: dict[str, list[tuple[str, int]]]) -> None:
        for key, box in self.facets.items():
            chosen = self.filters.get(key)
            box.blockSignals(True)
            box.clear()
            box.addItem(FACET_LABELS[key], None)
            for value, count in facets.get(key, []):
                box.addItem(f"{facet_text(key, value)} ({count})", value)
            if chosen is not None:
                idx = box.findData(chosen)
                if idx < 0:
                    box.addItem(facet_text(key, chosen), chosen)
                    idx = box.count() - 1
                box.setCurrentIndex(idx)
            box.setVisible(box.count() > 1)
            box.blockSignals(False)

    def _facet_changed(self, key: str) -> None:
        value = self.facets[key].currentData()
        filters = dict(self.filters)
        if value is None:
            filters.pop(key, None)
        else:
            filters[key] = value
        self.run(self.query, filters)

    def _more(self) -> None:
        self._fetch(self.fetched)

    # --- opening and saving -------------------------------------------------------------------

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_hit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _clicked(self, item: QListWidgetItem) -> None:
        # A click on a hit's second snippet opens that snippet's match, not the first.
        n = int(item.data(Qt.ItemDataRole.UserRole))
        block = self.delegate.take_click(self.results.row(item))
        self.open_hit(n, snippet_at(block) if block is not None else 0)

    def open_hit(self, n: int, snippet: int = 0) -> None:
        hit = self.hits[n]
        self.results.setCurrentRow(n)
        self.hit_opened.emit(hit.document_id, first_match(hit, snippet))

    def current_document(self) -> int | None:
        """The document of the selected hit, if one is."""
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        return int(self.hits[int(item.data(Qt.ItemDataRole.UserRole))].document_id)

    def _save(self) -> None:
        if not self.query:
            return
        name, ok = QInputDialog.getText(self, "Save search", "Name for this search:",
                                        text=self.query[:60])
        if ok and name.strip():
            query = self.query
            self.session.mutate(lambda wb: wb.save_search(name.strip(), query),
                                doing="save the search")


def _folded(hit: Any) -> list[int]:
    """The other copies folded into a hit (``collapse_copies``; none from an older core)."""
    return list(getattr(hit, "copies", None) or [])
