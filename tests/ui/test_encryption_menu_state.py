"""File → Change passphrase… and Lock library are enabled only for an encrypted library: on a
plain one they were live, and Change passphrase only said in the status bar that there was
none (a walk)."""

from __future__ import annotations

from typing import Any


def test_passphrase_items_follow_the_library(window: Any) -> None:
    assert not window.acts["change_passphrase"].isEnabled()
    assert not window.acts["lock_library"].isEnabled()
    assert "not encrypted" in window.acts["change_passphrase"].toolTip()
