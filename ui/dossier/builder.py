"""The dossier builder page: choose a dossier, order exhibits, comment, section, redact, export.

Everything shown comes from ``get_dossier`` and ``dossier_view`` (run on the worker) and is
redrawn after each change, so exhibit numbers are always the core's live numbering and each item
shows its redactions as the exports print them. Section and item actions are buttons and a
context menu on the list. Export runs on the worker behind a progress dialog whose Cancel sets
the task's flag; it ends in one dialog offering "Open folder". The redaction dialogs are in
``redacting``; ``note_offer`` offers a highlight's note as its exhibit's commentary.

Layout (session 16, for 1024x700): the exhibits above and the editing area below share a
split (``editing_split``); the editing area is the page's one scroll area, and the lists in it
show all their rows; the Export row stays in view under the split.

It is a ``LazyPanel`` (issue 16): its widgets are built the first time it is shown or a
widget of it is touched, not as the library opens. Until then ``set_dossiers``,
``open_dossier``, ``reset`` and ``_show`` keep to its state (the dossiers, the dossier open
and its data), which ``_build`` then shows; features that add to its widgets do it through
``when_built``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import preferences
from ..dialogs.confirm import confirm
from ..dialogs.dossier_dialogs import (
    NewDossierDialog,
    RedactQuoteDialog,
    RedactTermDialog,
    RenameSectionDialog,
)
from ..elided_combo import ElidedComboBox
from ..elided_label import ElidedLabel
from ..fitted_list import FittedList
from ..flow_layout import FlowLayout
from ..lazy_panel import LazyPanel
from ..operations import dossiers as ops
from ..session import Session
from ..window_fit import VerticalScroller
from . import redacting
from .adding import add_new
from .editing_split import EditingSplit
from .export_flow import ExportFlow
from .facsimile_row import FacsimileRow
from .items import ITEM_ID, SECTION, ExhibitList
from .note_offer import NoteOffer

FORMATS = [("PDF", "pdf"), ("Word (DOCX)", "docx"), ("HTML", "html"),
           ("Bundle with originals", "bundle")]


class DossierBuilder(LazyPanel):
    exported = Signal(object)  # the export result dict
    dossier_opened = Signal(int)  # the dossier now shown (the sidebar highlights it)
    # Read by ``entities.redact`` (None: not read yet); a class default, so asking for it
    # does not build the panel.
    entity_register: dict[int, dict[str, Any]] | None = None

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dossier_id: int | None = None
        self._select_after: int | None = None  # a new exhibit to select once it is listed
        self.data: dict[str, Any] = {}
        self._dossiers: list[dict[str, Any]] = []  # the chooser's, as the sidebar read them
        self._on_build: list[Callable[[], None]] = []
        self.last_export: dict[str, Any] | None = None
        self.result_box: QMessageBox | None = None
        self.new_dialog: NewDossierDialog | None = None
        self.rename_dialog: RenameSectionDialog | None = None
        self.redact_dialog: RedactQuoteDialog | None = None
        self.redact_term_dialog: RedactTermDialog | None = None
        self.exporter = ExportFlow(self)

    def when_built(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the widgets exist (now, if they do): for features adding to
        them (the chronology's button, the corroboration toggle)."""
        if self.built:
            hook()
        else:
            self._on_build.append(hook)

    def _build(self) -> None:
        session = self.session
        self.chooser = ElidedComboBox()
        self.chooser.setAccessibleName("Dossier")
        # A long dossier title elides ("…", whole in the tooltip) instead of pushing the
        # buttons over it; asking for little keeps "Freeze…" (or "New version") on its row at
        # 1024 px, and the box still takes all the room its row has left.
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(4)
        self.chooser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.chooser.activated.connect(lambda _i: self.open_dossier(self.chooser.currentData()))
        new = QPushButton("New dossier…")
        new.clicked.connect(self.new_dossier)
        self.meta = QLabel("")
        self.meta.setObjectName("secondary")
        self.meta.setWordWrap(True)
        # Rows of buttons wrap when the pane is narrow (1024 px, large text): never cut or overlap.
        top = FlowLayout()
        title = QLabel("Dossier")
        title.setObjectName("paneTitle")
        top.addWidget(title)
        top.addWidget(self.chooser)
        top.addWidget(new)
        self.freeze_button = QPushButton("Freeze…")
        self.freeze_button.setEnabled(False)
        self.freeze_button.clicked.connect(self.freeze_or_copy)
        top.addWidget(self.freeze_button)

        self.items = ExhibitList()
        self.items.reordered.connect(self._reorder)
        self.items.dropped.connect(self._dropped)
        self.items.currentItemChanged.connect(self._item_selected)
        self.items.setContextMenuPolicy(self.items.contextMenuPolicy().CustomContextMenu)
        self.items.customContextMenuRequested.connect(self._context_menu)
        self.items.itemDoubleClicked.connect(self._double_clicked)
        self.items.rename_requested.connect(self.rename_section)
        # The builder takes the document list's place, so documents are dropped on the
        # dossier's name in the sidebar instead of here.
        self.hint = QLabel("Ctrl+D adds the open document or the selected highlight. Drag "
                           "highlights here from the Highlights tab, or documents from the list "
                           "(Ctrl+1) onto this dossier in the sidebar.")
        self.hint.setObjectName("secondary")
        self.hint.setWordWrap(True)

        self.commentary = QPlainTextEdit()
        self.commentary.setPlaceholderText("Commentary for the selected exhibit")
        self.commentary.setAccessibleName("Commentary")
        self.commentary.setTabChangesFocus(True)  # Tab goes on: it kept the keyboard in here
        self.commentary.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        save_comment = QPushButton("Save commentary")
        save_comment.clicked.connect(self._save_commentary)
        self.facsimile = FacsimileRow(self._set_facsimile)
        self.use_note = NoteOffer(session, self.commentary)
        self.use_note.used.connect(self._save_commentary)
        section = QPushButton("Add section…")
        section.clicked.connect(self._add_section)
        self.rename_button = QPushButton("Rename section…")
        self.rename_button.setToolTip("Rename the selected section (F2, or double-click it)")
        self.rename_button.clicked.connect(self.rename_section)
        note = QPushButton("Add note…")
        note.clicked.connect(self._add_note)
        remove = QPushButton("Remove exhibit")
        remove.clicked.connect(self._remove)
        edit_row = FlowLayout()
        for b in (save_comment, self.use_note, section, self.rename_button, note, remove):
            edit_row.addWidget(b)
        self.edit_row = edit_row  # other features add their buttons here (chronology section)

        # As tall as its rows (three at least): inside the editing area's scroll it never
        # scrolls itself, so the wheel over it scrolls the area (fitted_list).
        self.redactions = FittedList(min_rows=3)
        self.redactions.setAccessibleName("Redactions")
        redact = QPushButton("Redact term…")
        redact.setAccessibleName("Redact a term")
        redact.setToolTip("Hide a word or name everywhere in this dossier")
        redact.clicked.connect(lambda: redacting.redact_term(self))
        self.redact_person_button: QPushButton | None = None
        if session.has("redact_entity", "list_entities"):
            from ..entities.redact import redact_person

            self.redact_person_button = QPushButton("Redact person…")
            self.redact_person_button.setToolTip("Hide every name and alias of a registered "
                                                 "person (in any script) everywhere in this "
                                                 "dossier")
            self.redact_person_button.clicked.connect(lambda: redact_person(self))
        self.redact_item_button = QPushButton("Redact text in item…")
        self.redact_item_button.setToolTip("Hide words inside the selected exhibit or note")
        self.redact_item_button.clicked.connect(self.redact_in_item)
        unredact = QPushButton("Remove redaction")
        unredact.clicked.connect(lambda: redacting.remove_selected(self))
        red_row = FlowLayout()
        red_label = QLabel("Redactions")
        red_label.setObjectName("secondary")
        red_row.addWidget(red_label)
        red_row.addWidget(self.redact_item_button)
        red_row.addWidget(redact)
        if self.redact_person_button is not None:
            red_row.addWidget(self.redact_person_button)
        red_row.addWidget(unredact)

        self.format = QComboBox()
        self.format.setAccessibleName("Export format")
        for label, key in FORMATS:
            self.format.addItem(label, key)
        self.bates = QLineEdit()
        self.bates.setPlaceholderText("Bates prefix (e.g. NGO-)")
        self.bates.setAccessibleName("Bates prefix")
        self.bates.setMinimumWidth(190)
        self.bates.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.bates.setText(preferences.load().bates_prefix)  # the one used last
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.choose_export)
        # A long path here must not widen the pane (at 1024 px it squeezed the sidebar).
        self.status = ElidedLabel("", mode=Qt.TextElideMode.ElideMiddle)
        self.status.setObjectName("secondary")
        # Beside Export… (it mostly says how an export went), taking what its row has left:
        # a line of its own cost the exhibits a row at 1024x700.
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        ex_row = FlowLayout()
        ex_row.addWidget(self.format)
        ex_row.addWidget(self.bates)
        ex_row.addWidget(self.export_button)
        ex_row.addWidget(self.status)

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.commentary)
        # The selected exhibit's options share one row where they fit (the corroboration
        # toggle is inserted after the facsimile row: ui/links/dossier.py).
        options = QWidget()
        FlowLayout(options).addWidget(self.facsimile)
        bl.addWidget(options)
        bl.addLayout(edit_row)
        bl.addLayout(red_row)
        bl.addWidget(self.redactions)
        bl.addStretch(1)
        # On a short screen the editing area scrolls rather than squeezing its rows together.
        # It is the builder's one scroll area: the lists in it show all their rows.
        scroller = VerticalScroller(bottom)
        self.editing_area = scroller  # an export keeps where it is scrolled (export_flow)
        self.split = split = EditingSplit(self.items, scroller)
        # Export stays in view under the split, whatever the editing area is scrolled to.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.meta)
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)
        layout.addLayout(ex_row)
        hooks, self._on_build = self._on_build, []
        for hook in hooks:
            hook()
        self._fill_chooser()
        if self.data and self.data.get("id") == self.dossier_id:
            self._show(self.data)

    # --- loading ----------------------------------------------------------------------------------

    def set_dossiers(self, dossiers: list[dict[str, Any]]) -> None:
        self._dossiers = list(dossiers)
        if self.built:
            self._fill_chooser()
        if self.dossier_id is None and dossiers:
            self.open_dossier(dossiers[-1]["id"])

    def _fill_chooser(self) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for d in self._dossiers:
            self.chooser.addItem(f"{d['title']}  ({d.get('items', 0)})", d["id"])
        if self.dossier_id is not None:
            self.chooser.setCurrentIndex(max(self.chooser.findData(self.dossier_id), 0))
        self.chooser.blockSignals(False)

    def reset(self) -> None:
        self.dossier_id, self.data, self._select_after = None, {}, None
        self._dossiers = []
        if not self.built:
            return
        self.freeze_button.setEnabled(False)
        self.items.clear()
        self.redactions.clear()
        self.chooser.clear()
        self.meta.setText("")

    def open_dossier(self, dossier_id: int | None) -> None:
        if dossier_id is None:
            return
        self.dossier_id = int(dossier_id)
        idx = self.chooser.findData(self.dossier_id) if self.built else -1
        if idx >= 0:
            self.chooser.setCurrentIndex(idx)
        self.reload()
        self.dossier_opened.emit(self.dossier_id)

    def reload(self) -> None:
        if self.dossier_id is not None:
            did = self.dossier_id
            self.session.query(lambda wb: ops.load(wb, did), self._show, "open the dossier")

    def _show(self, data: dict[str, Any]) -> None:
        if data["id"] != self.dossier_id:
            return
        self.data = data
        if not self.built:  # shown by _build
            return
        current = self.items.currentItem()
        keep = current.data(ITEM_ID) if current is not None else None
        self.items.set_entries(data["entries"], data.get("layout"))
        if keep is not None:
            self.items.select_item(keep)
        if self._select_after is not None and self.items.select_item(self._select_after):
            self._select_after = None
        self.rename_button.setEnabled(bool(data.get("sections")))
        n = len(data["entries"])
        frozen = " · frozen (read-only)" if data.get("frozen") else ""
        self.freeze_button.setEnabled(True)
        self.freeze_button.setText("New version" if data.get("frozen") else "Freeze…")
        self.freeze_button.setToolTip(
            "Make an editable copy of this frozen dossier" if data.get("frozen") else
            "Fix the exhibit numbers and refuse further edits (for filing)")
        self.meta.setText(f"{n} item{'s' if n != 1 else ''} · exhibits numbered "
                          f"“{data.get('prefix') or ''}1”, “{data.get('prefix') or ''}2”…{frozen}")
        self.hint.setVisible(n == 0)
        self.facsimile.show_entry(self._entry())
        self.redactions.clear()
        for r in data.get("redactions", []):
            where = ("" if r.get("item_id") is None
                     else f" (in {redacting.item_label(self, r['item_id'])})")
            # What the export prints, then the private reason (shown here only).
            item = QListWidgetItem(redacting.rule_text(self, r, where))
            item.setToolTip(item.text())  # the row is cut with "…" at the list's width
            item.setData(ITEM_ID, r["id"])
            self.redactions.addItem(item)

    # --- editing ---------------------------------------------------------------------------------

    def new_dossier(self) -> None:
        dialog = NewDossierDialog(preferences.load().exhibit_prefix, self)
        dialog.accepted.connect(lambda: self.create_dossier(dialog.title.text().strip(),
                                                            dialog.prefix.text()))
        self.new_dialog = dialog
        dialog.open()

    def create_dossier(self, title: str, prefix: str | None = None) -> None:
        def done(changes: Any) -> None:
            if getattr(changes, "dossier_ids", None):
                self.open_dossier(changes.dossier_ids[0])

        ops.create_dossier(self.session, title, done, prefix)

    def freeze_or_copy(self) -> None:
        did = self.dossier_id
        if did is None:
            return
        if self.data.get("frozen"):
            ops.new_version(self.session, did, lambda ch: self.open_dossier(ch.dossier_ids[0]))
            return
        if confirm(self, "Freeze dossier",
                   f"Freeze “{self.data.get('title', '')}”? Its exhibit numbers are then fixed "
                   "and it can no longer be edited; you can make an editable new version at "
                   "any time."):
            ops.freeze(self.session, did)

    def add(self, highlights: list[int], documents: list[int], position: int | None = None,
            on_noted: Callable[[int], None] | None = None) -> None:
        """``on_noted`` gets how many new exhibits are highlights with a note; the first of
        them is selected, so its commentary box offers the note (``NoteOffer``)."""
        if self.dossier_id is None:
            self.status.setText("Create a dossier first.")
            return

        def added(noted: list[int]) -> None:
            if noted:
                # Listed already when the reload ran first (a synchronous worker), else later.
                if not self.built or not self.items.select_item(noted[0]):
                    self._select_after = noted[0]
                if on_noted is not None:
                    on_noted(len(noted))

        ops.add_items(self.session, self.dossier_id, highlights, documents, position, added)

    def _dropped(self, highlights: list[int], documents: list[int], row: int) -> None:
        before = sum(1 for i in range(min(row, self.items.count()))
                     if self.items.item(i).data(ITEM_ID))
        position = None if row >= self.items.count() else before + 1
        add_new(self, highlights, documents, self.status.setText, position)  # no duplicates

    def _reorder(self, item_id: int, position: int, section: Any) -> None:
        if self.dossier_id is not None:
            ops.move_item(self.session, self.dossier_id, item_id, position, section)

    def selected_item(self) -> int | None:
        item = self.items.currentItem()
        return int(item.data(ITEM_ID)) if item is not None and item.data(ITEM_ID) else None

    def _item_selected(self, *_: Any) -> None:
        item_id = self.selected_item()
        entry = next((e for e in self.data.get("entries", []) if e["id"] == item_id), None)
        self.commentary.setPlainText(entry.get("commentary", "") if entry else "")
        self.use_note.offer(entry)
        self.facsimile.show_entry(entry)

    def _set_facsimile(self, item_id: int, on: bool, pages: str | None) -> None:
        if self.dossier_id is not None:
            did, seen = self.dossier_id, self.data.get("version")  # the dossier as shown

            def refused(exc: BaseException) -> None:
                from workbench.errors import ConflictError

                from .. import conflicts

                if not isinstance(exc, ConflictError):
                    self._facsimile_refused(exc)
                elif conflicts.ask(self, exc.message) == conflicts.OVERWRITE:
                    ops.set_facsimile(self.session, did, item_id, on, pages,
                                      on_error=self._facsimile_refused,
                                      expected_version=seen, force=True)
                else:  # their change stands: show the dossier as it is now
                    self.facsimile.show_entry(self._entry())
                    self.reload()

            ops.set_facsimile(self.session, did, item_id, on, pages, on_error=refused,
                              expected_version=seen)

    def _facsimile_refused(self, exc: BaseException) -> None:
        self.session.presenter.show(exc, "show the exhibit as its original pages")
        self.facsimile.show_entry(self._entry())  # back to what the core holds

    def _entry(self) -> dict[str, Any] | None:
        item_id = self.selected_item()
        return next((e for e in self.data.get("entries", []) if e["id"] == item_id), None)

    def _save_commentary(self) -> None:
        item_id = self.selected_item()
        if self.dossier_id is not None and item_id is not None:
            from ..conflicts import on_conflict

            dossier, text, seen = self.dossier_id, self.commentary.toPlainText(), \
                self.data.get("version")
            ops.set_commentary(self.session, dossier, item_id, text, expected_version=seen,
                               on_error=on_conflict(
                                   self, self.session.presenter, "save the commentary",
                                   reload=self.reload,
                                   overwrite=lambda: ops.set_commentary(
                                       self.session, dossier, item_id, text,
                                       expected_version=seen, force=True)))

    def _add_section(self) -> None:
        title, ok = QInputDialog.getText(self, "Add section", "Section title:")
        if ok and title.strip() and self.dossier_id is not None:
            ops.add_section(self.session, self.dossier_id, title.strip())

    def _add_note(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, "Add note", "Note text:")
        if ok and text.strip() and self.dossier_id is not None:
            ops.add_note(self.session, self.dossier_id, text.strip())

    def _remove(self) -> None:
        item_id = self.selected_item()
        if self.dossier_id is not None and item_id is not None:
            ops.remove_item(self.session, self.dossier_id, item_id)

    def redact(self, term: str, reason: str, label: str | None = None) -> None:
        """``label`` is printed in the exports (None: REDACTED); ``reason`` stays private."""
        if self.dossier_id is not None:
            ops.redact_term(self.session, self.dossier_id, term, reason, label)

    # --- sections and per-item redaction ----------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        row = self.items.itemAt(pos)
        if row is None:
            return
        self.items.setCurrentItem(row)
        menu = QMenu(self)
        if row.data(ITEM_ID):
            menu.addAction("Redact text in this item…", self.redact_in_item)
            menu.addAction("Remove exhibit", self._remove)
        if row.data(SECTION) is not None:
            menu.addAction("Rename section…", self.rename_section)
        menu.popup(self.items.viewport().mapToGlobal(pos))
        self.context_menu = menu  # kept so tests can read its actions

    def _double_clicked(self, row: QListWidgetItem) -> None:
        if not row.data(ITEM_ID) and row.data(SECTION) is not None:
            self.rename_section()

    def rename_section(self) -> None:
        sections = [(int(x["id"]), x["title"]) for x in self.data.get("sections", [])]
        if self.dossier_id is None or not sections:
            self.status.setText("This dossier has no sections yet: use “Add section…”.")
            return
        current, _title = self.items.current_section()
        dialog = RenameSectionDialog(sections, current, self)
        dialog.accepted.connect(lambda: self._rename(dialog))
        self.rename_dialog = dialog
        dialog.open()

    def _rename(self, dialog: RenameSectionDialog) -> None:
        sid, title = dialog.section_id(), dialog.new_title()
        if self.dossier_id is not None and sid is not None and title:
            ops.rename_section(self.session, self.dossier_id, sid, title)

    def redact_in_item(self) -> None:
        redacting.redact_in_item(self)

    # --- export (see export_flow) ------------------------------------------------------------

    def choose_export(self) -> None:
        self.exporter.choose()

    def export(self, out: Path, fmt: str, bates: str | None) -> None:
        self.exporter.run(out, fmt, bates)
