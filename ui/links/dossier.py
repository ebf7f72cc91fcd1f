"""The dossier builder's “List corroborating sources” check box for the selected highlight
exhibit: after its citation the export lists the highlights linked to it as corroborating it or
describing the same event, each with its citation (contradicting links are never listed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox

NEEDS = ("set_item_corroboration",)


class CorroborationToggle(QCheckBox):
    def __init__(self, builder: Any, session: Any) -> None:
        super().__init__("List corroborating sources")
        self.builder = builder
        self.session = session
        self._item: int | None = None
        self.setToolTip("After this excerpt's citation, list the sources linked to its "
                        "highlight as corroborating it or describing the same event")
        self.toggled.connect(self._toggled)
        self.show_entry(None)

    def show_entry(self, entry: dict[str, Any] | None) -> None:
        exhibit = entry is not None and entry.get("kind") == "highlight"
        self._item = int(entry["id"]) if exhibit and entry else None
        self.blockSignals(True)
        self.setChecked(bool(exhibit and entry and entry.get("corroboration", True)))
        self.blockSignals(False)
        self.setEnabled(exhibit and not self.builder.data.get("frozen"))

    def _toggled(self, on: bool) -> None:
        did, item = self.builder.dossier_id, self._item
        if did is None or item is None:
            return
        self.session.mutate(lambda wb: wb.set_item_corroboration(did, item, on),
                            doing="change what the exhibit lists")


def install_in_builder(window: Any) -> None:
    window.builder.when_built(lambda: _add_toggle(window))  # the builder is built on first use


def _add_toggle(window: Any) -> None:
    builder = window.builder
    toggle = CorroborationToggle(builder, window.session)
    row = builder.facsimile
    layout = row.parentWidget().layout()
    layout.insertWidget(layout.indexOf(row) + 1, toggle)
    builder.items.currentItemChanged.connect(lambda *_: toggle.show_entry(builder._entry()))
    builder.corroboration = toggle
