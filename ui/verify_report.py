"""What File → Verify library tells the person: every finding in words, and what to do.

Each finding names its document as the person knows it (title, number and file name), not
only by the hash its bytes now have. Damage points to restoring a backup only when the library
has one; a library never backed up is told what it can still do: re-import the original from
where it came from, and keep the report as evidence of when the change was found.

Stray originals (files an interrupted import left in ``originals/`` that no document names) are
not damage: the report says so and offers to import them as documents or remove them, both
through the core's ``collect_strays`` (audited).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from .quoting import quoted


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _finding(problem: dict[str, Any]) -> str:
    """One line: what is damaged (the document by title, number and file name), then how."""
    what = str(problem.get("problem"))
    kind = problem.get("kind")
    if problem.get("document_id") is not None:
        subject = f"document {problem['document_id']}"
        if problem.get("file_name"):
            subject += f", {problem['file_name']}"
        title = str(problem.get("title") or "").strip()
        named = f"{quoted(title)} ({subject})" if title else subject.capitalize()
        if kind == "text":
            what = f"its text: {what}"
        return f"• {named}: {what}"
    if kind == "audit" and problem.get("event_id") is not None:
        return f"• Audit event {problem['event_id']}: {what}"
    return f"• {what}"


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d %b %Y")
    except ValueError:
        return iso


def _advice(result: dict[str, Any]) -> list[str]:
    """What to do about damage: the backup there is, or what is left without one."""
    problems = result.get("problems", [])
    restore = result.get("restore") or {}
    backup = result.get("last_backup") or {}
    if backup.get("present"):
        return [f"\nThe last backup of this library was made on {_when(backup['at'])}, in "
                f"{backup['destination']}.",
                "Restore from it (File → Restore from backup) to get back a library that "
                "verifies."]
    if restore.get("backup"):  # a library that could not be opened: the copy beside it
        return [f"\nThe newest backup copy is {restore['backup']}.",
                "Restore from a backup (File → Restore from backup) to get back a library "
                "that verifies."]
    lines = ["\nThis library has never been backed up, so there is no copy to restore from."
             if not backup else
             f"\nThe last backup ({_when(backup['at'])}, in {backup['destination']}) is no "
             "longer there, so there is no copy to restore from here."]
    if any(p.get("kind") == "original" for p in problems):
        lines.append("Import the original again from its source (the file, e-mail or web page "
                     "it came from) to have an intact copy in the library.")
    lines.append("Keep this report as evidence of when the change was found"
                 + (": the check is recorded with its time in View → History."
                    if result.get("recorded") or result.get("pending") else
                    " (its text can be selected and copied)."))
    return lines


def summary(result: dict[str, Any]) -> str:
    lines = [f"{_n(result.get('documents_checked', 0), 'original')}, "
             f"{_n(result.get('text_layers_checked', 0), 'text layer')} and "
             f"{_n(result.get('audit_events_checked', 0), 'audit event')} checked."]
    if result.get("ok"):
        lines.append("Every original matches its SHA-256, every text matches the hash recorded "
                     "when it was made, and the audit chain is intact.")
    else:
        problems = result.get("problems", [])
        lines.append(f"{_n(len(problems), 'problem')}:")
        lines += [_finding(p) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… and {len(problems) - 20} more (workbench verify --json lists all)")
        lines += _advice(result)
    strays = result.get("strays", [])
    if strays:
        size = sum(int(s.get("size") or 0) for s in strays)
        lines.append(f"\n{len(strays)} file{'s' if len(strays) != 1 else ''} "
                     f"({size:,} bytes) in the originals folder belong to no document: an "
                     "import was interrupted. This is not damage and nothing is lost.")
    return "\n".join(lines)


def show(parent: QWidget, result: dict[str, Any], collect: Any) -> None:
    """Show the report; ``collect(adopt: bool)`` is called when the person chooses to import
    or remove the stray files."""
    box = QMessageBox(parent)
    box.setWindowTitle("Library verified" if result.get("ok") else "Problems found")
    box.setIcon(QMessageBox.Icon.Information if result.get("ok")
                else QMessageBox.Icon.Warning)
    box.setText(summary(result))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a title or file name is never markup
    # to copy into a note or a complaint: the report is evidence of when damage was found
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    adopt = remove = None
    if result.get("strays"):
        adopt = box.addButton("&Import them as documents", QMessageBox.ButtonRole.AcceptRole)
        remove = box.addButton("&Remove them", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("&Leave them", QMessageBox.ButtonRole.RejectRole)
    else:
        box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    clicked = box.clickedButton()
    if clicked is not None and clicked is adopt:
        collect(True)
    elif clicked is not None and clicked is remove:
        collect(False)
