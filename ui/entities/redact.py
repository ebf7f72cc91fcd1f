"""Redacting a person from the dossier builder: "Redact person…", the warning a term
redaction may bring back, and how an entity rule reads in the builder's redactions list.

The builder calls these with itself (``dossier/builder.py`` and ``dossier/redacting.py`` keep
one-line hooks); the dialogs are kept on the builder (``redact_person_dialog``) and the warning
bar as ``alias_warning``, for the tests to drive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QBoxLayout

from . import ops
from .dialogs import RedactPersonDialog, kind_label, names_text
from .redaction_warning import AliasWarning

if TYPE_CHECKING:
    from ..dossier.builder import DossierBuilder


def redact_person(builder: DossierBuilder, chosen: int | None = None) -> None:
    """Reads the register on the worker, then asks which entity, the label and the reason."""
    did, session = builder.dossier_id, builder.session
    if did is None:
        builder.status.setText("Open or create a dossier first.")
        return
    ops.list_entities(session, lambda entities: _ask(builder, did, entities, chosen))


def _ask(builder: DossierBuilder, did: int, entities: list[dict[str, Any]],
         chosen: int | None) -> None:
    if did != builder.dossier_id:
        return  # another dossier was opened meanwhile
    session = builder.session
    dialog = RedactPersonDialog(entities, chosen, builder)
    builder.redact_person_dialog = dialog  # type: ignore[attr-defined]
    seen = builder.data.get("version")  # the dossier as shown: a change since asks

    def save(eid: int, label: str, reason: str, force: bool = False) -> None:
        ops.redact_entity(session, did, eid, reason, label or None, done,
                          lambda exc: failed(exc, lambda: save(eid, label, reason, True)),
                          expected_version=seen, force=force)

    def failed(exc: BaseException, overwrite: Callable[[], None]) -> None:
        from ..dossier.redacting import _conflict

        if _conflict(builder, dialog, exc, overwrite):
            return  # Reload closed the dialog with nothing saved, or Overwrite saves it
        dialog.failed()
        session.presenter.show(exc, "redact the person")

    def done(changes: Any) -> None:
        dialog.accept()
        bar = getattr(builder, "alias_warning", None)
        if bar is not None:
            bar.hide()  # the person is redacted: a warning about one of their names is moot
        show_warnings(builder, changes)

    dialog.submitted.connect(save)
    dialog.open()


def warning_bar(builder: DossierBuilder) -> AliasWarning:
    bar: AliasWarning | None = getattr(builder, "alias_warning", None)
    if bar is None:
        bar = AliasWarning(builder)
        layout = builder.layout()
        # Under the dossier's title and meta line, above the exhibits: seen at once.
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(min(3, layout.count()), bar)
        builder.alias_warning = bar  # type: ignore[attr-defined]
    return bar


def show_warnings(builder: DossierBuilder, changes: Any, term: str | None = None,
                  label: str | None = None, reason: str = "") -> None:
    """Shows what the core warned about a redaction; for a term, offers the person instead."""
    warnings = list(getattr(changes, "warnings", None) or [])
    if not warnings:
        return
    did = builder.dossier_id
    action = None
    if term is not None and did is not None:
        rules = list(getattr(changes, "redaction_ids", None) or [])
        rule = rules[0] if rules else None

        def action() -> None:
            ops.redact_entity_instead(
                builder.session, did, term, rule, reason, label or None,
                lambda entity: builder.status.setText(
                    f"Redacted the person {entity['name']} "
                    f"({names_text(len(entity.get('names') or [1]))}) instead of the term"))

    warning_bar(builder).show_warnings(warnings, action)


def rule_text(builder: DossierBuilder, rule: dict[str, Any], where: str) -> str:
    """A redactions-list row; an entity rule reads "Person: Ekpar Asat (3 names)".

    The dossier lists an entity rule by its shown name only; its kind and how many names it
    hides come from the register, read once on the worker (and again when the register
    changes, see ``forget_register``), after which the builder redraws its list."""
    register: dict[int, dict[str, Any]] | None = getattr(builder, "entity_register", None)
    if register is None:
        builder.entity_register = {}  # type: ignore[attr-defined]  # asked once
        QTimer.singleShot(0, lambda: _read_register(builder))
        register = {}
    entity = register.get(int(rule["entity_id"]))
    name = rule.get("entity") or (entity or {}).get("name") or f"entity {rule['entity_id']}"
    kind = kind_label(entity["kind"]) if entity else "Entity"
    count = f" ({names_text(len(entity.get('names') or []))})" if entity else ""
    return (f"█ {kind}: {name}{count} → {rule.get('mark', '')}{where} — "
            f"reason: {rule.get('reason', '')}")


def _read_register(builder: DossierBuilder) -> None:
    def loaded(entities: list[dict[str, Any]]) -> None:
        builder.entity_register = {e["id"]: e for e in entities}  # type: ignore[attr-defined]
        if any(r.get("entity_id") is not None for r in builder.data.get("redactions", [])):
            builder.reload()

    if builder.session.is_open:
        ops.list_entities(builder.session, loaded)


def forget_register(builder: DossierBuilder) -> None:
    """The register changed (a name added, an entity renamed): read it again when needed."""
    if getattr(builder, "entity_register", None) is not None:
        builder.entity_register = None  # type: ignore[attr-defined]
        if any(r.get("entity_id") is not None for r in builder.data.get("redactions", [])):
            builder.reload()
