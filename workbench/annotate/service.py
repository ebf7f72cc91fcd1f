"""Highlights and tags as the facade exposes them (filled in by the highlights work)."""

from __future__ import annotations

from workbench.library import Library


class AnnotationsMixin:
    library: Library
