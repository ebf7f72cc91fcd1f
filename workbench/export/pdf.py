"""The dossier as a PDF: WeasyPrint lays out the print HTML with the bundled Noto fonts.

WeasyPrint was chosen after measuring: it shapes Chinese, Arabic and Uyghur correctly, embeds
subset fonts and its text extracts back exactly (reportlab does not shape right-to-left text;
Qt's writer does not round-trip text). Fonts come from ``resources/fonts`` by file URL, so the
output does not depend on what the computer has installed. Metadata holds only what the user
chose (title, author, organisation) and the export time: no user, host, path or library name.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..dossier.model import DossierView
from .common import resources_dir
from .html import render


def write_pdf(view: DossierView, path: Path, bates: str | None = None) -> None:
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; keep the CLI's stderr clean.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=render(view, pdf=True, bates=bates),
                    base_url=str(resources_dir())).render()
    meta = document.metadata
    meta.title = view.title
    meta.authors = [view.byline] if view.byline else []
    meta.description = None
    meta.keywords = []
    meta.generator = "Workbench"
    stamp = view.generated_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    meta.created = meta.modified = stamp
    document.write_pdf(path)
