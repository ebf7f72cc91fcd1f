"""Dossiers as the facade exposes them (filled in by the dossier work)."""

from __future__ import annotations

from ..library import Library


class DossiersMixin:
    library: Library
