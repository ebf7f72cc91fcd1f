"""Search index facade: ``attach`` returns the library's index hook (a ``SearchIndex``).

The rest of the core never imports whoosh; it talks to the index only through this package.
Whoosh distribution: whoosh-reloaded 2.7.5, pinned exactly; the engine's format code is
verified against that version alone and refuses another (``whoosh_pin.py``,
docs/SEARCH_ENGINE.md). Its known bugs are guarded in ``engine.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..library import IndexHook, Library


def attach(library: Library) -> IndexHook:
    from .hook import SearchIndex

    return SearchIndex(library)
