"""Installs the parts of the window that depend on core features (search, highlights, dossiers).

Each feature module checks what the ``Workbench`` facade offers and wires itself only then, so
the app runs on any build of the core and grows as the core does.
"""

from __future__ import annotations

from typing import Any


def install_features(window: Any) -> None:
    window.change_listeners = []
    window.sidebar_handlers = []
