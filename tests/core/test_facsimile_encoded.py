"""A redacted name written encoded on a source page (HTML entities, percent-encoding) is
burnt in on the facsimile page, as the excerpt's text redacts it.

Found by the leak hunt's facsimile places: a page reading ``&#69;&#107;&#112;&#97;&#114;
described the camp`` kept its vector text (the boxes were placed only on literal matches),
so the export was refused and the DOCX page image showed the encoded name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.files import make_pdf
from workbench.dossier.redaction import Rule, matcher_of, page_spans
from workbench.library import Library
from workbench.services import Workbench

ENTITIES = "&#69;&#107;&#112;&#97;&#114;"


@pytest.mark.parametrize(("text", "hidden"), [
    (f"Statement: {ENTITIES} described the camp.", ENTITIES),
    ("Statement: Ek%70ar described the camp.", "Ek%70ar"),
    ("Statement: &#69;kpar&#32;&#65;sat described it.", "&#69;kpar&#32;&#65;sat"),
    ("Statement: &#69;kpar &#65;sat described it.", "&#69;kpar &#65;sat"),
    ("Statement: Ekpar Asat described it.", "Ekpar Asat"),
])
def test_page_spans_cover_encoded_forms(text: str, hidden: str) -> None:
    matcher = matcher_of([Rule("Ekpar Asat" if "Asat" in hidden or "&#65;" in hidden
                               else "Ekpar", "REDACTED")])
    spans = page_spans(text, matcher)
    start = text.index(hidden)
    assert spans and min(s for s, _ in spans) <= start
    assert max(e for _, e in spans) >= start + len(hidden)
    covered = "".join(text[s:e] for s, e in spans)
    assert "described" not in covered and "Statement" not in covered  # only the name


def test_clean_text_has_no_spans() -> None:
    assert page_spans("Statement: Ekp ar described &amp; the camp.",
                      matcher_of([Rule("Ekpar", "REDACTED")])) == []


def test_an_entity_encoded_name_is_burnt_in_on_the_facsimile(tmp_path: Path) -> None:
    from contextlib import ExitStack

    from workbench.export.facsimile_plan import plan_facsimiles

    pdf = make_pdf(tmp_path / "source.pdf", ["Cover page.",
                                            f"Statement: {ENTITIES} described the camp."])
    Library.create(tmp_path / "lib").close()
    with Workbench(Library.open(tmp_path / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths([pdf])
        doc = report.imported[0].document_id
        h = wb.add_highlight(doc, quote="described the camp").highlight_ids[0]
        d = wb.create_dossier("Camps").dossier_ids[0]
        item = wb.add_item(d, highlight=h, facsimile=True).item_ids[0]
        wb.redact_term(d, "Ekpar", "names a witness")
        view = wb.dossier_view(d, full_text=True)
        with ExitStack() as held:
            plan = plan_facsimiles(wb.library, view, held, tmp_path / "scratch")[item]
        assert [p.number for p in plan.pages] == [2]
        assert len(plan.pages[0].redactions) == 1


def test_the_leak_checks_ocr_reads_an_encoded_name_in_a_page_image(tmp_path: Path) -> None:
    """What OCR reads in an image is searched in every reading, as text is: an image showing
    ``Ekp%61r`` shows the name to anyone who decodes it."""
    from tests.core.test_dossier_facsimile import _image_pdf
    from tests.support.tools import require_program
    from workbench.errors import RedactionLeak
    from workbench.export.leakcheck import check_file

    require_program("tesseract")
    leaking = _image_pdf(tmp_path / "leak.pdf", "Witness Ekp%61r here")
    with pytest.raises(RedactionLeak, match=r"page 1 image \(OCR\)"):
        check_file(leaking, [Rule("Ekpar", "witness safety")], "pdf")
