"""Status colours (a problem, a warning, a success) are the theme's, readable on its backgrounds.

Found walking the window in dark: the passphrase dialog's red problem line (#c0392b, the same in
both themes) stood at 3:1 against the dark window, under WCAG AA's 4.5:1 for text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ui import theme


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("palette", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_every_tone_reads_at_aa_contrast_on_every_background(palette: dict[str, str]) -> None:
    for tone in theme.TONES:
        for background in ("window", "base", "alt"):
            ratio = _contrast(palette[tone], palette[background])
            assert ratio >= 4.5, (tone, background, palette[tone], round(ratio, 2))


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_passphrase_problem_takes_the_themes_colour(qtbot: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         mode: str) -> None:
    from ui.dialogs.common import RowsModel
    from ui.dialogs.passphrase import NEW, PassphraseDialog

    monkeypatch.setenv("WORKBENCH_THEME", mode)
    want = (theme.DARK if mode == "dark" else theme.LIGHT)["bad"]
    dialog = PassphraseDialog(None, tmp_path, NEW, problem="Wrong passphrase.")
    qtbot.addWidget(dialog)
    assert want.lower() in dialog.problem.styleSheet().lower()
    model = RowsModel(["file", "status"], [(["a.pdf", "failed"], "bad")])
    from PySide6.QtCore import Qt

    brush = model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name().lower() == want.lower()
