"""The highlight dialog shows the passage in quotes once: a passage that ends with its own
closing quote (or starts with its opening one) was wrapped again, “…”” (session 16's walk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.test_highlight_dialog import _open_document, _press_h_on

TEXT = ('The guard said “move them at dawn” and left.\n'
        'The officer wrote "no visitors" on the door.\n'
        "A detainee said “we were beaten, every night.”\n"
        "Then the trucks came.\n")


@pytest.mark.parametrize(("passage", "shown"), [
    ("“move them at dawn”", "“move them at dawn”"),  # both its own: shown as it is
    ('"no visitors"', '"no visitors"'),
    ("A detainee said “we were beaten, every night.”",  # ends with its own closing quote
     "“A detainee said “we were beaten, every night.”"),
    ("“we were beaten", "“we were beaten”"),  # starts with its own opening quote
    ('wrote "no visitors"', '“wrote "no visitors"'),
    ("Then the trucks came.", "“Then the trucks came.”"),  # none of its own: wrapped
])
def test_the_passage_is_quoted_once(window: Any, tmp_path: Path, qtbot: Any, passage: str,
                                    shown: str) -> None:
    _open_document(window, tmp_path, qtbot, TEXT)
    dialog = _press_h_on(window, qtbot, passage)
    assert dialog.quote.text() == shown
    dialog.reject()
