"""Text extraction: one module per format behind one protocol, run in isolated workers.

Public names: ``Extraction``, ``ExtractOptions``, ``Child`` (base), ``detect`` / ``FORMATS``
(formats) and ``ExtractorPool`` / ``Limits`` (isolation). The isolation module (subprocess,
threads, queues: the parent's side) loads when first asked for, so an extraction worker, which
imports this package too, does without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Child, Extraction, ExtractOptions
from .formats import FORMATS, Format, detect

if TYPE_CHECKING:
    from .isolation import ExtractorPool, Limits

__all__ = ["FORMATS", "Child", "ExtractOptions", "Extraction", "ExtractorPool", "Format",
           "Limits", "detect"]


def __getattr__(name: str) -> Any:
    if name in ("ExtractorPool", "Limits"):
        from . import isolation

        return getattr(isolation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
