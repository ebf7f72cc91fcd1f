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
