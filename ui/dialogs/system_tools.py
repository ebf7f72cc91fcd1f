"""Help → Optional tools: the report of ``workbench.system_tools`` (the same as ``workbench
doctor``) as a table — tool, whether it is installed, what it enables, how to add it — with
what is lost without the missing ones and a Copy button for the one apt line adding them all.

The probes run on opening, on the GUI thread: they are a PATH lookup, two short program runs
(``tesseract --version`` and its language list, ``pdftotext -v``) and loading shared
libraries, tens of milliseconds together, and a dialog that shows a stale report would be worse.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .common import Row, fill_table, readonly_table

HEADERS = ["Tool", "Available", "What it enables", "How to add it"]


def _row(tool: dict[str, Any]) -> Row:
    install = tool["install"]
    how = f"{install['apt']} (Debian, Ubuntu); elsewhere: {install['other_systems']}"
    if not tool["available"]:
        return [tool["title"], "Not installed", tool["enables"], how], "bad"
    facts = [tool["version"]] if tool["version"] else []
    if tool.get("languages"):
        facts.append("languages " + ", ".join(tool["languages"]))
    packages = " ".join(install["debian_packages"])
    return [tool["title"], "Yes" + (f" ({'; '.join(facts)})" if facts else ""),
            tool["enables"], f"installed (Debian: {packages})"], "ok"


class SystemToolsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Optional tools")
        self.setAccessibleName("Optional tools")
        self.resize(1000, 460)
        intro = QLabel("Workbench works without these programs and libraries; each one adds "
                       "a feature. The same report: <code>workbench doctor</code>.")
        intro.setWordWrap(True)
        self.table = readonly_table("Optional tools")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What is missing")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton("&Copy apt line")
        self.copy_button.setToolTip("Copy the apt-get line that adds every missing tool, to "
                                    "run or to give to an administrator")
        self.copy_button.clicked.connect(self.copy_command)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.apt: str | None = None
        self.summary = ""
        self.refresh()

    def refresh(self) -> None:
        from workbench.system_tools import report

        data = report()
        fill_table(self.table, HEADERS, [_row(t) for t in data["tools"]])
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 200)
        self.table.setColumnWidth(2, 360)
        # Four rows, each naming packages to ask for: wrap them whole rather than cut to "…".
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        self.apt = data["apt"]
        self.copy_button.setEnabled(self.apt is not None)
        self.copy_button.setVisible(self.apt is not None)  # nothing to copy: no button to wonder at
        self.summary = self._summary(data)
        self.status.setText(self.summary)

    @staticmethod
    def _summary(data: dict[str, Any]) -> str:
        if data["ok"]:
            return "Every optional tool is installed."
        lost = [f"{t['title']}: {t['missing_effect']}." for t in data["tools"]
                if not t["available"]]
        return "Without them: " + " ".join(lost) + f"\nTo add them all: {data['apt']}"

    def copy_command(self) -> None:
        if self.apt is None:
            return
        QApplication.clipboard().setText(self.apt)
        self.status.setText(f"{self.summary}\nCopied to the clipboard.")
