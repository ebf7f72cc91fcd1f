"""Whoosh imported without the web client its compat module asks for (private).

``whoosh.compat`` does ``from urllib.request import urlretrieve``, a name Whoosh never calls
(whoosh-reloaded 2.7.5, pinned: ``whoosh_pin.py``), and importing ``urllib.request`` loads
``http.client``, ``email`` and ``ssl``'s helpers: ~20 ms of a 0.2 s ``workbench search``
(issue 16: the fixed cost of a command). While ``whoosh.compat`` is imported, ``urllib.request``
is a stand-in whose ``urlretrieve`` imports the real one when called; the stand-in is taken
out of ``sys.modules`` at once, so any later ``import urllib.request`` gets the real module.
"""

from __future__ import annotations

import sys
import types
from typing import Any

STAND_IN = "workbench: stand-in while whoosh.compat is imported"


def import_whoosh_compat() -> None:
    """Import ``whoosh.compat`` (every Whoosh module imports it) without urllib.request."""
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request", STAND_IN)

    def urlretrieve(*args: Any, **kwargs: Any) -> Any:
        from urllib.request import urlretrieve as real

        return real(*args, **kwargs)

    stand_in.urlretrieve = urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]
