"""A redacted term that occurs only in a cited document's full text, not in the dossier.

The excerpts shown do not contain it, but the original file a bundle would carry does: the
redaction is accepted, that original is left out of the bag with a note (README and
bag-info, naming the hash and the reason, never the term), the bag still validates, and the
term is in no byte of the bag, folder or zip. A term found nowhere is still refused.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
import zipfile

import pytest

from tests.core.test_dossier_fixtures import RAPPORTEUR, REPORT, WEIGHS, corpus_library, doc_ids
from tests.support.tools import require_program
from workbench.errors import UserError
from workbench.export.verify import verify_bundle

# In the UN Report's text only; no excerpt below shows it.
TERM = "Rayhan Asat"
REASON = "witness identity"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@pytest.fixture
def wb(tmp_path, tmp_path_factory):
    from workbench.services import Workbench

    with Workbench.open(corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())) as b:
        yield b


def _dossier(wb) -> tuple[int, int, dict[str, int]]:
    docs = doc_ids(wb)
    h1 = wb.add_highlight(docs[REPORT], quote="Michelle Bachelet finally released her "
                                              "long-overdue report on Xinjiang").highlight_ids[0]
    h3 = wb.add_highlight(docs[RAPPORTEUR], quote="Special Rapporteur on Contemporary Forms "
                                                  "of Slavery").highlight_ids[0]
    d = wb.create_dossier("Originals check", author="A. Researcher").dossier_ids[0]
    wb.add_item(d, highlight=h1)
    item = wb.add_item(d, highlight=h3).item_ids[0]
    wb.add_item(d, document=docs[WEIGHS])
    assert TERM.lower() not in wb.view_text(d).lower()  # not in the dossier's visible text
    return d, item, docs


def _sha(wb, doc: int) -> str:
    return wb.show_document(doc)["sha256"]


def _assert_absent(name: str, data: bytes) -> None:
    """The term in no form a reader could find: raw bytes, UTF-16, and PDF page text."""
    for needle in (TERM, TERM.replace(" ", ""), "Rayhan"):
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            assert needle.lower().encode(enc) not in data.lower(), (name, needle, enc)
    if name.endswith(".pdf"):
        out = subprocess.run([require_program("pdftotext"), "-enc", "UTF-8", "-", "-"], input=data,
                             capture_output=True, check=True).stdout.decode("utf-8")
        assert "rayhan" not in norm(out), name
    else:
        assert "rayhan" not in norm(data.decode("utf-8", errors="ignore")), name


def test_term_only_in_an_original_is_accepted_and_that_original_withheld(wb, tmp_path):
    import bagit

    d, _item, docs = _dossier(wb)
    report_sha = _sha(wb, docs[REPORT])
    out = tmp_path / "out"
    out.mkdir()
    # The stored original does hold the term, so leaving it in would leak it.
    assert TERM.encode() in wb.library.originals.path_for(report_sha).read_bytes()

    rid = wb.redact_term(d, TERM, REASON).redaction_ids[0]
    assert [r["id"] for r in wb.list_redactions(d)] == [rid]
    assert wb.dossier_view(d, full_text=True).redacted_documents == {docs[REPORT]}
    assert wb.dossier_view(d).redacted_documents == set()  # the excerpts shown do not hold it

    folder = wb.export(d, "bundle", out / "bag")
    zipped = wb.export(d, "bundle", out / "bag.zip")
    for res in (folder, zipped):
        assert res["excluded_originals"] == [report_sha]
        assert "every bundle file" in res["leak_checks"]

    bag = out / "bag"
    kept = sorted(p.name.split(".")[0] for p in (bag / "data" / "originals").iterdir())
    assert kept == sorted([_sha(wb, docs[RAPPORTEUR]), _sha(wb, docs[WEIGHS])])
    readme = (bag / "data" / "README.txt").read_text(encoding="utf-8")
    assert report_sha in readme and "contains text redacted from this dossier" in readme
    assert "withheld from this dossier where these marks appear: [REDACTED]." in readme
    assert REASON not in readme  # the reason is private
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert f"Withheld-Original: {report_sha} (it contains text redacted" in info
    assert bagit.Bag(str(bag)).is_valid()
    for checked in (verify_bundle(bag), verify_bundle(out / "bag.zip")):
        assert checked["ok"] and checked["problems"] == []
        assert [w["sha256"] for w in checked["withheld_originals"]] == [report_sha]
        assert "redacted from this dossier" in checked["withheld_originals"][0]["reason"]

    for f in sorted(bag.rglob("*")):
        if f.is_file():
            _assert_absent(f.relative_to(bag).as_posix(), f.read_bytes())
    with zipfile.ZipFile(out / "bag.zip") as zf:
        for info_ in zf.infolist():
            assert "rayhan" not in info_.filename.lower()
            _assert_absent(info_.filename, zf.read(info_))
        readme_zip = zf.read("bag/data/README.txt").decode("utf-8")
        assert report_sha in readme_zip
    _assert_absent("bag.zip", (out / "bag.zip").read_bytes())

    # The other formats carry no originals; their appendix says this one is withheld.
    html = wb.export(d, "html", out / "d.html")
    assert html["excluded_originals"] == []
    text = (out / "d.html").read_text(encoding="utf-8")
    assert "its original is not distributed" in text and "rayhan" not in text.lower()


def test_item_quote_only_in_that_items_document_is_accepted(wb):
    d, item, docs = _dossier(wb)
    # "Dolkun Isa" is in the rapporteur's text, outside the excerpt this item shows.
    wb.redact_quote(d, item, "Dolkun Isa", REASON)
    # "Rayhan Asat" is in another cited document, not in this item's one: refused.
    with pytest.raises(UserError, match=rf"occurs nowhere in item {item}"):
        wb.redact_quote(d, item, TERM, REASON)
    assert docs[RAPPORTEUR] in wb.dossier_view(d, full_text=True).redacted_documents


def test_term_found_nowhere_is_refused_and_nothing_changes(wb, tmp_path):
    d, _item, _docs = _dossier(wb)
    events = len(wb.audit_events(object_type="dossier", object_id=str(d)))
    # A made-up name, and a misspelling of one that is in a cited document's text.
    for term in ("Nobody Atall", "Rayhan Asad"):
        with pytest.raises(UserError, match="occurs nowhere in dossier") as exc:
            wb.redact_term(d, term, REASON)
        assert "documents it cites" in str(exc.value) and exc.value.hint
    assert wb.list_redactions(d) == []
    assert len(wb.audit_events(object_type="dossier", object_id=str(d))) == events
    assert wb.dossier_view(d, full_text=True).redacted_documents == set()
    assert json.dumps(wb.get_dossier(d)["redactions"]) == "[]"
