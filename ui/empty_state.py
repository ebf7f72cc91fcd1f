"""First run: an empty library says what to do instead of showing empty panes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    def __init__(self, on_import: Callable[[], None], on_folder: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.setAccessibleName("Empty library: drop files here or use File, Import")
        card = QWidget()
        card.setObjectName("dropCard")
        card.setMaximumWidth(620)
        icon = QLabel("⇣")
        icon.setObjectName("dropIcon")
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Your library is empty")
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.library_label = QLabel("")
        self.library_label.setObjectName("secondary")
        self.library_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.library_label.setWordWrap(True)
        body = QLabel("Drop PDF reports, saved web pages, text, office files or e-mail here, "
                      "or choose File → Import. Every original is kept byte for byte with its "
                      "SHA-256, and each file is read in an isolated process.")
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        files = QPushButton("Import files…")
        files.setObjectName("primary")
        files.setAccessibleName("Import files")
        files.clicked.connect(on_import)
        folder = QPushButton("Import a folder…")
        folder.setAccessibleName("Import a folder")
        folder.clicked.connect(on_folder)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(files)
        row.addWidget(folder)
        row.addStretch(1)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(40, 36, 40, 36)
        inner.setSpacing(14)
        inner.addWidget(icon)
        inner.addWidget(title)
        inner.addWidget(body)
        inner.addLayout(row)
        inner.addWidget(self.library_label)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(card, 3)
        h.addStretch(1)
        outer.addLayout(h)
        outer.addStretch(2)

    def set_library(self, path: str) -> None:
        self.library_label.setText(f"Library: {path}")
