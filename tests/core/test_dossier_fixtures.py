"""Shared builders for the dossier and export tests: a corpus library made once per process.

Importing the corpus runs the isolated extractors, which is the slow part; a prepared library
folder is copied for each user instead.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.libraries import copy_library, make_library, opens_libraries

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
_prepared: dict[str, Path] = {}

REPORT = "UN Report"
RAPPORTEUR = "UN Special Rapporteur’s Report"
WEIGHS = "UN Finally Weighs in on China’s Breach of International Human Rights Laws"
# The private reason of the evidence dossier's redactions: no export may carry it.
PRIVATE_REASON = "her family is still detained"
NON_LATIN_NOTE = ("Non-Latin check: 新疆维吾尔自治区 and العربية and ئۇيغۇرچە تېكىست "
                  "and a flag 🇨🇳 and “curly quotes”.")


@opens_libraries
def corpus_library(dest: Path, factory_dir: Path) -> Path:
    """A library with the three corpus excerpts imported, copied to ``dest`` (on the run's
    engine: tests/support/libraries.py)."""
    if "corpus" not in _prepared:
        from workbench.services import Workbench

        base = make_library(factory_dir / "corpus-lib")
        with Workbench.open(base, program="tests") as wb:
            wb.import_paths(sorted(CORPUS.glob("*.txt")), )
            for d in wb.list_documents():
                if d["title"].startswith(REPORT):
                    wb.edit_document(d["id"], author="China Digital Times staff",
                                     site="China Digital Times", published="2022-09-01")
        _prepared["corpus"] = base
    return copy_library(_prepared["corpus"], dest)


def doc_ids(wb: object) -> dict[str, int]:
    return {d["title"].split(":")[0]: d["id"] for d in wb.list_documents()}  # type: ignore[attr-defined]


def build_evidence_dossier(wb: object) -> int:
    """Three excerpts, a whole document, a note in Chinese/Arabic/Uyghur, a redacted name."""
    docs = doc_ids(wb)
    add_h = wb.add_highlight  # type: ignore[attr-defined]
    h1 = add_h(docs[REPORT], quote="Michelle Bachelet finally released her long-overdue "
                                   "report on Xinjiang").highlight_ids[0]
    h2 = add_h(docs[REPORT], quote="We had to sign a document to remain silent about the "
                                   "camp.").highlight_ids[0]
    h3 = add_h(docs[RAPPORTEUR], quote="Special Rapporteur on Contemporary Forms of Slavery "
                                       "Tomoya Obokata stated").highlight_ids[0]
    d = wb.create_dossier("Xinjiang evidence", case="Xinjiang",  # type: ignore[attr-defined]
                          author="A. Researcher", organisation="Rights NGO",
                          description="Excerpts on the Bachelet report.").dossier_ids[0]
    wb.add_item(d, highlight=h1, commentary="Bachelet published it on her last day.")  # type: ignore[attr-defined]
    wb.add_item(d, highlight=h2, section="Testimony")  # type: ignore[attr-defined]
    wb.add_item(d, highlight=h3, section="Forced labour")  # type: ignore[attr-defined]
    wb.add_item(d, note=NON_LATIN_NOTE, section="Forced labour")  # type: ignore[attr-defined]
    wb.add_item(d, document=docs[WEIGHS], section="Context")  # type: ignore[attr-defined]
    # Printed labels (``[REDACTED: witness identity]``); the reasons stay in the library.
    wb.redact_term(d, "Bachelet", PRIVATE_REASON, label="witness identity")  # type: ignore[attr-defined]
    item = wb.get_dossier(d)["entries"][1]["id"]  # type: ignore[attr-defined]
    wb.redact_quote(d, item, "remain silent", PRIVATE_REASON,  # type: ignore[attr-defined]
                    label="protect interviewee")
    return int(d)
