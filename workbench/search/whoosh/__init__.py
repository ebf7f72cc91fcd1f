"""The Whoosh search backend: Whoosh plus the sidecar engine built on its private internals.

The only package of Workbench that imports Whoosh (a test holds every other module to that).
``WhooshBackend`` implements ``workbench.search.backend.SearchBackend``; the rest of the core,
the CLI and the UI reach it through ``workbench.search`` and the facade only.
Whoosh distribution: whoosh-reloaded 2.7.5, pinned exactly; the engine's format code is
verified against that version alone and refuses another (``whoosh_pin.py``,
docs/SEARCH_ENGINE.md). Its known bugs are guarded in ``engine.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lean_import import import_whoosh_compat

import_whoosh_compat()  # before any module of this package imports Whoosh

if TYPE_CHECKING:
    from .hook import WhooshBackend

__all__ = ["WhooshBackend"]


def __getattr__(name: str) -> Any:
    # Loaded when used: hook.py imports SQLAlchemy and the library, which a reader of the
    # index without the facade (workbench/search/read_only.py) must not load.
    if name == "WhooshBackend":
        from .hook import WhooshBackend

        return WhooshBackend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
