"""The builder's one-spelling warning speaks the window's words: the core's message ends with
the command line's way to redact the person (`dossier redact 1 --entity 1`), which the walk of
issue 18 found printed in the window beside the button that does it."""

from __future__ import annotations

from typing import Any

from ui.entities.redaction_warning import AliasWarning

CORE = ("“Ekpar Asat” is one name of the person Ekpar Asat; the dossier also contains "
        "“ئەكبەر ئاسات”: redact the person (`dossier redact 1 --entity 1`) to hide every name")


def test_the_warning_names_the_button_not_the_command(qtbot: Any) -> None:
    bar = AliasWarning()
    qtbot.addWidget(bar)
    bar.show_warnings([CORE], lambda: None)
    shown = bar.text.text()
    assert "ئەكبەر ئاسات" in shown and "Ekpar Asat" in shown
    assert "--entity" not in shown and "`" not in shown
    assert "Redact the person instead" in shown
    # Without the button (a person rule's own warnings) the words are left as they are.
    bar.show_warnings([CORE], None)
    assert bar.text.text() == "⚠ " + CORE
