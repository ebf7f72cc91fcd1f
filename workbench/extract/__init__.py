"""Text extraction: one module per format behind one protocol, run in isolated workers.

Public names: ``Extraction``, ``ExtractOptions``, ``Child`` (base), ``detect`` / ``FORMATS``
(formats) and ``ExtractorPool`` / ``Limits`` (isolation).
"""

from .base import Child, Extraction, ExtractOptions
from .formats import FORMATS, Format, detect
from .isolation import ExtractorPool, Limits

__all__ = ["FORMATS", "Child", "ExtractOptions", "Extraction", "ExtractorPool", "Format",
           "Limits", "detect"]
