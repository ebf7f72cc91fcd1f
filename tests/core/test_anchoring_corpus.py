"""Re-anchoring on the corpus: the same passages highlighted in a PDF and in an HTML capture of
one article, then re-anchored on text layers with another normalisation.

Passages are sentences and word windows of each corpus excerpt, highlighted as a person would
copy them (from the corpus text, not from the layer). The new layer re-wraps lines, hyphenates
long words at line ends, inserts soft hyphens and ligatures, straightens quotes, collapses
spaces and adds header and footer lines to every page. At least 99% of highlights must land on
the same quote; the rest must be orphans with a candidate; none may be lost.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.support.files import make_html_capture, make_pdf, split_pages
from tests.support.libraries import copy_library, make_library
from workbench.annotate.anchoring import norm_quote
from workbench.extract.base import Extraction
from workbench.persist import PAGE_SEPARATOR

ARTICLE = "un-report-crimes-against-humanity"


def passages(text: str) -> list[str]:
    out = [m.group().strip() for m in re.finditer(r"[^.!?\n]{30,300}[.!?]", text)]
    words = list(re.finditer(r"\S+", text))
    for i in range(0, len(words) - 14, 6):
        n = 4 + (i % 9)
        out.append(text[words[i].start():words[i + n - 1].end()])
    return list(dict.fromkeys(out))


def renormalise(page: str, number: int, total: int, every_page: bool) -> str:
    """The same page as another extractor might give it; header lines on the first page
    only, or a header and a footer on every page."""
    text = " ".join(page.split())  # collapse every whitespace run
    text = (text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
            .replace("\u2018", "'"))
    text = re.sub(r"\b(\w{4})(\w{5,})", lambda m: m.group(1) + "\u00ad" + m.group(2), text,
                  count=5)
    text = text.replace("fi", "\ufb01")
    lines, line = [], ""
    for word in text.split(" "):
        if len(line) + len(word) > 58 and len(word) > 9 and not re.search("[-\u00ad]", word):
            lines.append(f"{line} {word[:5]}-".strip())  # hyphenated at the line end
            line = word[5:]
        elif len(line) + len(word) > 58:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if not every_page:
        head = ["CONFIDENTIAL", "Extracted by another tool", ""] if number == 1 else []
        return "\n".join([*head, *lines])
    header = f"CONFIDENTIAL  Page {number} of {total}"
    return "\n".join([header, "", *lines, "", f"printed 2022-09-01 — {number}"])


def highlight_all(wb: Any, doc_id: int, quotes: list[str], text: str) -> list[int]:
    """Highlight each quote, naming the occurrence the corpus position implies."""
    norm_text = norm_quote(text)
    ids = []
    for q in quotes:
        nq = norm_quote(q)
        pos = text.index(q)
        occurrence = norm_quote(text[:pos + len(q)]).count(nq) if norm_text.count(nq) > 1 \
            else None
        ch = wb.add_highlight(doc_id, quote=q, occurrence=occurrence)
        ids.append(ch.highlight_ids[0])
    return ids


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One library holding the PDF and the HTML capture, imported once for the module."""
    from workbench.library import Library
    from workbench.services import Workbench

    base = tmp_path_factory.mktemp("anchoring")
    text = (CORPUS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    title, body = text.split("\n\n", 1)
    pdf = make_pdf(base / "report.pdf", split_pages(text), title=title)
    html = make_html_capture(base / "report.html", title, body,
                             url="https://chinadigitaltimes.net/2022/09/un-report/")
    make_library(base / "lib")
    # Without the search index: it is not under test here and would triple the import time.
    with Workbench(Library.open(base / "lib", attach_index=False)) as wb:
        report, _ = wb.import_paths([pdf, html])
    ids = {Path(o.path).suffix: o.document_id for o in report.imported}
    return {"path": base / "lib", "text": text, "pdf": ids[".pdf"], "html": ids[".html"]}


@pytest.fixture
def imported(template: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    from workbench.library import Library
    from workbench.services import Workbench

    dest = tmp_path / "lib"
    copy_library(template["path"], dest, ignore=shutil.ignore_patterns("library.lock"))
    with Workbench(Library.open(dest, attach_index=False)) as wb:
        yield {**template, "wb": wb}


def reanchor_run(wb: Any, doc: int, quotes: list[str], text: str,
                 every_page: bool) -> dict[str, Any]:
    """Highlight every passage, add a re-normalised layer; what happened to each highlight."""
    ids = highlight_all(wb, doc, quotes, text)
    before = {h["id"]: h for h in wb.list_highlights(doc=doc)}
    assert set(before) == set(ids)
    # The layer's own quote reads as the copied passage once normalised.
    for hid, q in zip(ids, quotes, strict=True):
        assert norm_quote(before[hid]["quote"]) == norm_quote(q)
    old = wb.document_text(doc)
    pages = [old.text[s:e] for _, s, e in old.pages]
    new_pages = [renormalise(p, i + 1, len(pages), every_page) for i, p in enumerate(pages)]
    assert PAGE_SEPARATOR.join(new_pages) != old.text
    report = wb.add_text_layer(doc, Extraction(new_pages, "test-renormaliser", "1"))

    after = {h["id"]: h for h in wb.list_highlights(doc=doc)}
    assert set(after) == set(before), "a highlight was lost"
    assert report["highlights"] == len(ids)
    new = wb.document_text(doc)
    same = []
    for hid in ids:
        h = after[hid]
        if h["status"] == "orphan":
            assert h["candidate"], "an orphan without a candidate"
            assert old.text[h["start"]:h["end"]] == h["quote"]  # still true where it was made
            continue
        assert h["layer_version"] == 2
        assert new.text[h["start"]:h["end"]] == h["quote"]
        assert h["page"] == new.page_of(h["start"])
        if norm_quote(h["quote"]) == norm_quote(before[hid]["quote"]):
            same.append(hid)
    crossing = [hid for hid in ids if PAGE_SEPARATOR in before[hid]["quote"]]
    return {"ids": ids, "same": same, "report": report, "crossing": crossing}


def test_reanchor_on_other_normalisation(imported: dict[str, Any]) -> None:
    """The same passages in the PDF and the HTML capture, then a re-normalised layer each."""
    text, wb = imported["text"], imported["wb"]
    quotes = passages(text)
    assert len(quotes) >= 100
    for kind in ("pdf", "html"):
        run = reanchor_run(wb, imported[kind], quotes, text, every_page=False)
        ok, total = len(run["same"]), len(run["ids"])
        r = run["report"]
        print(f"\nre-anchor ({kind}, other normalisation): {ok}/{total} = {ok / total:.2%} "
              f"to the same quote; moved {r['moved']}, fuzzy {r['fuzzy']}, "
              f"orphaned {r['orphaned']}")
        assert ok / total >= 0.99
        assert r["orphaned"] == total - ok - r["fuzzy"]


def test_reanchor_with_headers_on_every_page(imported: dict[str, Any]) -> None:
    """Headers and footers inside a passage that crosses a page change its text: such a
    highlight is placed fuzzily or orphaned with a candidate; every other keeps its quote."""
    text, wb = imported["text"], imported["wb"]
    run = reanchor_run(wb, imported["pdf"], passages(text), text, every_page=True)
    ok, total, r = len(run["same"]), len(run["ids"]), run["report"]
    print(f"\nre-anchor (pdf, headers on every page): {ok}/{total} = {ok / total:.2%} to the "
          f"same quote; {len(run['crossing'])} passages cross a page; fuzzy {r['fuzzy']}, "
          f"orphaned {r['orphaned']}")
    assert set(run["ids"]) - set(run["same"]) <= set(run["crossing"])
    assert ok / total >= 0.95
    # An orphan's candidate is the passage with the inserted header inside: accepting it
    # would cover the right words.
    for h in wb.orphans(doc=imported["pdf"]):
        words = norm_quote(h["quote"]).split(" ")
        cand = norm_quote(h["candidate"]["quote"])
        assert h["candidate"]["method"] == "split", h["candidate"]
        assert cand.startswith(" ".join(words[:2])) and cand.endswith(words[-1])


def test_damaged_layer_leaves_orphans_with_candidates(imported: dict[str, Any]) -> None:
    """OCR-like damage: what cannot be placed exactly or closely becomes an orphan that
    keeps its old selectors and names a candidate; nothing disappears."""
    text, doc, wb = imported["text"], imported["html"], imported["wb"]
    quotes = passages(text)[:40]
    ids = highlight_all(wb, doc, quotes, text)
    old = wb.document_text(doc)
    damaged = re.sub(r"[aeiou]", lambda m: "#" if m.start() % 5 == 0 else m.group(),
                     old.text)
    report = wb.add_text_layer(doc, Extraction([damaged], "test-ocr", "1", method="ocr"))
    after = {h["id"]: h for h in wb.list_highlights(doc=doc)}
    assert set(after) == set(ids)
    assert report["orphaned"] > 0
    for h in after.values():
        if h["status"] == "orphan":
            assert h["layer_version"] == 1  # still valid where it was made
            assert old.text[h["start"]:h["end"]] == h["quote"]
            assert h["candidate"] and h["candidate"]["layer_version"] == 2
    orphans = wb.orphans(doc=doc)
    assert {h["id"] for h in orphans} == set(report["orphan_ids"])
    # Accepting a candidate anchors the orphan on the new layer.
    first = orphans[0]
    wb.accept_candidate(first["id"])
    got = wb.get_highlight(first["id"])
    assert got["status"] == "anchored" and got["layer_version"] == 2
    assert got["quote"] == first["candidate"]["quote"]
