"""The Entities page: the register of people, organisations and places, each one's mentions
across the library, and the names the library suggests.

Above, the register (kind, shown name, how many names, linked documents), filtered by kind
or by typing; Add…, Edit… and Delete… beside it. Below, the chosen entity's names, the
documents linked to it (``LinkedDocuments``: open one, or unlink it) and its mentions grouped
by document (``MentionsView``), found on the worker thread. A second tab
lists suggestions to register or dismiss. Every change goes through ``ops``; the page redraws
from the ``Changes`` the session broadcasts (``on_changes``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes

from ..delete_key import claim_delete_key
from ..dialogs.confirm import confirm
from ..lazy_panel import LazyPanel
from ..session import Session
from . import ops
from .dialogs import EntityDialog, kind_label, names_text
from .linked import LinkedDocuments
from .mentions import MentionsView
from .register_split import RegisterSplit
from .suggestions import SuggestionsView

ID = Qt.ItemDataRole.UserRole


class EntitiesPanel(LazyPanel):
    mention_opened = Signal(int, object)  # document id, mark (start, end, words)
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Entities")
        self.current_document: Callable[[], int | None] = lambda: None
        self.entities: list[dict[str, Any]] = []
        self.dialog: EntityDialog | None = None
        self._dirty = True
        self._shown_id: int | None = None  # whose mentions are shown (or being found)
        self._select_after: int | str | None = None

    def _build(self) -> None:
        """The page's widgets, when first shown or used (``LazyPanel``)."""
        self.mentions = MentionsView()
        self.mentions.opened.connect(self.mention_opened)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by any name…")
        self.filter.setAccessibleName("Filter entities")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _t: self._fill())
        self.kind = QComboBox()
        self.kind.setAccessibleName("Show kind")
        self.kind.addItem("All kinds", None)
        for k in ops.KINDS:
            self.kind.addItem(kind_label(k), k)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        self.add_button = QPushButton("&Add…")
        self.add_button.setToolTip("Register a person, organisation, place or other entity "
                                   "with its names in any script")
        self.add_button.clicked.connect(lambda: self.add_entity())
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_current)
        self.link_button = QPushButton("&Link open document")
        self.link_button.setToolTip("Link the document open in the viewer to this entity "
                                    "(about them, by them…)")
        self.link_button.clicked.connect(self.link_open_document)
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.clicked.connect(self.delete_current)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.kind)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.link_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.table = QTreeWidget()
        self.table.setAccessibleName("Entity register")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Kind", "Name", "Names", "Linked"])
        # It counts the documents linked to the entity; those that mention it are found below.
        self.table.headerItem().setToolTip(
            3, "Documents linked to this entity (the mentions found in the library are listed "
               "below when it is chosen)")
        header = self.table.header()
        header.setStretchLastSection(False)
        # The name takes what is left; kind and the two counts keep to their width, so all
        # four columns show in a 400 px pane (1024 px screen) without scrolling sideways.
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.currentItemChanged.connect(lambda *_: self._chosen())
        self.table.itemActivated.connect(lambda *_: self.mentions.setFocus())
        claim_delete_key(self.table, self.delete_current)

        self.heading = QLabel("")
        self.heading.setObjectName("dialogHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.names = QLabel("")
        self.names.setObjectName("secondary")
        self.names.setWordWrap(True)
        self.names.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel("")
        self.state.setObjectName("secondary")
        self.linked = LinkedDocuments()
        self.linked.unlink_requested.connect(self.unlink_document)
        self.linked.open_requested.connect(lambda doc_id: self.mention_opened.emit(doc_id, None))
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.heading)
        dl.addWidget(self.names)
        dl.addWidget(self.linked)
        dl.addWidget(self.state)
        dl.addWidget(self.mentions, 1)
        self.split = split = RegisterSplit(self.table, detail)

        register = QWidget()
        rl = QVBoxLayout(register)
        rl.setContentsMargins(0, 6, 0, 0)
        rl.addLayout(top)
        rl.addLayout(buttons)
        rl.addWidget(split, 1)
        self.suggestions = SuggestionsView()
        self.suggestions.register_requested.connect(self._register_suggestion)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Entities")
        self.tabs.addTab(register, "&Register")
        self.tabs.addTab(self.suggestions, "&Suggestions")
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        title = QLabel("People, organisations and places")
        title.setObjectName("paneTitle")
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        self._enable()
        if self.entities:  # read at the open, before the page was built
            self._fill()

    # --- loading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()
        else:
            self._chosen()  # its mentions, if found while the page was hidden

    def reload(self) -> None:
        if not self.session.is_open:
            return
        self._dirty = False
        ops.list_entities(self.session, self._loaded)
        if self.built and self.tabs.currentWidget() is self.suggestions and self.isVisible():
            self.load_suggestions()

    def library_opened(self) -> None:
        # The register is read at once (one query): the reader's "Add as alias of" lists it.
        self.entities, self._shown_id, self._dirty = [], None, True
        self.reload()

    def load_suggestions(self) -> None:
        self.suggestions.library = str(self.session.path or "")
        ops.suggestions(self.session, self.suggestions.set_suggestions)

    def _tab_shown(self) -> None:
        if self.tabs.currentWidget() is self.suggestions:
            self.load_suggestions()

    def on_changes(self, changes: Changes) -> None:
        if not (changes.entities or changes.documents or changes.index or changes.tags):
            return
        self._shown_id = None if changes.entities or changes.index else self._shown_id
        if self.isVisible() or changes.entities:
            self.reload()
        else:
            self._dirty = True

    def _loaded(self, entities: list[dict[str, Any]]) -> None:
        self.entities = entities
        if self.built:
            self._fill()

    def _fill(self) -> None:
        keep = self._select_after if self._select_after is not None else self.current_id()
        needle = self.filter.text().strip().casefold()
        kind = self.kind.currentData()
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)
        self.table.clear()
        chosen: QTreeWidgetItem | None = None
        for e in self.entities:
            names = e.get("names") or [e["name"]]
            if kind and e["kind"] != kind:
                continue
            if needle and not any(needle in n.casefold() for n in names):
                continue
            item = QTreeWidgetItem(self.table, [kind_label(e["kind"]), e["name"],
                                                str(len(names)), str(e.get("documents", 0))])
            item.setData(0, ID, e["id"])
            item.setToolTip(1, "\n".join(names))
            for col in (2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            if keep is not None and (e["id"] == keep or e["name"] == keep):
                chosen = item
        self.table.setSortingEnabled(True)
        self.table.blockSignals(False)
        self.split.fit(len(self.entities))
        if chosen is None and self.table.topLevelItemCount():
            chosen = self.table.topLevelItem(0)
        if chosen is not None:
            self._select_after = None
            self.table.setCurrentItem(chosen)
        self._chosen()

    # --- the chosen entity ------------------------------------------------------------------

    def current_id(self) -> int | None:
        item = self.table.currentItem()
        return int(item.data(0, ID)) if item is not None else None

    def current(self) -> dict[str, Any] | None:
        eid = self.current_id()
        return next((e for e in self.entities if e["id"] == eid), None)

    def select(self, ref: int | str) -> None:
        """Choose the entity with this id or shown name (once the register has loaded)."""
        self._select_after = ref
        self._fill()

    def _chosen(self) -> None:
        self._enable()
        entity = self.current()
        if entity is None:
            self._shown_id = None
            self.heading.setText("No entities yet" if not self.entities else "")
            self.names.setText("Register a person, organisation or place with Add…, or "
                               "confirm one the Suggestions tab offers."
                               if not self.entities else "")
            self.state.setText("")
            self.mentions.set_mentions([])
            self.linked.setVisible(False)
            return
        names = entity.get("names") or [entity["name"]]
        self.heading.setText(f"{entity['name']} — {kind_label(entity['kind']).lower()}")
        self.names.setText(f"{names_text(len(names))}: " + " · ".join(names))
        self.linked.setVisible(True)
        self._load_linked(entity)
        if entity["id"] == self._shown_id or not self.isVisible():
            return  # shown already, or found when the page is shown (``showEvent``)
        self._shown_id = entity["id"]
        self.state.setText("Finding mentions across the library…")
        self.mentions.set_mentions([])
        eid = entity["id"]

        def found(documents: list[dict[str, Any]]) -> None:
            if eid != self.current_id():
                return  # another entity was chosen meanwhile
            self.mentions.set_mentions(documents)
            n, d = self.mentions.mention_count(), len(documents)
            self.state.setText(
                "No mention in the library's texts." if not d else
                f"{n} mention{'' if n == 1 else 's'} in {d} document{'' if d == 1 else 's'} "
                "(Enter or double-click opens one)")

        def failed(exc: BaseException) -> None:
            self._shown_id = None
            self.state.setText("")
            self.session.presenter.show(exc, "find the entity's mentions")

        ops.mentions(self.session, eid, found, failed)

    def _load_linked(self, entity: dict[str, Any]) -> None:
        """Its linked documents, read again whenever it is chosen or the register reloads (a
        link or unlink changes the entities)."""
        if not entity.get("documents"):
            self.linked.set_documents([])  # the register's count says none: no query
            return
        eid = entity["id"]

        def read(found: dict[str, Any]) -> None:
            if eid == self.current_id():
                self.linked.set_documents(found.get("linked_documents") or [])

        ops.get_entity(self.session, eid, read)

    def _enable(self) -> None:
        on = self.current_id() is not None
        for b in (self.edit_button, self.delete_button, self.link_button):
            b.setEnabled(on)

    # --- changes ----------------------------------------------------------------------------

    def add_entity(self, name: str = "", kind: str | None = None) -> EntityDialog:
        dialog = EntityDialog(None, name, self)
        if kind:
            dialog.kind.setCurrentIndex(max(dialog.kind.findData(kind), 0))
        self.dialog = dialog

        def submitted(kind: str, shown: str, others: list[str], note: str) -> None:
            def done(_changes: Any) -> None:
                dialog.accept()
                self.message.emit(f"Registered {shown} ({names_text(1 + len(others))})")

            self._select_after = shown  # chosen when the register reloads from the change
            ops.add_entity(self.session, kind, shown, others, note, done,
                           lambda exc: self._refused(dialog, exc))

        dialog.submitted.connect(submitted)
        dialog.open()
        return dialog

    def edit_current(self) -> None:
        entity = self.current()
        if entity is None:
            return
        dialog = EntityDialog(entity, parent=self)
        self.dialog = dialog

        def submitted(kind: str, shown: str, others: list[str], note: str) -> None:
            def done(_changes: Any) -> None:
                dialog.accept()
                self._shown_id = None  # its names may have changed: find its mentions again

            ops.save_entity(self.session, entity["id"], kind, shown, others, note, entity,
                            done, lambda exc: self._refused(dialog, exc))

        dialog.submitted.connect(submitted)
        dialog.open()

    def _refused(self, dialog: EntityDialog, exc: BaseException) -> None:
        from workbench.errors import WorkbenchError

        if isinstance(exc, WorkbenchError):
            hint = getattr(exc, "hint", None)
            dialog.failed(str(getattr(exc, "message", exc)) + (f" ({hint})" if hint else ""))
        else:
            dialog.failed()
            self.session.presenter.show(exc, "save the entity")

    def delete_current(self) -> None:
        entity = self.current()
        if entity is None:
            return
        names = entity.get("names") or [entity["name"]]
        if confirm(self, "Delete entity",
                   f"Delete {entity['name']} and its {names_text(len(names))} from the "
                   "register? The documents stay; their links to it go."):
            ops.delete_entity(self.session, entity["id"],
                              lambda _c: self.message.emit(f"Deleted {entity['name']}"))

    def link_open_document(self) -> None:
        entity, doc_id = self.current(), self.current_document()
        if entity is None:
            return
        if doc_id is None:
            self.message.emit("Open a document in the viewer first.")
            return
        ops.link_document(self.session, entity["id"], doc_id, lambda _c: self.message.emit(
            f"Linked the open document to {entity['name']}"))

    def unlink_document(self, doc_id: int, title: str) -> None:
        entity = self.current()
        if entity is None:
            return
        # The title isolated (FSI … PDI): a right-to-left one keeps its own full stop and
        # leaves the quotes and the sentence around it in their places.
        if confirm(self, "Unlink document",
                   f"Unlink “\u2068{title}\u2069” from \u2068{entity['name']}\u2069? The "
                   "document stays in the library; only its link to this entity goes."):
            ops.unlink_document(self.session, entity["id"], doc_id, lambda _c: self.message.emit(
                f"Unlinked “\u2068{title}\u2069” from \u2068{entity['name']}\u2069"))

    def _register_suggestion(self, row: dict[str, Any]) -> None:
        dialog = self.add_entity(row["name"], row.get("kind_guess"))

        def registered() -> None:
            self.tabs.setCurrentIndex(0)

        dialog.accepted.connect(registered)
