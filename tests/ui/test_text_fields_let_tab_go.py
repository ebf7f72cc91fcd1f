"""Every multi-line text field of the window lets Tab move on (``setTabChangesFocus``): one
that keeps it types a tab character and holds a keyboard user there (the dossier builder's
commentary did, found in session 17; the codebook's memo before it). A scan of ``ui/``, so a
field added later is held to it too."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
MADE = re.compile(r"(self\.\w+(?:\.\w+)*)\s*=\s*(?:QPlainTextEdit|QTextEdit)\(")


def test_every_text_field_lets_tab_move_on() -> None:
    kept = []
    for path in sorted(UI.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for name in MADE.findall(source):
            if f"{name}.setTabChangesFocus(True)" not in source:
                kept.append(f"{path.relative_to(UI.parent)}: {name}")
    assert kept == []


def test_the_scan_finds_fields() -> None:  # a scan that matched nothing would pass anything
    found = [n for p in UI.rglob("*.py") for n in MADE.findall(p.read_text(encoding="utf-8"))]
    assert len(found) >= 8, found
