"""Command-line commands for dossier (filled in by the dossier work)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    pass
