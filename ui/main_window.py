"""The main window: sidebar | list (documents, search hits or dossier) | viewer.

It wires panels to the session and to operations; it holds no domain logic. Panels refresh from
the ``Changes`` each operation returns (``on_changes``), never by reloading everything.

The window is built and painted before the core behind it is imported (issue 16): the worker
imports the facade as it opens the library, meanwhile the window says "Opening …", and the
panels that depend on the core's features (search, highlights, dossiers…) and the index status
are installed when the session says the core is loaded, just before the library shows. A
plain personal library's list and sidebar show before that, read without the core. That
start sequence (open, early list, core loaded, opened or failed) is ``library_opening.py``'s
``LibraryOpening``, mixed into the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes

from . import actions, window_fit
from .dialogs.confirm import confirm
from .dialogs.shortcuts import ShortcutsDialog
from .documents_panel import DocumentsPanel
from .elided_label import ElidedLabel
from .empty_state import EmptyState
from .errors import ErrorPresenter
from .library_opening import LibraryOpening, _import_features, _read_early
from .operations import documents as doc_ops
from .operations.imports import ImportFlow
from .operations.library import recent_libraries, sidebar_data
from .preferences import import_folder, library_dialog_folder, remember_import_folder
from .session import Session
from .sidebar import Sidebar
from .tasks import TaskManager
from .viewer.viewer import DocumentViewer

if TYPE_CHECKING:
    from .codebook.panel import CodebookPanel
    from .dossier.builder import DossierBuilder
    from .index_status import IndexStatus
    from .search.panel import SearchPanel
    from .viewer.highlights import HighlightController


class MainWindow(LibraryOpening, QMainWindow):
    def __init__(self, tasks: TaskManager | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Workbench")
        self.setAccessibleName("Workbench main window")
        self.setAcceptDrops(True)
        self.presenter = ErrorPresenter(self)
        self.tasks = tasks or TaskManager(parent=self)
        self.session = Session(self.tasks, self.presenter, self)
        self.session.changed.connect(self.on_changes)
        # First among the session's listeners: the panels are there before ``opened`` is sent.
        self.session.core_loaded.connect(self._core_loaded)
        self.session.preload = _import_features
        self.session.preread = _read_early
        self.session.previewed.connect(self._previewed)
        # Shown from the early read, before the facade (issue 16); and what was asked for
        # then that needs the core (a document, a panel), done once it is installed.
        self._early = False
        self._deferred: dict[str, Callable[[], None]] = {}
        self.imports = ImportFlow(self.session, self)
        self.acts = actions.build_actions(self)
        self._build_recent_menu()
        self._build_toolbar()
        self._build_panes()
        self.statusBar().setAccessibleName("Status bar")
        # Elided, never wider than they are given: a long library path or progress line must not
        # widen the window past a small screen.
        self.library_status = ElidedLabel("", mode=Qt.TextElideMode.ElideMiddle)
        self.library_status.setObjectName("secondary")
        self.index_label = ElidedLabel("")
        self.index_label.setObjectName("secondary")
        self.index_label.setAccessibleName("Search index progress")
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.library_status)
        self.index_status: IndexStatus | None = None  # with the core (``_core_loaded``)
        self.features_installed = False
        self.tasks.busy_changed.connect(self._busy)
        window_fit.fit_to_screen(self)
        from .backup_actions import BackupFlow

        self.backups = BackupFlow(self)
        from .encryption import EncryptionFlow

        self.encryption = EncryptionFlow(self)
        self._opening: Path | None = None
        self._creating = False
        window_fit.restore_layout(self)

    # --- construction ---

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.acts["import_files"])
        bar.addSeparator()
        self.search_field = QLineEdit()
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText("Search the library   Ctrl+K")
        self.search_field.setAccessibleName("Search the library")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(420)
        self.search_field.returnPressed.connect(self.run_search)
        bar.addWidget(self.search_field)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy())
        bar.addWidget(spacer)
        bar.addAction(self.acts["new_dossier"])
        # A toolbar's buttons take no focus by default: keyboard only, "Import files" and
        # "New dossier" could not be reached. Tab (not a click) gives them the focus, in screen
        # order, and the sidebar comes next (its place in the chain is set in ``_build_panes``).
        for name in ("import_files", "new_dossier"):
            button = bar.widgetForAction(self.acts[name])
            if button is not None:
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_panes(self) -> None:
        self.sidebar_data: dict[str, Any] = {}
        self.search_panel: SearchPanel | None = None
        self.highlighter: HighlightController | None = None
        self.builder: DossierBuilder | None = None
        self.codebook: CodebookPanel | None = None
        self.sidebar = Sidebar()
        self.sidebar.chosen.connect(self._sidebar_chosen)
        self.documents = DocumentsPanel(self.session)
        self.documents.document_chosen.connect(self.open_document)
        # A click (or Enter) on the row already selected opens it again: the reader may show
        # a search hit meanwhile, and that row no longer changes the current one (bug 4).
        self.documents.table.clicked.connect(self._row_clicked)
        self.documents.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.documents.table.customContextMenuRequested.connect(self._document_menu)
        self.middle = window_fit.PageStack()
        self.middle.setAccessibleName("Lists")
        self.middle.addWidget(self.documents)
        self.middle.currentChanged.connect(lambda _i: self.sync_sidebar())
        self.viewer = DocumentViewer(self.session)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.middle)
        self.splitter.addWidget(self.viewer)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([210, 660, 570])
        self.splitter.setChildrenCollapsible(False)
        self.empty = EmptyState(self.import_files, self.import_folder)
        self.no_library = QLabel("No library is open.\n\nUse File → Open library or "
                                 "File → New library.")
        self.no_library.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_library.setObjectName("emptyHint")
        # Shown from the first paint until the library's list is filled (``open_path``). Its
        # width is ignored: a stack asks for the widest of its pages, and a long library name
        # at double text size must not widen the window past a small screen.
        self.opening = QLabel("")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setObjectName("emptyHint")
        self.opening.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.central = QStackedWidget()
        self.central.addWidget(self.no_library)
        self.central.addWidget(self.opening)
        self.central.addWidget(self.empty)
        self.central.addWidget(self.splitter)
        wrap = QWidget()
        lay = QVBoxLayout(wrap)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.central)
        self.setCentralWidget(wrap)
        # Tab: toolbar (Import files, search, New dossier) → sidebar → list → reader. (Once
        # the panes are in the window: Qt chains only widgets of one window.)
        stops = [self.toolbar.widgetForAction(self.acts["import_files"]), self.search_field,
                 self.toolbar.widgetForAction(self.acts["new_dossier"]), self.sidebar]
        for before, after in pairwise(stops):
            if before is not None and after is not None:
                QWidget.setTabOrder(before, after)

    def _build_recent_menu(self) -> None:
        menu = self.menuBar().actions()[0].menu()
        assert isinstance(menu, QMenu)
        self.recent_menu = QMenu("Open &recent", self)
        menu.insertMenu(self.acts["import_files"], self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_libraries():
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("No recent libraries").setEnabled(False)

    # --- library ---

    def new_encrypted_library(self) -> None:
        self.encryption.new_encrypted_library()

    def new_shared_library(self) -> None:
        from .dialogs.shared_library import new_shared_library

        self.shared_dialog = new_shared_library(self)

    def share_library(self) -> None:
        from .dialogs.shared_library import share_library

        dialog = share_library(self)  # None, and said, when it cannot be shared
        if dialog is not None:
            self.shared_dialog = dialog

    def change_passphrase(self) -> None:
        self.encryption.change_passphrase()

    def lock_library(self) -> None:
        self.encryption.lock_now()

    def new_library(self) -> None:
        from .dialogs.new_library_folder import choose_new_library_folder

        chosen = choose_new_library_folder(self, "Choose an empty folder for the library")
        if chosen is not None:
            self.open_path(chosen.path, create=True)

    def open_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a Workbench library",
                                                  library_dialog_folder())
        if folder:
            self.open_path(Path(folder))

    def refresh_sidebar(self) -> None:
        if self.session.is_open:
            self.session.query(sidebar_data, self._sidebar_loaded, "read the library")

    def _sidebar_loaded(self, data: dict[str, Any]) -> None:
        self.sidebar.set_data(data)
        if self.builder is not None:
            self.builder.set_dossiers(data.get("dossiers", []))
        self.sidebar_data = data
        empty = data.get("total", 0) == 0
        self.central.setCurrentWidget(self.empty if empty else self.splitter)
        if self.sidebar.current_choice() is None:
            self.sync_sidebar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() \
                and self.session.is_open:
            # Back from the command line: its exports beside this window left their audit
            # events for the library's writer, which is this window (pending_events).
            # Quietly: it is asked at every activation (from the library's first open on,
            # when the facade may still be opening), and tried again at the next one.
            self.session.query(lambda wb: wb.record_left_events(), self._left_recorded,
                               on_error=lambda exc: logging.getLogger(__name__).warning(
                                   "could not record the exports made meanwhile: %s", exc))

    def _left_recorded(self, count: int) -> None:
        if count:
            self.statusBar().showMessage(
                f"Recorded in the audit log: {count} export{'s' if count != 1 else ''} or "
                "check made from the command line while the library was open here.", 8000)
            if getattr(self, "history_view", None) is not None and self.history_view.isVisible():
                self.history_view.refresh()

    # --- changes ---

    def on_changes(self, changes: Changes) -> None:
        if (changes.index or changes.documents) and self.index_status is not None:
            self.index_status.watch()
        if changes.documents:
            self.backups.documents_changed()  # a first import makes a backup due
        if changes.documents or changes.collections:
            self.documents.model.reload()
        elif changes.tags or changes.highlights:
            self.documents.model.refresh()  # the Tags column: the document's and its passages'
        if changes.documents or changes.collections or changes.tags or changes.dossiers \
                or changes.searches or changes.highlights:
            self.refresh_sidebar()
        if changes.documents and self.viewer.doc_id in changes.document_ids:
            # A corrected record: the document is still there (a deletion clears the viewer).
            if changes.records or (changes.highlights and not changes.index):
                self.viewer.reload()
            else:
                self.viewer.clear()
        elif changes.highlights or changes.tags:
            self.viewer.reload()
        for listener in getattr(self, "change_listeners", []):
            listener(changes)

    # --- actions ---

    def import_files(self) -> None:
        self.imports.prepare()  # while the person chooses
        files, _ = QFileDialog.getOpenFileNames(self, "Import files", str(import_folder()))
        if files:
            remember_import_folder(Path(files[0]))
            self.imports.start([Path(f) for f in files])

    def import_folder(self) -> None:
        self.imports.prepare()
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", str(import_folder()))
        if folder:
            remember_import_folder(Path(folder))
            self.imports.start([Path(folder)])

    def verify_library(self) -> None:
        self.statusBar().showMessage("Verifying every original and the audit chain…")
        self.session.query(lambda wb: wb.verify(), self._verified, "verify the library")

    def show_history(self) -> None:
        """View → History…: who did what (ui/history)."""
        if not self.session.is_open:
            self.statusBar().showMessage("Open a library to see its history.", 6000)
            return
        if getattr(self, "history_view", None) is None:
            from .history.view import HistoryView

            self.history_view = HistoryView(self.session, self)
            self.session.changed.connect(self.history_view.on_changes)
            self.session.opened.connect(self.history_view.on_opened)
        self.history_view.show()
        self.history_view.raise_()
        self.history_view.activateWindow()
        self.history_view.refresh()

    def _verified(self, result: dict[str, Any]) -> None:
        from . import verify_report

        self.statusBar().clearMessage()
        verify_report.show(self, result, self._collect_strays)

    def _collect_strays(self, adopt: bool) -> None:
        def done(out: dict[str, Any]) -> None:
            n = len(out.get("adopted", [])) if adopt else len(out.get("removed", []))
            self.statusBar().showMessage(
                f"{'Imported' if adopt else 'Removed'} {n} stray file{'s' if n != 1 else ''}.",
                8000)

        def work(wb: Any) -> tuple[dict[str, Any], Changes]:
            return (wb.collect_strays(adopt=adopt),
                    Changes(documents=True, index=True) if adopt else Changes())

        self.session.mutate(work, done, "collect stray files")

    def back_up_library(self) -> None:
        self.backups.back_up()

    def restore_backup(self) -> None:
        self.backups.restore()

    def open_document(self, doc_id: int, mark: tuple[int, int, str] | None = None) -> None:
        # From the early list: opened once the panels that add to the viewer are installed.
        if self._defer("document", lambda: self.viewer.open_document(doc_id, mark)):
            self.statusBar().showMessage("The document opens once the library is open.", 4000)
        else:
            self.viewer.open_document(doc_id, mark)

    def _row_clicked(self, index: Any) -> None:
        doc_id = self.documents.model.document_id(index.row())
        if doc_id is not None:
            self.open_document(doc_id)

    def find_in_document(self) -> None:
        if self.viewer.doc_id is not None:
            self.viewer.tabs.setCurrentIndex(0)
            self.viewer.find_bar.open_bar()

    def delete_document(self) -> None:
        if self.documents.table.hasFocus():
            self._confirm_delete()

    def _confirm_delete(self) -> None:
        ids = self.documents.selected_ids()
        if not ids:
            return
        if confirm(self, "Delete documents",
                   f"Delete {len(ids)} document{'s' if len(ids) != 1 else ''} with their "
                   "originals, text and highlights? The audit log keeps a record of the "
                   "deletion."):
            doc_ops.delete_documents(self.session, ids)

    def _document_menu(self, pos: Any) -> None:
        ids = self.documents.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        if self.builder is not None and self.builder.dossier_id is not None:
            menu.addAction("Add to the open dossier", lambda: self.builder.add([], ids)
                           if self.builder else None)
        menu.addAction("Add to collection…", lambda: self._add_to_collection(ids))
        if getattr(self, "collections_ui", False):
            from .collections_ui import add_menu_actions

            add_menu_actions(self, menu)  # "Remove from collection" in a collection's list
        menu.addAction("Show collection record", self.viewer.show_record)
        menu.addSeparator()
        menu.addAction("Delete…", self._confirm_delete)
        menu.popup(self.documents.table.viewport().mapToGlobal(pos))

    def _add_to_collection(self, ids: list[int]) -> None:
        from PySide6.QtWidgets import QInputDialog

        names = [c["name"] for c in self.sidebar_data.get("collections", [])]
        name, ok = QInputDialog.getItem(self, "Add to collection", "Collection (or a new name):",
                                        names, 0, True)
        if ok and name.strip():
            doc_ops.add_to_collection(self.session, list(ids), name.strip())

    def show_documents(self) -> None:
        self.middle.setCurrentWidget(self.documents)
        self.documents.table.setFocus()

    def focus_filter(self) -> None:
        self.show_documents()
        self.documents.filter.setFocus()
        self.documents.filter.selectAll()

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def sync_sidebar(self) -> None:
        """The sidebar highlights the entry of the page shown (View → Entities, Chronology, the
        dossier builder…), quietly: following a page never chooses it again."""
        page = self.middle.currentWidget()
        choice: tuple[str, Any] | None = None
        if page is self.documents:
            name = self.documents.model.collection
            choice = ("collection", name) if name else ("all", None)
        elif page is not None and page is self.search_panel:
            current = self.sidebar.current_choice()
            if current is not None and current[0] in ("tag", "saved_search"):
                return  # the hits of the tag or saved search chosen there
        for follow in getattr(self, "sidebar_pages", []):
            if choice is None:
                choice = follow(page)
        self.sidebar.follow(choice)

    def _sidebar_chosen(self, kind: str, payload: Any) -> None:
        if kind == "all":
            self.documents.set_collection(None)
            self.show_documents()
        elif kind == "collection":
            self.documents.set_collection(str(payload))
            self.show_documents()
        elif self._defer("sidebar", lambda: self._sidebar_chosen(kind, payload)):
            return  # a tag, search or dossier of the early sidebar: its panel comes with the core
        for handler in getattr(self, "sidebar_handlers", []):
            handler(kind, payload)

    # --- feature actions (wired by features.py when the core offers them) ---

    def _missing(self, what: str, then: Callable[[], None] | None = None) -> None:
        if not self.features_installed:  # asked for in the moment the library opens
            if then is not None and self._defer(what, then):
                self.statusBar().showMessage(f"{what} opens once the library is open.", 4000)
                return
            self.statusBar().showMessage(f"{what} is available once the library is open.", 4000)
            return
        self.statusBar().showMessage(f"{what} is not available in this build.", 4000)

    def run_search(self) -> None:
        if self.search_panel is None:
            return self._missing("Search", self.run_search)
        self.middle.setCurrentWidget(self.search_panel)
        self.search_panel.run(self.search_field.text())

    def highlight_selection(self) -> None:
        if self.highlighter is None:
            return self._missing("Highlighting")
        if not self.highlighter.highlight_selection():
            self.statusBar().showMessage("Select some text in the document first.", 4000)

    def show_dossier(self) -> None:
        if self.builder is None:
            return self._missing("The dossier builder", self.show_dossier)
        self.middle.setCurrentWidget(self.builder)

    def show_codebook(self) -> None:
        if self.codebook is None:
            return self._missing("The codebook", self.show_codebook)
        self.middle.setCurrentWidget(self.codebook)

    def new_dossier(self) -> None:
        if self.builder is not None:
            self.show_dossier()
            self.builder.new_dossier()
        else:
            self._missing("The dossier builder")

    def add_to_dossier(self) -> None:
        if self.builder is None:
            return self._missing("The dossier builder")
        from .dossier.adding import add_to_dossier

        add_to_dossier(self)  # what has the focus; never twice; always says what happened

    def export_dossier(self) -> None:
        if self.builder is not None:
            self.show_dossier()
            self.builder.choose_export()

    def leak_scan(self) -> None:
        from .dialogs.leakscan_dialog import LeakScanDialog

        terms = [r["text"] for r in (self.builder.data.get("redactions") or [])
                 ] if self.builder is not None and self.builder.dossier_id is not None else []
        self.leak_scan_dialog = LeakScanDialog(self, sync=self.session.tasks.sync,
                                               dossier_terms=terms)
        self.leak_scan_dialog.open()

    def show_preferences(self) -> None:
        from .dialogs.preferences import PreferencesDialog

        self.preferences_dialog = PreferencesDialog(self)
        self.preferences_dialog.open()

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.open()

    def show_optional_tools(self) -> None:
        from .dialogs.system_tools import SystemToolsDialog

        self.optional_tools_dialog = SystemToolsDialog(self)
        self.optional_tools_dialog.open()

    def show_about(self) -> None:
        from workbench import __version__

        QMessageBox.about(self, "About Workbench",
                          f"<b>Workbench {__version__}</b><p>An offline research workbench: "
                          "collect, search, highlight and export evidence dossiers.</p>")

    def open_folder(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _busy(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    # --- drag and drop, layout, closing ---

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.session.is_open:
            event.acceptProposedAction()
            self.imports.prepare()  # while the files are carried to the drop

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.imports.start(paths)

    def save_layout(self) -> None:
        window_fit.save_layout(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.session.close()
        self.tasks.shutdown()
        super().closeEvent(event)
