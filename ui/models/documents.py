"""The document table: a lazy Qt model over ``Workbench.list_documents`` pages.

``rowCount`` comes from ``count_documents`` (one cheap query) and rows are fetched in blocks of
``BLOCK`` on the worker when the view first asks for them, so 100k documents open at once.
Sorting and filtering are passed to the database (``order_by``, ``contains``), so they stay lazy:
a sort re-counts and drops the cached blocks, and the visible rows arrive a block at a time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ..kind_names import kind_name, kinds_named
from ..session import Session

BLOCK = 250
COLUMNS: list[tuple[str, str]] = [
    ("title", "Title"), ("kind", "Kind"), ("published", "Date"), ("site", "Source"),
    ("pages", "Pages"), ("tags", "Tags"), ("status", "Status"), ("imported_at", "Imported"),
]
Index = QModelIndex | QPersistentModelIndex
# In a narrow list these columns step aside, the first first (``table_fit.ColumnFitter``); the
# title, the date and the source stay longest.
NARROW_HIDE_ORDER = ["status", "pages", "kind", "tags", "site", "published"]


def narrow_hide_order() -> list[int]:
    keys = [key for key, _label in COLUMNS]
    return [keys.index(key) for key in NARROW_HIDE_ORDER]


def cell_text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "title":
        return str(value or row.get("original_filename") or f"Document {row.get('id')}")
    if key == "tags":
        own = list(value or [])
        passages = row.get("passage_tags") or {}
        return ", ".join(own + [f"{path} ({n})" for path, n in passages.items()
                                if path not in own])
    if key == "kind":
        return kind_name(str(value or ""))
    if key == "imported_at" and value:
        return str(value)[:16].replace("T", " ")
    if key == "status":
        return {"ok": "OK", "problems": "Problems", "no_text": "No text"}.get(str(value), "")
    return "" if value is None else str(value)


class DocumentTableModel(QAbstractTableModel):
    loaded = Signal()  # after a (re)load finished: the window updates counts and empty states

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._count = 0
        self._blocks: dict[int, list[dict[str, Any]]] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self.collection: str | None = None
        self.needle = ""
        self.failed_redactions = False  # only PDFs with a possible failed redaction
        self.sort_key: str | None = None
        self.descending = False
        self.total = 0  # documents in the library, whatever the filter

    # --- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index.row())
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return "…" if row is None else cell_text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and key in ("title", "kind"):
            return cell_text(row, key)  # whole where the column is too narrow for it
        if role == Qt.ItemDataRole.ToolTipRole and row is not None and key == "tags":
            return tags_tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "pages":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole and row is not None:
            return row.get("id")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_key = COLUMNS[column][0] if 0 <= column < len(COLUMNS) else None
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def mimeTypes(self) -> list[str]:
        return ["application/x-workbench-documents"]

    def mimeData(self, indexes: Any) -> Any:
        from PySide6.QtCore import QMimeData

        ids = sorted({i for i in (self.document_id(ix.row()) for ix in indexes) if i})
        mime = QMimeData()
        mime.setData("application/x-workbench-documents", ",".join(map(str, ids)).encode())
        return mime

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    # --- rows ---------------------------------------------------------------------------------

    def row(self, r: int) -> dict[str, Any] | None:
        block = r // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            self._fetch(block)
            rows = self._blocks.get(block)  # already there when tasks run synchronously
            if rows is None:
                return None
        off = r - block * BLOCK
        return rows[off] if off < len(rows) else None

    def document_id(self, r: int) -> int | None:
        row = self.row(r)
        return None if row is None else int(row["id"])

    def loaded_rows(self, first: int, last: int) -> list[tuple[int, dict[str, Any]]]:
        """(row number, row) of the rows from ``first`` to ``last`` already read; fetches
        nothing (the list sizes its columns by what has arrived)."""
        found: list[tuple[int, dict[str, Any]]] = []
        for block in range(max(first, 0) // BLOCK, last // BLOCK + 1):
            for off, r in enumerate(self._blocks.get(block, [])):
                if first <= block * BLOCK + off <= last:
                    found.append((block * BLOCK + off, r))
        return found

    def row_of(self, doc_id: int) -> int | None:
        for block, rows in self._blocks.items():
            for off, r in enumerate(rows):
                if r.get("id") == doc_id:
                    return block * BLOCK + off
        return None

    # --- loading ------------------------------------------------------------------------------

    def _kinds(self) -> dict[str, list[str]]:
        """The core's ``or_kinds`` for the filter: the kinds whose name (the Kind column's)
        holds the text typed; nothing when none does."""
        kinds = kinds_named(self.needle) if self.needle else []
        return {"or_kinds": kinds} if kinds else {}

    def reload(self) -> None:
        """Recount with the current collection, filter and sort; drop cached rows."""
        self._generation += 1
        gen = self._generation
        if not self.session.is_open:
            return
        collection, needle = self.collection, self.needle or None
        failed, kinds = self.failed_redactions, self._kinds()

        def work(wb: Any) -> tuple[int, int]:
            total = wb.count_documents()
            shown = (wb.count_documents(collection=collection, contains=needle,
                                        failed_redactions=failed, **kinds)
                     if collection or needle or failed else total)
            return total, shown

        self.session.query(work, lambda res: self._set_count(gen, *res), "count documents")

    def _set_count(self, gen: int, total: int, shown: int) -> None:
        if gen != self._generation:
            return
        self.beginResetModel()
        self._blocks, self._pending = {}, set()
        self._count, self.total = shown, total
        self.endResetModel()
        self.loaded.emit()

    def fill(self, total: int, rows: list[dict[str, Any]]) -> None:
        """Show the whole library's count and its first block, read before the facade was
        open (issue 16: ``Session.previewed``); ``refresh`` then reads them again through it."""
        self._generation += 1
        self.beginResetModel()
        self._blocks, self._pending = ({0: rows} if rows else {}), set()
        self._count = self.total = total
        self.endResetModel()
        self.loaded.emit()

    def refresh(self) -> None:
        """Read the count and the blocks shown again; change the view only if they differ
        (no flash of empty rows when the answer is the same)."""
        gen, held = self._generation, sorted(self._blocks)
        collection, needle = self.collection, self.needle or None
        failed, kinds = self.failed_redactions, self._kinds()
        opts = {"collection": collection, "contains": needle, "failed_redactions": failed,
                "order_by": self.sort_key, "descending": self.descending, **kinds}

        def work(wb: Any) -> tuple[int, int, dict[int, list[dict[str, Any]]]]:
            total = wb.count_documents()
            shown = (wb.count_documents(collection=collection, contains=needle,
                                        failed_redactions=failed, **kinds)
                     if collection or needle or failed else total)
            return total, shown, {b: _with_tags(wb, wb.list_documents(
                offset=b * BLOCK, limit=BLOCK, **opts)) for b in held}

        def done(res: tuple[int, int, dict[int, list[dict[str, Any]]]]) -> None:
            total, shown, blocks = res
            if gen != self._generation or (total, shown, blocks) == (
                    self.total, self._count, self._blocks):
                return
            self._generation += 1
            self.beginResetModel()
            self._blocks, self._pending = blocks, set()
            self._count, self.total = shown, total
            self.endResetModel()
            self.loaded.emit()

        self.session.query(work, done, "list documents")

    def _fetch(self, block: int) -> None:
        if block in self._pending or not self.session.is_open:
            return
        self._pending.add(block)
        gen = self._generation

        opts = {"collection": self.collection, "contains": self.needle or None,
                "failed_redactions": self.failed_redactions,
                "order_by": self.sort_key, "descending": self.descending, **self._kinds()}

        def work(wb: Any) -> list[dict[str, Any]]:
            return _with_tags(wb, wb.list_documents(offset=block * BLOCK, limit=BLOCK, **opts))

        self.session.query(work, lambda rows: self._arrived(gen, block, rows), "list documents")

    def _arrived(self, gen: int, block: int, rows: list[dict[str, Any]]) -> None:
        if gen != self._generation:
            return
        self._pending.discard(block)
        self._blocks[block] = rows
        first = block * BLOCK
        last = min(first + len(rows), self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))


def first_block(wb: Any) -> list[dict[str, Any]]:
    """The rows the list first shows: all documents, in their natural order (worker side)."""
    return _with_tags(wb, wb.list_documents(offset=0, limit=BLOCK))


def tags_tooltip(row: dict[str, Any]) -> str:
    """The Tags cell's tooltip: which tags are the document's and which its passages'."""
    lines = []
    if row.get("tags"):
        lines.append("Document: " + ", ".join(row["tags"]))
    for path, n in (row.get("passage_tags") or {}).items():
        lines.append(f"{path}: {n} passage{'s' if n != 1 else ''}")
    return "\n".join(lines)


def _with_tags(wb: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adds each document's tag paths, and its passages' tags with their counts, when the
    core can tell them (worker side)."""
    getter = getattr(wb, "document_tags", None)
    if callable(getter):
        for r in rows:
            r["tags"] = getter(r["id"])
    passages = getattr(wb, "passage_tags", None)
    if callable(passages) and rows:
        found = passages([r["id"] for r in rows])
        for r in rows:
            r["passage_tags"] = found.get(r["id"], {})
    return rows
