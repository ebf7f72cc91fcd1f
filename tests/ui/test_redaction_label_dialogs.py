"""The redaction dialogs' two fields (issue 14, bug 3), driven through the real widgets: a
printed label (shown in the export, ``REDACTED`` or a short category) and a private reason
(kept in the library's log, never exported), each labelled for what it does."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton

from tests.ui.conftest import facade

WITNESS = "Ahmed Karimov"
NOTE = f"{WITNESS}, a driver, saw the trucks leave."


def _builder(win: Any) -> Any:
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    return win.builder


def _form_labels(dialog: Any) -> list[str]:
    form = dialog.findChild(QFormLayout)
    out = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and isinstance(item.widget(), QLabel):
            out.append(item.widget().text())
    return out


def _open_term_dialog(builder: Any, qtbot: Any) -> Any:
    [button] = [b for b in builder.findChildren(QPushButton)
                if b.accessibleName() == "Redact a term"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = builder.redact_term_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_redact_term_dialog_prints_the_label_and_keeps_the_reason(window: Any,
                                                                   qtbot: Any) -> None:
    builder = _builder(window)
    did = facade(window, lambda wb: wb.create_dossier("Labels")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=NOTE))
    builder.open_dossier(did)
    dialog = _open_term_dialog(builder, qtbot)

    assert _form_labels(dialog) == [
        "Text to redact:", "Printed label (shown in the export):",
        "Private reason (kept in this library's log, never exported):"]
    choices = [dialog.printed_label.itemText(i) for i in range(dialog.printed_label.count())]
    assert choices[0] == "REDACTED" and "witness safety" in choices
    assert dialog.printed_label.currentText() == "REDACTED" and dialog.printed_label.isEditable()
    assert dialog.fields.mark.text() == "Exports print [REDACTED]"
    assert not dialog.ok.isEnabled()

    qtbot.keyClicks(dialog.term, WITNESS)
    assert not dialog.ok.isEnabled()  # the reason is required
    qtbot.keyClicks(dialog.reason, "his family is still detained")
    assert dialog.ok.isEnabled()
    dialog.printed_label.setCurrentText("x" * 41)  # an explanation, not a category
    assert not dialog.ok.isEnabled() and "at most 40" in dialog.fields.mark.text()
    dialog.printed_label.setCurrentIndex(choices.index("witness safety"))
    assert dialog.fields.mark.text() == "Exports print [REDACTED: witness safety]"
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    [r] = facade(window, lambda wb: wb.list_redactions(did))
    assert (r["text"], r["label"], r["reason"]) == (
        WITNESS, "witness safety", "his family is still detained")
    from ui.search.delegate import HTML_ROLE

    shown = builder.items.item(0).data(HTML_ROLE)
    # the mark as exports print it, right before the comma; never the reason
    assert ">[REDACTED: witness safety]</span>, a driver" in shown
    assert "still detained" not in shown and WITNESS not in shown
    listed = builder.redactions.item(0).text()
    assert "[REDACTED: witness safety]" in listed and "still detained" in listed


def test_a_refused_term_keeps_the_dialog_and_its_fields(window: Any, qtbot: Any) -> None:
    builder = _builder(window)
    did = facade(window, lambda wb: wb.create_dossier("Labels")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=NOTE))
    builder.open_dossier(did)
    dialog = _open_term_dialog(builder, qtbot)
    dialog.term.setText("Nobody Atall")
    dialog.printed_label.setCurrentText("personal data")
    dialog.reason.setText("why")
    dialog.ok.click()
    assert "occurs nowhere" in window.presenter.shown[-1]
    assert dialog.isVisible() and dialog.ok.isEnabled()
    assert dialog.printed_label.currentText() == "personal data"
    dialog.term.setText(WITNESS)
    dialog.ok.click()
    assert not dialog.isVisible()
    [r] = facade(window, lambda wb: wb.list_redactions(did))
    assert (r["label"], r["reason"]) == ("personal data", "why")


def test_redact_quote_dialog_has_the_same_two_fields(window: Any, qtbot: Any) -> None:
    builder = _builder(window)
    did = facade(window, lambda wb: wb.create_dossier("Labels")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=NOTE))
    builder.open_dossier(did)
    builder.items.setCurrentRow(0)
    builder.redact_in_item()
    qtbot.waitUntil(lambda: builder.redact_dialog is not None)
    dialog = builder.redact_dialog
    assert _form_labels(dialog)[1:] == [
        "Printed label (shown in the export):",
        "Private reason (kept in this library's log, never exported):"]
    dialog.select_range(0, len(WITNESS))
    dialog.reason.setText("asked not to be named")
    assert dialog.fields.mark.text() == "Exports print [REDACTED]"
    dialog.ok.click()
    [r] = facade(window, lambda wb: wb.list_redactions(did))
    assert (r["text"], r["label"], r["reason"]) == (WITNESS, "REDACTED", "asked not to be named")
    from ui.search.delegate import HTML_ROLE

    shown = builder.items.item(0).data(HTML_ROLE)
    assert ">[REDACTED]</span>, a driver" in shown and "asked not" not in shown


def test_redaction_fields_are_wide_enough_to_read(window: Any, qtbot: Any) -> None:
    # Regression (walk at 1600x1000): the long labels sat beside their fields and squeezed
    # them to a third of the dialog, cutting what was typed and the reason's placeholder.
    builder = _builder(window)
    did = facade(window, lambda wb: wb.create_dossier("Widths")).dossier_ids[0]
    facade(window, lambda wb: wb.add_item(did, note=NOTE))
    builder.open_dossier(did)
    dialog = _open_term_dialog(builder, qtbot)
    qtbot.waitExposed(dialog)
    inner = dialog.contentsRect().width()
    for field in (dialog.term, dialog.printed_label, dialog.reason):
        assert field.width() >= 0.8 * inner
    metrics = dialog.reason.fontMetrics()
    assert metrics.horizontalAdvance(dialog.reason.placeholderText()) < dialog.reason.width()
    dialog.reject()
