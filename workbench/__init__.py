"""Workbench core: an offline research library you can script.

This package never imports Qt; the GUI in ``ui/`` calls the public API in
``workbench.services``. The version here is recorded in provenance and audit events.
"""

__version__ = "0.1.0"
