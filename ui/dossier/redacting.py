"""The builder's redaction dialogs: a term across the dossier, or words inside one exhibit.

Moved out of ``builder.py`` (which keeps ``redact_in_item`` and the buttons' slots as one-line
calls here) so the builder page stays readable. Each dialog stays open until the core accepts
what was typed, so a refused term or quote can be corrected; the dialogs are kept on the builder
(``redact_term_dialog``, ``redact_dialog``) for the tests to drive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..dialogs.dossier_dialogs import RedactQuoteDialog, RedactTermDialog
from ..operations import dossiers as ops
from .facsimile_row import redaction_text
from .items import ITEM_ID

if TYPE_CHECKING:
    from .builder import DossierBuilder


def item_label(builder: DossierBuilder, item_id: int) -> str:
    """How the builder names an item: its exhibit label, "the note", or its id."""
    entry = next((e for e in builder.data.get("entries", []) if e["id"] == item_id), None)
    return (entry.get("label") or "the note") if entry else f"item {item_id}"


def redact_term(builder: DossierBuilder) -> None:
    """The term, its printed label and its private reason in one dialog, kept open until the
    core accepts them (a refused term can be corrected)."""
    did, session = builder.dossier_id, builder.session
    if did is None:
        return
    dialog = RedactTermDialog(builder)
    builder.redact_term_dialog = dialog
    seen = builder.data.get("version")  # the dossier as shown: a change since asks

    def failed(exc: BaseException) -> None:
        if _conflict(builder, dialog, exc, lambda: save(*dialog_values[0], force=True)):
            return
        dialog.failed()
        session.presenter.show(exc, "mark the redaction")

    def done(changes: Any, term: str, label: str, reason: str) -> None:
        dialog.accept()
        if session.has("redact_entity"):
            # One spelling of a registered person while another is in the dossier: say so,
            # and offer to redact the person (every name) instead.
            from ..entities.redact import show_warnings

            show_warnings(builder, changes, term, label, reason)

    dialog_values: list[tuple[str, str, str]] = [("", "", "")]

    def save(term: str, label: str, reason: str, force: bool = False) -> None:
        dialog_values[0] = (term, label, reason)
        ops.redact_term(session, did, term, reason, label,
                        lambda v: done(v, term, label, reason), failed,
                        expected_version=seen, force=force)

    dialog.submitted.connect(save)
    dialog.open()


def _conflict(builder: DossierBuilder, dialog: Any, exc: BaseException,
              overwrite: Callable[[], object]) -> bool:
    """Someone changed the dossier since the builder showed it: ask (ui/conflicts.py) to
    reload, closing the dialog with nothing saved, or to overwrite. False for other errors."""
    from workbench.errors import ConflictError

    from .. import conflicts

    if not isinstance(exc, ConflictError):
        return False
    if conflicts.ask(dialog, exc.message) == conflicts.OVERWRITE:
        overwrite()
    else:
        dialog.reject()
        builder.reload()
    return True


def rule_text(builder: DossierBuilder, rule: dict[str, Any], where: str) -> str:
    """A redactions-list row: an entity rule reads "Person: Ekpar Asat (3 names)"."""
    if rule.get("entity_id") is not None:
        from ..entities.redact import rule_text as entity_rule_text

        return entity_rule_text(builder, rule, where)
    return redaction_text(rule, where)


def remove_selected(builder: DossierBuilder) -> None:
    item = builder.redactions.currentItem()
    if item is not None and builder.dossier_id is not None:
        from ..conflicts import on_conflict

        did, rid, seen = builder.dossier_id, int(item.data(ITEM_ID)), builder.data.get("version")
        ops.remove_redaction(builder.session, did, rid, expected_version=seen,
                             on_error=on_conflict(
                                 builder, builder.session.presenter, "remove the redaction",
                                 reload=builder.reload,
                                 overwrite=lambda: ops.remove_redaction(
                                     builder.session, did, rid, expected_version=seen,
                                     force=True)))


def redact_in_item(builder: DossierBuilder) -> None:
    """Words inside the selected exhibit or note; what is hidden already is shown as such."""
    item_id = builder.selected_item()
    entry = next((e for e in builder.data.get("entries", []) if e["id"] == item_id), None)
    if builder.dossier_id is None or entry is None:
        builder.status.setText("Select an exhibit or note first.")
        return
    did, text = builder.dossier_id, entry.get("text") or ""
    rules = list(builder.data.get("redactions", []))
    builder.session.query(lambda _wb: ops.hidden_spans(text, rules),
                          lambda spans: _open(builder, did, entry, spans), "read the item")


def _open(builder: DossierBuilder, did: int, entry: dict[str, Any],
          hidden: list[tuple[int, int]]) -> None:
    if did != builder.dossier_id:
        return  # another dossier was opened meanwhile
    session = builder.session
    dialog = RedactQuoteDialog(item_label(builder, entry["id"]), entry.get("text") or "", hidden,
                               builder)
    builder.redact_dialog = dialog

    seen = builder.data.get("version")
    typed: list[tuple[str, str, str]] = [("", "", "")]

    def failed(exc: BaseException) -> None:
        if _conflict(builder, dialog, exc, lambda: save(*typed[0], force=True)):
            return
        dialog.failed()
        session.presenter.show(exc, "redact the text")

    def save(quote: str, label: str, reason: str, force: bool = False) -> None:
        typed[0] = (quote, label, reason)
        ops.redact_quote(session, did, entry["id"], quote, reason, lambda _v: dialog.accept(),
                         failed, label, expected_version=seen, force=force)

    dialog.submitted.connect(save)
    dialog.open()
