"""Search: the query language, the shared analysis, the results, and the engine boundary.

Start at ``backend.py``: the ``SearchBackend`` protocol every engine implements and the typed
values that cross it. The engine the app ships with is in ``whoosh/`` (the only package that
imports Whoosh); nothing else reaches into it. Callers outside this package use the facade
(``services.Workbench``, whose search methods are ``service.SearchMixin``) or the public names
below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hits import load_texts
from .snippets import page_of

if TYPE_CHECKING:
    from ..library import Library
    from .backend import SearchBackend

__all__ = ["attach", "load_texts", "page_of"]


def attach(library: Library) -> SearchBackend:
    """The search backend for ``library``, attached as its index hook: Whoosh for a personal
    library; for a shared one the server's own index (``postgres/``), or, where
    ``$WORKBENCH_SHARED_SEARCH=local``, this desktop's Whoosh index of it (docs/cli/shared.md)."""
    if getattr(library, "shared", False):
        from .postgres import LocalIndex, PostgresBackend, choose

        if choose() == "server":
            return PostgresBackend(library)
        from .whoosh import WhooshBackend

        return LocalIndex(library, WhooshBackend(library))
    from .whoosh import WhooshBackend

    return WhooshBackend(library)
