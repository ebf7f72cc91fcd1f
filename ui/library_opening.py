"""How the main window opens a library (issue 16): the start sequence, apart from the panes.

The window is painted before the core is imported. At the first open of a plain personal
library the worker reads the list's first rows and the sidebar without the core
(``_read_early``, ``Session.preread``) and the window shows them (``_previewed``); what is
asked of them that needs the core waits for it (``_defer``). The worker then imports the
core and the feature panels' modules (``_import_features``, ``Session.preload``); the window
installs the panels when the session says the core is loaded (``_core_loaded``), then shows
the opened library (``_opened``) or says why it could not (``_open_failed``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from .operations.library import remember_library, sidebar_data

if TYPE_CHECKING:
    from .index_status import IndexStatus

# What the methods below reach of the window (its panes, session, status bar) is built by
# ``MainWindow``; to the type checker this part is as open as the window it is mixed into.
_Window: Any = object


# The modules ``_core_loaded`` installs the feature panels from: imported on the worker as the
# library opens (``Session.preload``), so the GUI thread does not stall importing them.
FEATURE_MODULES = ("ui.features", "ui.index_status", "ui.shared_changes", "ui.search.panel",
                   "ui.viewer.highlights", "ui.operations.highlights", "ui.dossier.builder",
                   "ui.codebook.install", "ui.copies.install", "ui.entities.install",
                   "ui.chronology.install", "ui.chronology.dossier", "ui.links.install")


# The core's import pipeline, preloaded on the worker too: the first ``plan_import`` imported
# it (≈ 80 ms of CPU) while the window showed the import, in turns with the GUI thread's GIL.
CORE_MODULES = ("workbench.ingest",)

POLISH_AFTER_MS = 300  # after the list of a large library has its first rows


def _import_features() -> None:
    import importlib

    for name in (*FEATURE_MODULES, *CORE_MODULES):
        importlib.import_module(name)


def _read_early(reader: Any) -> dict[str, Any]:
    """On the worker, before the facade (``Session.preread``): the list's first rows and the
    sidebar, through the same functions the facade's reads go through."""
    from workbench.fast_read import Unsupported

    from .models.documents import first_block

    data = {"sidebar": sidebar_data(reader), "rows": first_block(reader)}
    try:  # the backup reminder shows with the list, not above it once the core is there
        data["backup"] = {"last_backup": reader.last_backup()}
    except Unsupported:  # the core's check says it
        pass
    return data


class LibraryOpening(_Window):
    """``MainWindow``'s part that opens a library (mixed into it: ``self`` is the window)."""

    _early: bool  # the list shown was read before the facade
    _deferred: dict[str, Callable[[], None]]  # asked of the early list, done with the core
    _opening: Path | None  # the library on its way
    _creating: bool  # … made new (File → New library…)
    index_status: IndexStatus | None

    def _core_loaded(self) -> None:
        """The core is imported (the library opened, or failed to): what depends on it."""
        from .features import install_features
        from .index_status import IndexStatus

        self.index_status = IndexStatus(self.session, self.index_label)
        install_features(self)
        self.features_installed = True
        # Polish the (still hidden) main panes soon, so the switch from the first-run page to
        # them after the first import does not stall the GUI thread for a few frames; once
        # the list is shown, in a turn of its own (issue 16: no long stall while opening).
        QTimer.singleShot(POLISH_AFTER_MS, self._polish_panes)

    def _polish_panes(self) -> None:
        for child in self.splitter.findChildren(QWidget):
            child.ensurePolished()

    def open_path(self, path: Path, create: bool = False,
                  passphrase: str | None = None) -> None:
        if passphrase is None and self.encryption.needs_passphrase(path, create):
            self.encryption.ask_and_open(path)
            return
        self.statusBar().showMessage(f"Opening {path}…")
        self._early, self._deferred = False, {}  # nothing of an open this one replaces
        self.opening.setText(f"Opening library…\n\n{path.name}")  # the path: status bar
        self.central.setCurrentWidget(self.opening)
        self._opening, self._creating = path, create
        self.session.open_library(path, create, self._opened, self._open_failed,
                                  passphrase=passphrase)

    def _previewed(self, data: dict[str, Any]) -> None:
        """The list and the sidebar as read before the facade opened (``Session.previewed``):
        shown now, as ``_opened`` would show them; the facade reads them again behind."""
        path = self.session.path
        assert path is not None
        self._early = True
        self.setWindowTitle(f"{path.name} — Workbench")  # a personal library, not shared
        self.empty.set_library(str(path))
        self.viewer.clear()
        self.documents.forget_selection()  # the list agrees with the reader: nothing chosen
        self.show_documents()
        sidebar = data["sidebar"]
        self.documents.model.fill(int(sidebar.get("total", 0)), data["rows"])
        self._sidebar_loaded(sidebar)
        self.backups.previewed(data.get("backup"), int(sidebar.get("total", 0)))

    def _defer(self, what: str, then: Callable[[], None]) -> bool:
        """While the early list shows, keep a request that needs the core for when it is
        installed (the latest of each kind); False when no library is on its way."""
        if not self._early:
            return False
        self._deferred[what] = then
        return True

    def _opened(self, path: Path) -> None:
        early, self._early = self._early, False
        remember_library(path)
        self.encryption.opened()
        read_only = self.session.read_only
        from .dialogs.shared_library import shared_caption  # "Case — shared on host"

        shared = shared_caption(path)
        self.setWindowTitle(f"{shared or path.name}{' (read-only)' if read_only else ''}"
                            " — Workbench")
        where = f"{shared} · {path}" if shared else str(path)
        self.library_status.setText(f"{where} (read-only)" if read_only else where)
        self.empty.set_library(str(path))
        if read_only:  # said once, and kept: every change will be refused
            self.statusBar().showMessage(f"Opened read-only. {read_only}.")
        else:
            self.statusBar().showMessage("Library open", 3000)
        if not early:  # else cleared when the early list showed, and used since
            self.viewer.clear()
            # …and no row chosen: one the previous library (or this one before a lock) had
            # chosen was chosen again by its id, highlighted over an empty reader (session 17)
            self.documents.forget_selection()
        if self.builder is not None:  # nothing of the previous library may linger
            self.builder.reset()
        if self.search_panel is not None:
            self.search_panel.run("")
        if early:  # the list shown is read again through the facade, kept if the same
            self.documents.model.refresh()
        else:
            self.show_documents()
            self.documents.set_collection(None)
        self.refresh_sidebar()
        if self.index_status is not None:
            self.index_status.watch()
        self.backups.library_opened()
        deferred, self._deferred = list(self._deferred.values()), {}
        for then in deferred:
            then()

    def _open_failed(self, exc: BaseException) -> None:
        from workbench.errors import WrongPassphrase

        if self._early:  # nothing read early of a library that did not open may stay
            self._early, self._deferred = False, {}
            self.documents.model.fill(0, [])
            self.sidebar.set_data({})
            self.setWindowTitle("Workbench")
        self.statusBar().clearMessage()
        if self.session.is_open:  # refused before the open library was closed: shown again
            self.central.setCurrentWidget(
                self.splitter if self.sidebar_data.get("total", 0) else self.empty)
            self.presenter.show(exc, "create the library" if self._creating
                                else "open the library")
            return
        self.show_no_library()
        if isinstance(exc, WrongPassphrase) and self._opening is not None:
            self.encryption.ask_and_open(self._opening, str(exc))  # said in the dialog
            return
        from .dialogs.shared_library import ask_server_password

        if ask_server_password(self, self._opening, exc):  # its server wants a password
            return
        self.presenter.show(exc, "create the library" if self._creating
                            else "open the library")

    def show_no_library(self) -> None:
        """No library is open (the last one was closed for one that did not open): nothing
        of the last one may stay — not its name in the title, nor a backup reminder whose
        "Back up now" has no library to back up (found on a walk, session 17). A locked
        library's page comes back instead: its Unlock still opens it."""
        self.backups.reminder.hide()
        if self.encryption.locked_path is not None:
            self.encryption.show_locked()
            return
        self.central.setCurrentWidget(self.no_library)
        self.library_status.setText("")
        self.setWindowTitle("Workbench")
