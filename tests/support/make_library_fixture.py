"""Write a small library at the current schema into tests/fixtures/libraries/schema-<rev>/.

Run once per released schema, with the code of that release, and commit the folder:
``tests/core/test_upgrade_fixtures.py`` then opens every kept library with the current code,
which must upgrade it to head and find everything it held. To keep the library of an earlier
schema, run this file with that release's code (this file only uses calls every release has)::

    git worktree add /tmp/wt-0002 <commit>
    PYTHONPATH=/tmp/wt-0002 .venv/bin/python tests/support/make_library_fixture.py
    git worktree remove /tmp/wt-0002

What it holds (schema 0002 on; 0001 has the two texts, one highlight and a dossier with it):
three documents (two texts, a saved web page), two highlights with tags and a note, a dossier
with both as exhibits and a term redacted under a printed label. From schema 0004 also a PDF
with a highlight placed on its page and a region highlight without text, the first shown as a
facsimile exhibit of pages 1-2, and an area redaction on page 1. From schema 0005 also the
first article as a saved page (its confirmed copy), a person with two names redacted from the
dossier, a dated event, a corroborating link and a chronology section.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``tests`` importable (make_pdf)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workbench.services import Workbench
from workbench.store import current_revision

HERE = Path(__file__).resolve().parents[1] / "fixtures"
TEXTS = ("un-special-rapporteur-forced-labour.txt", "un-report-crimes-against-humanity.txt")
PAGE = ("<!DOCTYPE html><html><head><title>Fixture page</title></head><body><nav>Home</nav>"
        "<article><h1>Fixture page</h1><p>A saved page kept with every schema: the word "
        "quillfixture is found in it, and nowhere else in this library.</p></article>"
        "</body></html>")


def _page_evidence(wb: Workbench, tmp: Path, dossier: int) -> None:
    """A PDF with a text highlight on its page, a region highlight without text, shown as a
    facsimile exhibit with an area redaction (schema 0004)."""
    from tests.support.files import make_pdf

    pdf = make_pdf(tmp / "pages.pdf", ["Fixture PDF, first page.",
                                      "The second page names the camp at Dabancheng."])
    report, _ = wb.import_paths([pdf])
    doc = report.imported[0].document_id
    camp = wb.add_highlight(doc, quote="the camp at Dabancheng", tags=["Places"])
    wb.add_page_highlight(doc, 1, [(300.0, 500.0, 400.0, 600.0)], region=True, note="A stamp")
    wb.add_item(dossier, highlight=camp.highlight_ids[0], facsimile=True, pages="1-2")
    wb.redact_area(dossier, doc, 1, (300.0, 500.0, 400.0, 600.0), "fixture: a face",
                   label="privacy")


def _connections(wb: Workbench, tmp: Path, dossier: int, highlights: list[int]) -> None:
    """The fixture article again as a saved page (a copy, confirmed), a person with names in
    three scripts redacted from the dossier, a dated event on a highlight, a corroborating
    link between the two highlights and a chronology section (schema 0005)."""
    from tests.support.files import make_html_capture

    text = (HERE / "corpus" / TEXTS[0]).read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    page = make_html_capture(tmp / "copy.html", title, body,
                             url="https://example.org/forced-labour")
    report, _ = wb.import_paths([page])
    copy = report.imported[0].document_id
    wb.find_copies()
    [original] = [c["document_id"] for c in wb.copies(copy)]
    wb.set_copy_status(original, copy, "confirmed")
    person = wb.add_entity("person", "Tomoya Obokata", aliases=["小保方智也"],
                           note="fixture: private note").entity_ids[0]
    wb.link_entity_document(person, original)
    wb.redact_entity(dossier, person, "fixture: the person", label="witness safety")
    wb.add_event("The Special Rapporteur's report is dated", "19 July 2022",
                 highlights=[highlights[0]], status="undisputed")
    wb.link_highlights(highlights[0], highlights[1], "corroborates", note="fixture: why")
    wb.add_chronology_section(dossier)


def build(dest_root: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "files"
        src.mkdir()
        for name in TEXTS:
            shutil.copy(HERE / "corpus" / name, src / name)
        (src / "page.html").write_text(PAGE, encoding="utf-8")
        lib = Path(tmp) / "lib"
        with Workbench.open(lib, create=True) as wb:
            wb.import_paths([src])
            [labour] = [d for d in wb.list_documents() if "Forced Labor" in d["title"]]
            finding = wb.add_highlight(labour["id"], quote="reasonable to conclude",
                                       occurrence=1, tags=["Forced labour/Findings"],
                                       note="Key finding")
            who = wb.add_highlight(labour["id"], quote="Special Rapporteur on Contemporary "
                                   "Forms of Slavery Tomoya Obokata", tags=["People"])
            dossier = wb.create_dossier("Fixture dossier").dossier_ids[0]
            wb.add_item(dossier, highlight=finding.highlight_ids[0])
            wb.add_item(dossier, highlight=who.highlight_ids[0], commentary="Who found it")
            wb.redact_term(dossier, "Tomoya Obokata", reason="fixture: a name to withhold",
                           label="witness safety")
            if hasattr(wb, "redact_area"):  # schema 0004 on: the page as evidence
                _page_evidence(wb, Path(tmp), dossier)
            if hasattr(wb, "add_chronology_section"):  # schema 0005 on: connections
                _connections(wb, Path(tmp), dossier,
                             [finding.highlight_ids[0], who.highlight_ids[0]])
            rev = current_revision(wb.library.store.engine)
        # One self-contained file: everything checkpointed, no -wal beside it.
        con = sqlite3.connect(lib / "library.sqlite")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.close()
        dest = dest_root / f"schema-{rev}"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(lib, dest, ignore=shutil.ignore_patterns("index", "tmp", "*.lock",
                                                                  "*-wal", "*-shm", "backups"))
        return dest


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "libraries"))
