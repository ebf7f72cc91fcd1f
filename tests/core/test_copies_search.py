"""Search can fold a document's copies into one hit; a citation names every copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.core.test_copies import CRIMES, _txt


def test_search_folds_copies_into_the_better_hit(wb: Any, tmp_path: Path,
                                                 corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "b", text + "\n\nUpdated on 2 September.")
    c = _txt(wb, tmp_path, "c", text + "\n\nCorrected on 3 September.")
    others = [_txt(wb, tmp_path, n, t) for n, t in corpus_texts.items() if n != CRIMES]
    wb.set_copy_status(a, c, "rejected")
    wb.wait_for_index()

    plain = wb.search("Bachelet")
    assert {h.document_id for h in plain.hits} >= {a, b, c}
    assert all(h.copies == [] and h.to_json()["copies"] == [] for h in plain.hits)

    folded = wb.search("Bachelet", collapse_copies=True)
    hits = {h.document_id: h for h in folded.hits}
    assert folded.total == plain.total
    # a and b are copies, and so are b and c; a and c are not (rejected): c stays a hit
    # unless b was the better hit it folds into.
    order = [h.document_id for h in plain.hits]
    best = min((a, b), key=order.index)
    worse = b if best == a else a
    assert worse not in hits and worse in hits[best].copies
    assert hits[best].to_json()["copies"] == hits[best].copies
    for doc in others:
        if doc in {h.document_id for h in plain.hits}:
            assert doc in hits and hits[doc].copies == []
    assert sum(1 + len(h.copies) for h in folded.hits) == len(plain.hits)


def test_an_exhibit_citation_names_every_other_copy_with_its_hash(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "preserved-by-Bachelet-watchers", text + "\n\nUpdated.")
    c = _txt(wb, tmp_path, "c", text + "\n\nCorrected on 3 September.")
    unrelated = [_txt(wb, tmp_path, n, t) for n, t in corpus_texts.items() if n != CRIMES]
    wb.set_copy_status(a, c, "rejected")
    sha = {d: wb.show_document(d)["sha256"] for d in (a, b, c, *unrelated)}
    h = wb.add_highlight(a, "Michelle Bachelet finally released her long-overdue report")
    hid = h.highlight_ids[0] if hasattr(h, "highlight_ids") else h["id"]
    dossier = wb.create_dossier("Copies").dossier_ids[0]
    wb.add_item(dossier, highlight=hid)
    wb.redact_term(dossier, "Bachelet", "protect")

    out = tmp_path / "dossier.html"
    wb.export(dossier, "html", out)
    html = out.read_text(encoding="utf-8")
    assert "Other copies" in html
    assert sha[b] in html  # the copy, with its full hash
    assert sha[c] not in html  # the rejected pair
    assert not any(sha[d] in html for d in unrelated)
    assert "Bachelet" not in html  # the copy's file name is redacted like the rest
