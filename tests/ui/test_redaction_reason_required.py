"""The redaction dialogs say that the private reason is required, and Enter without one
takes the user to it: a walk under Xvfb (session 15) typed a name and pressed Enter, and
nothing happened: the Redact button stayed disabled for a missing reason no one mentioned."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from tests.ui.test_redaction_label_dialogs import NOTE, WITNESS, _builder, _open_term_dialog


def test_enter_without_a_reason_goes_to_the_reason_and_says_it_is_required(
        window: Any, qtbot: Any) -> None:
    builder = _builder(window)
    did = facade(window, lambda wb: wb.create_dossier("Reasons")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=NOTE))
    builder.open_dossier(did)
    dialog = _open_term_dialog(builder, qtbot)
    sent: list[tuple[str, ...]] = []
    dialog.submitted.connect(lambda *args: sent.append(args))

    assert "required" in dialog.reason.placeholderText()
    dialog.term.setFocus()
    qtbot.keyClicks(dialog.term, WITNESS)
    qtbot.keyClick(dialog.term, Qt.Key.Key_Return)
    assert dialog.isVisible() and sent == []
    assert dialog.focusWidget() is dialog.reason  # where the missing part is typed
    assert dialog.missing.isVisible()
    assert dialog.missing.text() == "Type a private reason to redact: it is required."

    qtbot.keyClicks(dialog.reason, "his family is still detained")
    assert not dialog.missing.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert sent == [(WITNESS, "REDACTED", "his family is still detained")]
