"""An image document keeps the words OCR read with their boxes, like a scanned PDF page.

The page viewer shows an image at one point per pixel, so the boxes are the image's pixels.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.library import Library
from workbench.services import Workbench


def test_an_image_keeps_its_ocr_word_boxes_in_pixels(tmp_path: Path) -> None:
    from tests.support.scans import scan
    from workbench.extract import ocr

    if not ocr.available():
        pytest.skip("Tesseract is not installed")
    image = scan("en")
    png = tmp_path / "scan.png"
    image.save(str(png))
    Library.create(tmp_path / "lib").close()
    with Workbench(Library.open(tmp_path / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths([png])
        doc = report.imported[0].document_id
        words = wb.page_words(doc, 1)
        assert words["source"] == "ocr"
        assert (words["width"], words["height"]) == (float(image.size[0]), float(image.size[1]))
        found = {w["text"]: w["rect"] for w in words["words"]}
        assert {"Report", "human", "labour"} <= set(found)
        x0, y0, x1, y1 = found["human"]
        h = wb.get_highlight(wb.add_page_highlight(
            doc, 1, [(x0 - 1, y0 - 1, x1 + 1, y1 + 1)], region=True).highlight_ids[0])
        assert h["quote"] == "human"
        assert h["page_geometry"]["pages"][0]["quads"] == [[x0 - 1, y0 - 1, x1 + 1, y1 + 1]]
