"""What File → Verify library tells the person: every finding in words, and what to do.

Stray originals (files an interrupted import left in ``originals/`` that no document names) are
not damage: the report says so and offers to import them as documents or remove them, both
through the core's ``collect_strays`` (audited). Damage points to restoring a backup.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget


def summary(result: dict[str, Any]) -> str:
    lines = [f"{result.get('documents_checked', 0)} originals, "
             f"{result.get('text_layers_checked', 0)} text layers and "
             f"{result.get('audit_events_checked', 0)} audit events checked."]
    if result.get("ok"):
        lines.append("Every original matches its SHA-256, every text matches the hash recorded "
                     "when it was made, and the audit chain is intact.")
    else:
        problems = result.get("problems", [])
        lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}:")
        lines += [f"• {p.get('problem')}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… and {len(problems) - 20} more (workbench verify --json lists all)")
        restore = result.get("restore") or {}
        if restore.get("backup"):
            lines.append(f"\nThe newest backup copy is {restore['backup']}.")
        lines.append("Restore from a backup (File → Restore from backup) to get back a library "
                     "that verifies.")
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
