"""The export's leak check is the leak scanner: its message names the place and the form
found and offers the command that redacts that form; a part it cannot read fails the export."""

from __future__ import annotations

import zipfile

import pytest

from tests.support.files import make_pdf
from tests.support.tools import require_program
from workbench.dossier.redaction import Rule
from workbench.errors import ExportError, RedactionLeak
from workbench.export.leakcheck import Needles, check_bytes, check_file

RULES = [Rule("Ekpar", "witness safety")]


def test_message_names_page_and_form_and_hint_offers_the_fix(tmp_path):
    pdf = make_pdf(tmp_path / "x.pdf", ["Nothing.", "We met Ek-par in 2019."])
    with pytest.raises(RedactionLeak) as caught:
        check_file(pdf, RULES, "pdf", dossier=7)
    err = caught.value
    assert err.message.startswith("Redacted text (redaction 'witness safety') can still be "
                                  "read in the PDF: page 2 text (")
    assert '"Ek-par" (with other spacing, hyphens or separators)' in err.message
    assert err.message.endswith("the export was deleted")
    assert err.hint == ('redact that form too: workbench dossier redact 7 --term "Ek-par" '
                        '--label "witness safety" '
                        '--reason "another spelling of a redacted text"')
    assert "bug" not in str(err)


def test_the_same_spelling_points_to_where_it_comes_from(tmp_path):
    pdf = make_pdf(tmp_path / "x.pdf", ["Clean."], title="About Ekpar")
    with pytest.raises(RedactionLeak, match="PDF objects") as caught:
        check_file(pdf, RULES, "pdf")
    assert "title" in (caught.value.hint or "") and "--term" not in (caught.value.hint or "")


def test_checks_done_are_listed_and_bundle_members_named(tmp_path):
    require_program("pdftotext")
    clean = make_pdf(tmp_path / "c.pdf", ["Clean."])
    done = check_file(clean, RULES, "pdf")
    assert {"pdfium text", "pdftotext text", "pypdf objects", "raw streams"} <= set(done)
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as zf:
        zf.writestr("b/data/notes.json", '{"n": "E\\u006bpar"}')
    with pytest.raises(RedactionLeak, match=r"the bundle: zip member b/data/notes\.json"):
        check_file(tmp_path / "b.zip", RULES, "bundle")


def test_a_part_that_cannot_be_read_fails_the_check(tmp_path):
    locked = make_pdf(tmp_path / "l.pdf", ["Clean."], password="pw")
    with pytest.raises(ExportError, match="could not be fully read back") as caught:
        check_bytes("l.pdf", locked.read_bytes(), Needles(RULES), "l.pdf")
    assert not isinstance(caught.value, RedactionLeak)
    assert Needles(RULES).find("a note on E k p a r") == "witness safety"
    assert not Needles([Rule("   ", "nothing")])


def test_a_spelling_on_a_page_of_a_dossier_with_facsimiles_also_offers_an_area_rule(tmp_path):
    """A form PDFium's reading of a facsimile page does not show (an Arabic name with harakat
    laid out from an HTML capture) is not boxed by a term rule of that form: the hint also
    offers what does hide it, an area drawn over it, and names the dossier."""
    pdf = make_pdf(tmp_path / "x.pdf", ["Nothing.", "We met Ek-par in 2019."])
    with pytest.raises(RedactionLeak) as caught:
        check_file(pdf, RULES, "pdf", dossier=7, facsimiles=True)
    hint = caught.value.hint or ""
    assert hint.startswith('redact that form too: workbench dossier redact 7 --term "Ek-par"')
    assert "if it is on a page shown as its original" in hint
    assert "Redact area" in hint and "workbench dossier redact 7 --area DOC:PAGE:" in hint
    with pytest.raises(RedactionLeak) as plain:  # no facsimile: no area advice
        check_file(pdf, RULES, "pdf", dossier=7)
    assert "--area" not in (plain.value.hint or "")
