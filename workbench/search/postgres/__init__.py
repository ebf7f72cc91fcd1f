"""The PostgreSQL search backend: a shared library's index in its own database (issue 19).

``hook.PostgresBackend`` implements ``backend.SearchBackend`` over the tables of revision 0007
(schema ``wbsearch``): the shared analysis written as ``tsvector`` lexemes with positions
(``lexemes.py``), the parsed query as SQL (``query.py``), the vocabulary for expansions
(``vocab.py``). ``choose`` says which backend serves a shared library on this desktop;
``LocalIndex`` is the desktop's own Whoosh index of the case, which still keeps the server's
index current for everyone else.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from .hook import NAME, PostgresBackend

if TYPE_CHECKING:
    from ...library import Library
    from ..backend import (
        Activity,
        CancelFn,
        DocumentMatch,
        Filters,
        IndexStatus,
        Matches,
        Node,
        ProgressFn,
        SearchBackend,
    )

__all__ = ["CHOICE_ENV", "NAME", "LocalIndex", "PostgresBackend", "choose"]

# Which index serves a shared library's searches on this desktop: "server" (the default) or
# "local" (this desktop's Whoosh index in its cache folder, e.g. on a slow link).
CHOICE_ENV = "WORKBENCH_SHARED_SEARCH"


def _generation(library: Library) -> str | None:
    """The local index's current generation (None: there is none yet)."""
    from ..whoosh.engine import read_pointer

    current = (read_pointer(library.index_dir) or {}).get("current")
    return None if current is None else str(current)


def choose() -> str:
    """``"server"`` or ``"local"``, from ``$WORKBENCH_SHARED_SEARCH``."""
    from ...errors import UserError

    value = (os.environ.get(CHOICE_ENV) or "server").strip().lower()
    if value not in ("server", "local"):
        raise UserError(f"{CHOICE_ENV}={value!r} is not a search index choice",
                        "set it to server (the shared library's database) or local")
    return value


class LocalIndex:
    """This desktop's Whoosh index of a shared case serving its searches, while every change
    made here is also written to the server's index (others search that one)."""

    name = "whoosh"

    def __init__(self, library: Library, make: Callable[[Library], SearchBackend]) -> None:
        from ...shared.follow import LocalFollower, start_of

        # Where the index follows the change sequence on from, read before its writer (made
        # by ``make``) starts: a rebuild it begins then reads the database after that point.
        start = start_of(library) if library.writable else None
        self.local = make(library)
        self.server = PostgresBackend(library, check=False)
        self.follower = LocalFollower(library, start.seq, self.local, start=start,
                                      generation=lambda: _generation(library)) if start else None
        if self.follower is not None:
            self.follower.begin()

    def documents_changed(self, ids: list[int]) -> None:
        self.server.documents_changed(ids)
        self.local.documents_changed(ids)

    def documents_removed(self, ids: list[int]) -> None:
        self.server.documents_removed(ids)
        self.local.documents_removed(ids)

    def close(self) -> None:
        try:
            self.server.close()
        finally:
            self.local.close()
            if self.follower is not None:  # its writer drained: keep the position reached
                self.follower.closed()

    def wait_idle(self, timeout: float | None = None) -> bool:
        server = self.server.wait_idle(timeout)  # its queued rows written
        return self.local.wait_idle(timeout) and server

    def flush(self, timeout: float | None = None) -> bool:
        return self.server.flush(timeout)

    def search(self, query: Node, filters: Filters, *, want: int, facets: bool,
               aliases: Mapping[str, Sequence[str]]) -> Matches:
        return self.local.search(query, filters, want=want, facets=facets, aliases=aliases)

    def document_matches(self, doc_id: int, query: Node,
                         aliases: Mapping[str, Sequence[str]]) -> DocumentMatch:
        return self.local.document_matches(doc_id, query, aliases)

    def rebuild(self, progress: ProgressFn | None = None, cancel: CancelFn = None) -> None:
        self.local.rebuild(progress, cancel)

    def check(self) -> None:
        self.local.check()

    def status(self) -> IndexStatus:
        return self.local.status()

    def activity(self) -> Activity:
        return self.local.activity()
