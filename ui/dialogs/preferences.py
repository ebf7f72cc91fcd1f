"""Edit → Preferences: theme, text size, OCR languages, exhibit and Bates prefixes, library and
the backup reminder.

OK (or Apply) saves the choices for this user (``ui.preferences``) and applies the looks at once;
nothing needs a restart except the default library, which is the one opened at the next start.
A library folder that cannot be used is explained under the field and the dialog stays open.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import preferences as prefs_store
from ..operations.preferences import (
    installed_ocr_languages,
    library_folder_problem,
    missing_ocr_languages,
    standard_library_path,
)
from ..preferences import TEXT_SIZES, Preferences

THEME_LABELS = [("Same as the system", "system"), ("Light", "light"), ("Dark", "dark")]


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("secondary")
    label.setWordWrap(True)
    return label


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.setMinimumWidth(620)
        self.initial = prefs_store.load()
        layout = QVBoxLayout(self)
        # The groups scroll, the buttons stay: at 1024x700 (or 200 % text) the dialog was
        # taller than the screen and its OK button could not be reached.
        page = QWidget()
        groups = QVBoxLayout(page)
        groups.setContentsMargins(0, 0, 0, 0)
        groups.addWidget(self._looks_box())
        groups.addWidget(self._import_box())
        groups.addWidget(self._dossier_box())
        groups.addWidget(self._library_box())
        self.groups_scroll = QScrollArea()
        self.groups_scroll.setWidgetResizable(True)
        self.groups_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.groups_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.groups_scroll.setWidget(page)
        layout.addWidget(self.groups_scroll, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout.addWidget(self.buttons)
        self._show(self.initial)
        self._fitted_font = QFont()  # the text the dialog's size was worked out for
        self._fit()
        self._refit_pending = False

    # --- a text size applied while open -----------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        # Apply of a larger text size reaches the open dialog as a font change (and the style
        # sheet's re-application as a style change). Its size was worked out for the old text:
        # the scrolled page then asked for more width than it had and was cut on the right
        # (combo arrows, "Standard location"). Once the children have the new font too
        # (hence later, from the event loop), the dialog lays itself out again and takes the
        # size the new text needs: larger, or back to smaller.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) \
                and not getattr(self, "_refit_pending", True):
            self._refit_pending = True
            QTimer.singleShot(0, self, self._refit)  # not after the dialog is gone
        super().changeEvent(event)

    def _refit(self) -> None:
        self._refit_pending = False
        if self.font() == self._fitted_font:
            return  # an Apply that left the text size alone keeps the size the person gave it
        self._fit()

    def _screen(self) -> QScreen:
        parent = self.parentWidget()
        return (self.screen() if self.isVisible() else None) or \
            (parent.screen() if parent is not None else None) or \
            QGuiApplication.primaryScreen()

    def _fit(self) -> None:
        """The size the text needs, both ways: grown for a larger text size, and back again
        for a smaller one (it kept the large size, half of it empty and on a small screen
        over most of the window); never larger than the screen."""
        page = self.groups_scroll.widget()
        layout = self.layout()
        if page is None or layout is None:
            return
        page.adjustSize()
        layout.invalidate()
        layout.activate()
        margins = layout.contentsMargins()
        # The size the wrapped hints need (the minimum a form reports would squeeze its
        # fields). Beside the page: the dialog's margins and the vertical scroll bar, which
        # shows whenever the page is taller than the room it is given.
        width = (page.sizeHint().width() + margins.left() + margins.right()
                 + self.groups_scroll.verticalScrollBar().sizeHint().width()
                 + 2 * self.groups_scroll.frameWidth())
        height = (page.sizeHint().height() + self.buttons.sizeHint().height()
                  + margins.top() + margins.bottom() + layout.spacing())
        want = QSize(max(width, self.minimumSizeHint().width()), height)
        screen = self._screen()
        room = screen.availableGeometry().size() - QSize(16, 64)  # the frame and title bar
        size = want.boundedTo(room.expandedTo(self.minimumSize()))
        centre = self.frameGeometry().center()
        if size != self.size():
            self.resize(size)
        self._fitted_font = QFont(self.font())
        if not self.isVisible():
            return  # placed over its parent when shown
        # Where it was (its centre: grown and shrunk again, it is back where it opened), but
        # on the screen: grown, it may reach past the screen's edges.
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        frame.moveCenter(centre)
        x = max(area.left(), min(frame.left(), area.right() - frame.width() + 1))
        y = max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1))
        if (x, y) != (self.frameGeometry().left(), self.frameGeometry().top()):
            self.move(x, y)

    # --- the four groups ----------------------------------------------------------------------

    def _looks_box(self) -> QGroupBox:
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for label, key in THEME_LABELS:
            self.theme.addItem(label, key)
        self.text_size = QComboBox()
        self.text_size.setAccessibleName("Text size")
        for pct in TEXT_SIZES:
            self.text_size.addItem(f"{pct} %" + (" (normal)" if pct == 100 else ""), pct)
        form = QFormLayout()
        form.addRow("Theme:", self.theme)
        forced = os.environ.get("WORKBENCH_THEME", "").lower()
        if forced in ("light", "dark"):  # say so, or the choice would seem not to work
            form.addRow("", _hint(f"WORKBENCH_THEME={forced} is set for this session and "
                                  "overrides the theme chosen here."))
        form.addRow("Text size:", self.text_size)
        return self._box("Appearance", form)

    def _import_box(self) -> QGroupBox:
        self.installed = installed_ocr_languages()
        self.ocr = QLineEdit()
        self.ocr.setAccessibleName("OCR languages")
        self.ocr.setPlaceholderText("auto — each page read in its own script")
        self.ocr.textChanged.connect(self._check_ocr)
        self.ocr_hint = _hint()
        form = QFormLayout()
        form.addRow("OCR languages:", self.ocr)
        form.addRow("", self.ocr_hint)
        return self._box("Importing scans", form)

    def _dossier_box(self) -> QGroupBox:
        self.exhibit_prefix = QLineEdit()
        self.exhibit_prefix.setAccessibleName("Exhibit prefix")
        self.exhibit_prefix.textChanged.connect(self._preview_prefix)
        self.prefix_preview = _hint()
        self.bates = QLineEdit()
        self.bates.setAccessibleName("Bates prefix")
        self.bates.setPlaceholderText("e.g. NGO-")
        form = QFormLayout()
        form.addRow("Exhibit prefix:", self.exhibit_prefix)
        form.addRow("", self.prefix_preview)
        form.addRow("Bates prefix:", self.bates)
        form.addRow("", _hint("Filled in for each export; the one used last is remembered."))
        return self._box("New dossiers and exports", form)

    def _library_box(self) -> QGroupBox:
        self.standard_library = standard_library_path()
        self.library_problem = QLabel("")
        self.library_problem.setObjectName("problem")
        self.library_problem.setStyleSheet("color: #d9534f;")
        self.library_problem.setWordWrap(True)
        self.library = QLineEdit()
        self.library.setAccessibleName("Default library folder")
        self.library.setPlaceholderText(str(self.standard_library))
        self.library.textChanged.connect(lambda _t: self.library_problem.setText(""))
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_library)
        standard = QPushButton("Standard location")
        standard.setToolTip(f"Use {self.standard_library}")
        standard.clicked.connect(lambda: self.library.setText(""))
        row = QHBoxLayout()
        row.addWidget(self.library, 1)
        row.addWidget(choose)
        row.addWidget(standard)
        form = QFormLayout()
        form.addRow("Default library:", row)
        form.addRow("", _hint("Opened when Workbench starts; New library and Open library "
                              "start beside it. Moved your library? Choose its new folder. "
                              "An empty folder gets a new library."))
        form.addRow("", self.library_problem)
        self.backup_days = QSpinBox()
        self.backup_days.setAccessibleName("Backup reminder days")
        self.backup_days.setRange(0, 365)
        self.backup_days.setSuffix(" days")
        self.backup_days.setSpecialValueText("never")
        form.addRow("Remind me to back up after:", self.backup_days)
        form.addRow("", _hint("A bar in the window (never a dialog) when the open library's "
                              "last backup is older (File → Back up library)."))
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setAccessibleName("Lock after idle minutes")
        self.lock_minutes.setRange(0, 24 * 60)
        self.lock_minutes.setSuffix(" minutes")
        self.lock_minutes.setSpecialValueText("never")
        form.addRow("Lock an encrypted library after:", self.lock_minutes)
        form.addRow("", _hint("Without keyboard or mouse use for this long, an encrypted "
                              "library closes until its passphrase is entered again."))
        return self._box("Library", form)

    @staticmethod
    def _box(title: str, form: QFormLayout) -> QGroupBox:
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        box = QGroupBox(title)
        box.setLayout(form)
        return box

    # --- values ---------------------------------------------------------------------------------

    def _show(self, p: Preferences) -> None:
        self.theme.setCurrentIndex(max(self.theme.findData(p.theme), 0))
        idx = self.text_size.findData(p.text_size)
        if idx < 0:  # a size from elsewhere (hand-edited settings) stays selectable
            self.text_size.addItem(f"{p.text_size} %", p.text_size)
            idx = self.text_size.count() - 1
        self.text_size.setCurrentIndex(idx)
        self.ocr.setText(p.ocr_languages)
        self.exhibit_prefix.setText(p.exhibit_prefix)
        self.bates.setText(p.bates_prefix)
        self.library.setText(p.library)
        self.backup_days.setValue(p.backup_reminder_days)
        self.lock_minutes.setValue(p.lock_after_minutes)
        self._check_ocr()
        self._preview_prefix()

    def chosen(self) -> Preferences:
        """The preferences as the dialog shows them now."""
        return Preferences(
            theme=str(self.theme.currentData()), text_size=int(self.text_size.currentData()),
            ocr_languages=self.ocr.text().strip(), exhibit_prefix=self.exhibit_prefix.text(),
            bates_prefix=self.bates.text().strip(), library=self.library.text().strip(),
            backup_reminder_days=self.backup_days.value(),
            lock_after_minutes=self.lock_minutes.value())

    def _check_ocr(self, *_: object) -> None:
        if not self.installed:
            self.ocr_hint.setText("Tesseract is not installed: scans import without text "
                                  "until it is.")
            return
        missing = missing_ocr_languages(self.ocr.text(), self.installed)
        text = ("Empty or auto: each page is read in the script it is written in. Or name "
                "the languages, separated by commas, e.g. eng, deu. Installed: "
                + ", ".join(self.installed) + ".")
        if missing:
            text = f"Not installed, will be skipped: {', '.join(missing)}. " + text
        self.ocr_hint.setText(text)

    def _preview_prefix(self, *_: object) -> None:
        prefix = self.exhibit_prefix.text()
        self.prefix_preview.setText(f"New dossiers number exhibits “{prefix}1”, “{prefix}2”… "
                                    "(end with a space for one before the number).")

    def _choose_library(self) -> None:
        current = Path(self.library.text().strip() or self.standard_library)
        start = current if current.is_dir() else current.parent
        folder = QFileDialog.getExistingDirectory(
            self, "Choose the default library (or an empty folder for a new one)",
            str(start if start.is_dir() else Path.home()))
        if folder:
            self.library.setText(folder)

    # --- saving ---------------------------------------------------------------------------------

    def apply(self) -> bool:
        """Saves and applies; False (dialog stays open) if the library folder cannot be used."""
        chosen = self.chosen()
        if chosen.library:
            problem = library_folder_problem(Path(chosen.library).expanduser())
            if problem:
                self.library_problem.setText(problem)
                self.library.setFocus()
                return False
        previous, self.initial = self.initial, chosen
        prefs_store.save(chosen)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            prefs_store.apply(app, chosen)
        self._refresh_window(previous, chosen)
        return True

    def _refresh_window(self, before: Preferences, after: Preferences) -> None:
        """What the window painted from the old values: marks in the reading pane (their
        colours follow the theme) and the export row's Bates prefix."""
        window = self.parentWidget()
        if window is None:
            return
        from ..viewer.text_view import TextView

        for view in window.findChildren(TextView):
            view.repaint_marks()
        builder = getattr(window, "builder", None)
        bates = getattr(builder, "bates", None)
        if isinstance(bates, QLineEdit) and bates.text().strip() in ("", before.bates_prefix):
            bates.setText(after.bates_prefix)
        status = getattr(window, "statusBar", None)
        if after.library != before.library and callable(status):
            where = after.library or str(self.standard_library)
            status().showMessage(f"Workbench will open {where} when it next starts.", 8000)

    def accept(self) -> None:
        if self.apply():
            super().accept()

