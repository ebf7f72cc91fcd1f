"""Search as the facade exposes it (filled in by the search work)."""

from __future__ import annotations

from ..library import Library


class SearchMixin:
    library: Library
