"""``wb.xray``: where a document's PDF may still hold text someone tried to black out.

The import stores what the check found, without the text (``documents.extra["xray"]``); this
reads it back. The hidden text itself is never stored: with ``show`` the original is read
again and the areas come with their text. Documents imported before the check existed are
checked on demand from their original (nothing is written: this is a read).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .document_queries import resolve_document
from .errors import UserError
from .library import Library

XRAY_KEYS = ("page", "bbox", "characters", "kind")


class XrayMixin:
    library: Library

    if TYPE_CHECKING:  # provided by DocumentsMixin
        def original_path(self, ref: str | int) -> str: ...

    def xray(self, ref: str | int, *, show: bool = False) -> list[dict[str, Any]]:
        """``[{"page", "bbox", "characters", "kind"}]`` (and ``"text"`` when ``show``): the
        areas of the document's pages where text lies under something drawn over it or in its
        background's colour. ``bbox`` is ``[x0, y0, x1, y1]`` in PDF points from the displayed
        page's top-left corner. Empty for documents that are not PDFs."""
        with self.library.read() as s:
            doc = resolve_document(s, ref)
            kind, doc_id = doc.kind, doc.id
            stored = (doc.extra or {}).get("xray")
        if kind != "pdf":
            return []
        if not show and isinstance(stored, list):
            return [{k: a.get(k) for k in XRAY_KEYS} for a in stored if isinstance(a, dict)]
        return [a.to_json(show=show) for a in _scan(Path(self.original_path(doc_id)), doc_id)]


def _scan(path: Path, doc_id: int) -> list[Any]:
    import pypdfium2 as pdfium

    from .xray import scan_pdf

    try:
        return scan_pdf(path)
    except pdfium.PdfiumError as exc:
        raise UserError(f"The original of document {doc_id} cannot be read as a PDF ({exc})",
                        "run `workbench verify` to check the stored originals") from exc
