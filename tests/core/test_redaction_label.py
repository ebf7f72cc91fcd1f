"""A redaction's printed label and its private reason (issue 14, bug 3).

The label (``REDACTED`` by default, or a short category such as ``witness safety``) is what
every export prints in place of the hidden text, as ``[REDACTED]`` or
``[REDACTED: witness safety]``. The reason says why, for the library's own record: it is kept
in the redaction and its audit event, and no byte of any export may carry it — a reason like
"family of a detainee - safety" can itself identify someone. Also: no stray space between a
redaction mark and the punctuation after it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_dossier_fixtures import REPORT, corpus_library, doc_ids
from tests.support.tools import require_program
from workbench.dossier.redaction import (
    DEFAULT_LABEL,
    Rule,
    Segment,
    apply,
    label_clash,
    mark,
    redact_plain,
)
from workbench.errors import UserError
from workbench.redact.matcher import matcher_for
from workbench.redact.scan import scan_paths

# Private reasons: what must never reach an export.
TERM_REASON = "family of a detainee - safety"
QUOTE_REASON = "interviewee asked on the Kashgar call"
NOTE_REASON = "his sister is still held"
WITNESS = "Ekpar Asat"
NOTE = f"He said: “{WITNESS}, a teacher, lived in the city.” Then {WITNESS}. Then {WITNESS}"
FORMATS = {"pdf": "dossier.pdf", "docx": "dossier.docx", "html": "dossier.html",
           "bundle": "bundle", "zip": "bundle.zip"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One dossier with three redactions (default label, a category, a category on a quote),
    exported once in every format."""
    from workbench.services import Workbench

    root = tmp_path_factory.mktemp("label")
    lib = corpus_library(root / "lib", tmp_path_factory.mktemp("prep"))
    out = root / "out"
    out.mkdir()
    with Workbench.open(lib) as wb:
        docs = doc_ids(wb)
        h1 = wb.add_highlight(docs[REPORT], quote="Michelle Bachelet finally released her "
                              "long-overdue report on Xinjiang").highlight_ids[0]
        h2 = wb.add_highlight(docs[REPORT], quote="We had to sign a document to remain "
                              "silent about the camp.").highlight_ids[0]
        d = wb.create_dossier("Labels").dossier_ids[0]
        wb.add_item(d, highlight=h1, commentary="Bachelet published it.")
        quote_item = wb.add_item(d, highlight=h2).item_ids[0]
        wb.add_item(d, note=NOTE)
        wb.redact_term(d, "Bachelet", TERM_REASON)
        wb.redact_quote(d, quote_item, "remain silent", QUOTE_REASON, label="witness safety")
        wb.redact_term(d, WITNESS, NOTE_REASON, label="personal data")
        for fmt, name in FORMATS.items():
            wb.export(d, "bundle" if fmt == "zip" else fmt, out / name)
        redactions = wb.list_redactions(d)
        events = wb.audit_events(object_type="dossier", object_id=str(d))
    return {"out": out, "redactions": redactions, "events": events}


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    poppler = subprocess.run([require_program("pdftotext"), "-enc", "UTF-8", str(path), "-"],
                             capture_output=True, check=True).stdout.decode("utf-8")
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return poppler + "\n" + "\n".join(pages)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for r in t.rows for c in r.cells])


def _shown_text(exported: dict[str, Any], fmt: str) -> str:
    path = exported["out"] / FORMATS[fmt]
    if fmt == "pdf":
        return _pdf_text(path)
    if fmt == "docx":
        return _docx_text(path)
    if fmt == "html":  # what a browser shows
        import lxml.html

        page = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        return str(page.body.text_content())
    if fmt == "bundle":
        return _pdf_text(path / "data" / "dossier.pdf") + (
            path / "data" / "README.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist()
                         if n.endswith((".txt", ".json", ".jsonld")))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_exported_byte_carries_a_reason(exported: dict[str, Any], fmt: str) -> None:
    """Read back every way the leak scanner knows (PDF text and objects, DOCX and zip members,
    JSON, every decoding): none of the private reasons can be read anywhere."""
    reasons = (TERM_REASON, QUOTE_REASON, NOTE_REASON)
    report = scan_paths([exported["out"] / FORMATS[fmt]], matcher_for(reasons))
    assert report.findings == [], [(f.place, f.found) for f in report.findings]
    assert not report.unreadable


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_prints_the_labels(exported: dict[str, Any], fmt: str) -> None:
    text = _shown_text(exported, fmt)
    if fmt == "zip":  # the annotations and the README carry the marks, not the PDF's text
        assert "[REDACTED" in text
        return
    assert "[REDACTED]" in text
    assert "[REDACTED: witness safety]" in text and "[REDACTED: personal data]" in text
    assert "Bachelet" not in text and "remain silent" not in text and WITNESS not in text


def test_the_redactions_list_names_the_marks_not_the_reasons(exported: dict[str, Any]) -> None:
    html = (exported["out"] / "dossier.html").read_text(encoding="utf-8")
    listed = html[html.index("<h3>Redactions</h3>"):]
    assert "Text was withheld from this dossier where these marks appear" in listed
    assert "[REDACTED]" in listed and "[REDACTED: witness safety]" in listed
    readme = (exported["out"] / "bundle" / "data" / "README.txt").read_text(encoding="utf-8")
    assert "[REDACTED: personal data]" in readme


def test_the_reason_is_kept_in_the_library(exported: dict[str, Any]) -> None:
    got = {r["text"]: (r["label"], r["reason"]) for r in exported["redactions"]}
    assert got == {"Bachelet": (DEFAULT_LABEL, TERM_REASON),
                   "remain silent": ("witness safety", QUOTE_REASON),
                   WITNESS: ("personal data", NOTE_REASON)}
    redacts = [e["details"] for e in exported["events"]
               if isinstance(e["details"], dict) and e["details"].get("action") == "redact"]
    assert [d["reason"] for d in redacts] == [TERM_REASON, QUOTE_REASON, NOTE_REASON]
    assert [d["label"] for d in redacts] == [DEFAULT_LABEL, "witness safety", "personal data"]


def test_the_bundles_audit_events_leave_the_reason_out(exported: dict[str, Any]) -> None:
    events = json.loads((exported["out"] / "bundle" / "data" / "audit-events.json")
                        .read_text(encoding="utf-8"))
    redacts = [e for e in events if e["details"].get("action") == "redact"]
    assert len(redacts) == 3
    for ev in redacts:
        assert "reason" not in ev["details"] and ev["details"]["label"]
        assert ev.get("hash_withheld") is True and "hash" not in ev


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_no_space_between_a_mark_and_the_punctuation_after_it(exported: dict[str, Any],
                                                              fmt: str) -> None:
    """The PDF's black bar had side padding: text extractors read its gap as a space
    (``[REDACTED] , a``)."""
    text = " ".join(_shown_text(exported, fmt).split())  # the PDF wraps lines anywhere
    assert "“[REDACTED: personal data], a teacher, lived in the city.”" in text
    assert "Then [REDACTED: personal data]. Then" in text
    assert "] ," not in text and "] ." not in text


def test_a_reason_from_before_labels_is_no_longer_printed(tmp_path: Path) -> None:
    """A library from schema 0001 printed its redactions' reasons: after the upgrade they
    are private, and the exports print ``[REDACTED]``."""
    from workbench.services import Workbench

    kept = Path(__file__).resolve().parents[1] / "fixtures" / "libraries" / "schema-0001"
    lib = tmp_path / "lib"
    shutil.copytree(kept, lib)
    con = sqlite3.connect(lib / "library.sqlite")
    with con:
        con.execute("INSERT INTO redactions (dossier_id, item_id, text, reason, created_at) "
                    "VALUES (1, NULL, 'reasonable', ?, '2026-01-01 00:00:00')",
                    (TERM_REASON,))
    con.close()
    with Workbench.open(lib) as wb:
        [r] = wb.list_redactions(1)
        assert (r["label"], r["reason"]) == (DEFAULT_LABEL, TERM_REASON)
        wb.export(1, "html", tmp_path / "old.html")
    html = (tmp_path / "old.html").read_text(encoding="utf-8")
    assert "[REDACTED]" in html and TERM_REASON not in html and "reasonable" not in html


# --- the label itself ----------------------------------------------------------------------


def test_mark_and_segments() -> None:
    assert mark(DEFAULT_LABEL) == "[REDACTED]"
    assert mark("witness safety") == "[REDACTED: witness safety]"
    assert redact_plain(f"{WITNESS}, a", [Rule(WITNESS, DEFAULT_LABEL)]) == "[REDACTED], a"
    [seg, rest] = apply(f"{WITNESS}, a", [Rule(WITNESS, "personal data")])
    assert seg == Segment("", "personal data") and seg.mark == "[REDACTED: personal data]"
    assert rest == Segment(", a")


def test_a_mark_in_right_to_left_text_keeps_its_order() -> None:
    # Regression (walk): in a Uyghur exhibit the PDF printed "]REDACTED: witness safety[":
    # brackets take the paragraph's direction unless the mark is fenced left-to-right.
    from workbench.dossier.redaction import LRM
    from workbench.export.html import segments_html

    name, rest = "ئەكبەر ئاسات", " ئۈرۈمچىدە تۇتۇلغان."
    rules = [Rule(name, "witness safety")]
    assert redact_plain(name + rest, rules) == f"{LRM}[REDACTED: witness safety]{LRM}{rest}"
    html = segments_html(apply(name + rest, rules), pdf=True)
    assert f'{LRM}<span class="redacted">[REDACTED: witness safety]</span>{LRM}' in html
    # left-to-right text is printed exactly as before
    assert LRM not in redact_plain(f"{WITNESS}, a", [Rule(WITNESS, DEFAULT_LABEL)])


@pytest.fixture
def wb(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workbench.services import Workbench

    with Workbench.open(corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())) as b:
        yield b


def _note_dossier(wb: Any) -> int:
    d = int(wb.create_dossier("Checks").dossier_ids[0])
    wb.add_item(d, note=f"{WITNESS} met Rayhan Tursun in Kashgar and Hotan, with contacts.")
    return d


def test_labels_are_tidied_and_default_to_redacted(wb: Any) -> None:
    d = _note_dossier(wb)
    wb.redact_term(d, WITNESS, "why", label="  ")
    wb.redact_term(d, "Rayhan Tursun", "why", label="REDACTED: Witness  safety")
    wb.redact_term(d, "Kashgar", "why", label="redacted")
    assert [r["label"] for r in wb.list_redactions(d)] == [
        DEFAULT_LABEL, "Witness safety", DEFAULT_LABEL]


@pytest.mark.parametrize(("label", "message"), [
    ("x" * 41, "at most 40"),
    ("see [note]", "cannot contain"),
    ("line\nbreak", "one line"),
])
def test_unsuitable_labels_are_refused(wb: Any, label: str, message: str) -> None:
    d = _note_dossier(wb)
    with pytest.raises(UserError, match=message):
        wb.redact_term(d, WITNESS, "why", label=label)
    assert wb.list_redactions(d) == []


def test_a_label_never_prints_a_redacted_text(wb: Any) -> None:
    d = _note_dossier(wb)
    # The label holds the very text it hides.
    with pytest.raises(UserError, match="label"):
        wb.redact_term(d, "Kashgar", "why", label="Kashgar contacts")
    wb.redact_term(d, "Hotan", "why", label="field contacts")
    # ... or a text redacted before.
    with pytest.raises(UserError, match="label"):
        wb.redact_term(d, WITNESS, "why", label="not Hotan")
    # ... or a label printed already would hide the new text (every export would fail).
    with pytest.raises(UserError, match="field contacts"):
        wb.redact_term(d, "contacts", "why")
    assert [r["text"] for r in wb.list_redactions(d)] == ["Hotan"]
    assert label_clash("Hotan", ("Hotan sources",)) == "Hotan sources"
    assert label_clash(WITNESS, ("witness safety",)) is None


def test_a_private_reason_may_name_no_redacted_text(wb: Any) -> None:
    """The reason goes into the audit log: it holds no redacted text either."""
    d = _note_dossier(wb)
    wb.redact_term(d, WITNESS, "why")
    with pytest.raises(UserError, match="reason"):
        wb.redact_term(d, "Kashgar", f"{WITNESS}'s town")


def test_a_new_version_keeps_labels_and_reasons(wb: Any) -> None:
    d = _note_dossier(wb)
    wb.redact_term(d, WITNESS, "why", label="witness safety")
    copy = wb.new_version(d).dossier_ids[0]
    [r] = wb.list_redactions(copy)
    assert (r["label"], r["reason"]) == ("witness safety", "why")
