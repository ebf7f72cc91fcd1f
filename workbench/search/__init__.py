"""Search: the query language, the shared analysis, the results, and the engine boundary.

Start at ``backend.py``: the ``SearchBackend`` protocol every engine implements and the typed
values that cross it. The engine the app ships with is in ``whoosh/`` (the only package that
imports Whoosh); nothing else reaches into it. Callers outside this package use the facade
(``services.Workbench``, whose search methods are ``service.SearchMixin``) or the public names
below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..library import Library
    from .backend import SearchBackend
    from .hits import load_texts
    from .read_only import search_read_only
    from .snippets import page_of
    from .source import tag_paths
    from .tagged import group as group_highlights

__all__ = ["attach", "group_highlights", "load_texts", "page_of", "search_read_only",
           "shared_search_choice", "tag_paths"]


def __getattr__(name: str) -> Any:
    # Loaded when used: importing the package must not load SQLAlchemy (hits.load_texts
    # reads through the ORM) nor the engine, so `workbench search` on a plain library can
    # run without either (read_only.py); nor the query types (snippets.page_of), so an
    # extraction worker that needs only ``analysis`` to shingle a text loads only that.
    if name == "page_of":
        from .snippets import page_of

        return page_of
    if name == "load_texts":
        from .hits import load_texts

        return load_texts
    if name == "search_read_only":
        from .read_only import search_read_only

        return search_read_only
    if name == "group_highlights":
        from .tagged import group

        return group
    if name == "tag_paths":
        from .source import tag_paths

        return tag_paths
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def shared_search_choice() -> str:
    """Which index serves a shared case's searches on this desktop: ``"server"`` (the
    database's own) or ``"local"`` (a Whoosh index of it), from ``$WORKBENCH_SHARED_SEARCH``."""
    from .postgres import choose

    return choose()


def attach(library: Library) -> SearchBackend:
    """The search backend for ``library``, attached as its index hook: Whoosh for a personal
    library; for a shared one the server's own index (``postgres/``), or, where
    ``$WORKBENCH_SHARED_SEARCH=local``, this desktop's Whoosh index of it (docs/cli/shared.md)."""
    if getattr(library, "shared", False):
        from .postgres import LocalIndex, PostgresBackend, choose

        if choose() == "server":
            return PostgresBackend(library)
        from .whoosh import WhooshBackend

        return LocalIndex(library, WhooshBackend)
    from .whoosh import WhooshBackend

    return WhooshBackend(library)
