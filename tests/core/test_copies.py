"""Other copies (issue 18 §1): found at import whatever the format, kept by the user's word,
dropped with their documents, and compared change by change."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_html_capture, make_pdf, split_pages
from workbench.errors import UserError

CRIMES = "un-report-crimes-against-humanity"


def _import(wb: Any, path: Path) -> int:
    report, _changes = wb.import_paths([path])
    ids = [o.document_id for o in report.imported if o.document_id]
    assert len(ids) == 1, report
    return int(ids[0])


def _txt(wb: Any, folder: Path, name: str, text: str) -> int:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return _import(wb, path)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_a_pdf_and_an_html_capture_of_one_article_are_copies(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    title, body = text.split("\n", 1)
    pdf = _import(wb, make_pdf(tmp_path / "report.pdf", split_pages(text)))
    html = _import(wb, make_html_capture(
        tmp_path / "report.html", title, body.strip(), url="https://example.org/report",
        published="2022-09-01"))
    others = [_txt(wb, tmp_path, name, t) for name, t in corpus_texts.items() if name != CRIMES]

    copies = wb.copies(pdf)
    assert [c["document_id"] for c in copies] == [html]
    c = copies[0]
    assert c["kind"] == "html" and c["status"] == "found"
    assert c["source_url"] == "https://example.org/report"
    assert c["sha256"] == wb.show_document(html)["sha256"]
    assert c["original_filename"] == "report.html"
    assert c["imported_at"] and isinstance(c["similarity"], float)
    assert 0.8 <= c["similarity"] <= 1.0
    assert [x["document_id"] for x in wb.copies(html)] == [pdf]
    assert wb.copy_counts([pdf, html, *others]) == {pdf: 1, html: 1, others[0]: 0,
                                                      others[1]: 0}


def test_unrelated_articles_are_never_copies(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    """The three corpus articles share their subject, names and quoted phrases, and each is
    imported twice with the same site boilerplate around it: still no pair across them."""
    header = "Human Rights Briefing | Xinjiang Desk | Subscribe to our newsletter\n\n"
    footer = ("\n\nThis article is published under a Creative Commons licence. Share it, "
              "cite it, and tell us what we missed: our editors read every message and "
              "correct the record where we are wrong.")
    ids: dict[str, int] = {}
    for name, text in corpus_texts.items():
        ids[name] = _txt(wb, tmp_path, name, header + text + footer)
    for name, doc in ids.items():
        assert wb.copies(doc) == [], name
    assert set(wb.copy_counts(list(ids.values())).values()) == {0}


def _removed_report(text: str) -> tuple[str, list[str], str, str]:
    """The preserved copy and the 'official' one: two paragraphs removed, one sentence
    softened. Returns (official, removed paragraphs, old sentence, new sentence)."""
    paras = _paragraphs(text)
    removed = [paras[3], paras[6]]
    old = "The 46-page report concluded that the Chinese government has committed"
    new = "The 46-page report noted concerns that the Chinese government may have committed"
    assert old in paras[1]
    kept = [p.replace(old, new) for p in paras if p not in removed]
    return "\n\n".join(kept), removed, old, new


def test_a_removed_report_and_its_preserved_copy_are_copies_and_compare_shows_the_cuts(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    preserved = corpus_texts[CRIMES]
    official, removed, _old, _new = _removed_report(preserved)
    left = _txt(wb, tmp_path, "preserved", preserved)
    right = _txt(wb, tmp_path, "official", official)
    assert [c["document_id"] for c in wb.copies(left)] == [right]

    result = wb.compare(left, right)
    lt, rt = wb.document_text(left).text, wb.document_text(right).text
    assert result["left"]["document_id"] == left and result["right"]["document_id"] == right
    assert result["left"]["length"] == len(lt) and result["right"]["length"] == len(rt)
    assert result["left"]["sha256"] == wb.show_document(left)["sha256"]
    changes = result["changes"]
    for ch in changes:  # the ranges are the texts' own, and say what is there
        (a, b), (c, d) = ch["left"], ch["right"]
        assert lt[a:b] == ch["left_text"] and rt[c:d] == ch["right_text"]
        assert ch["kind"] == {(True, False): "delete", (False, True): "insert"}.get(
            (b > a, d > c), "replace")
    assert [ch["left"][0] for ch in changes] == sorted(ch["left"][0] for ch in changes)

    deletes = [ch for ch in changes if ch["kind"] == "delete"]
    assert [_squash(ch["left_text"]) for ch in deletes] == [_squash(p) for p in removed]
    for ch in deletes:  # an empty range where the paragraph was, in the official text
        assert ch["right"][0] == ch["right"][1]
    replaces = [ch for ch in changes if ch["kind"] != "delete"]
    assert replaces, changes
    # Every other change lies inside the softened sentence, in both texts.
    s_left = lt.index("The 46-page report")
    s_right = rt.index("The 46-page report")
    for ch in replaces:
        assert s_left <= ch["left"][0] <= ch["left"][1] <= s_left + 90
        assert s_right <= ch["right"][0] <= ch["right"][1] <= s_right + 90
    assert "concluded" in " ".join(ch["left_text"] for ch in replaces)
    assert "noted concerns" in " ".join(ch["right_text"] for ch in replaces)
    assert 0.5 <= result["similarity"] <= 1.0


def test_compare_ignores_line_breaks_and_typographic_quotes(wb: Any, tmp_path: Path,
                                                            corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    rewrapped = re.sub(r"(\S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+) ", r"\1\n", text)
    rewrapped = rewrapped.replace("\u201c", '"').replace("\u201d", '"')
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "b", rewrapped)
    assert wb.compare(a, b)["changes"] == []


def test_a_rejected_pair_never_comes_back_and_a_confirmed_one_is_kept(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "b", text + "\n\nUpdated on 2 September.")
    c = _txt(wb, tmp_path, "c", text + "\n\nCorrected on 3 September.")
    assert {x["document_id"] for x in wb.copies(a)} == {b, c}

    changes = wb.set_copy_status(a, b, "rejected")
    assert changes.copies and sorted(changes.document_ids) == sorted([a, b])
    changes = wb.set_copy_status(c, a, "confirmed")
    assert [(x["document_id"], x["status"]) for x in wb.copies(a)] == [(c, "confirmed")]
    # a window offering to undo "not a copy" lists the rejected pair too, last
    assert [(x["document_id"], x["status"]) for x in wb.copies(a, include_rejected=True)] \
        == [(c, "confirmed"), (b, "rejected")]
    events = wb.audit_events(object_type="document_copy")
    assert [e["details"]["status"] for e in events if e["object_id"]] == ["rejected",
                                                                         "confirmed"]
    assert any(e["details"].get("operation") == "found copies" for e in events)

    with wb.library.transaction() as s:  # as if the library came from before 0005
        s.execute(__import__("sqlalchemy").text("DELETE FROM copy_signatures"))
    found = wb.find_copies()
    assert found["signed"] == 3
    assert [(x["document_id"], x["status"]) for x in wb.copies(a)] == [(c, "confirmed")]
    assert {x["document_id"] for x in wb.copies(b)} == {c}

    with pytest.raises(UserError):
        wb.set_copy_status(a, b, "maybe")
    with pytest.raises(UserError):
        wb.set_copy_status(a, a, "confirmed")


def test_deleting_a_document_drops_its_pairs(wb: Any, tmp_path: Path,
                                             corpus_texts: dict[str, str]) -> None:
    text = corpus_texts[CRIMES]
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "b", text + "\n\nUpdated.")
    assert wb.copy_counts([a]) == {a: 1}
    wb.delete_document(b)
    assert wb.copies(a) == []
    assert wb.copy_counts([a]) == {a: 0}
    c = _txt(wb, tmp_path, "c", text + "\n\nCorrected.")  # the finder forgot b, knows a
    assert [x["document_id"] for x in wb.copies(c)] == [a]


def test_an_edited_text_is_signed_again(wb: Any, tmp_path: Path,
                                        corpus_texts: dict[str, str]) -> None:
    from workbench.extract.base import Extraction

    texts = list(corpus_texts.values())
    a = _txt(wb, tmp_path, "a", texts[0])
    b = _txt(wb, tmp_path, "b", texts[1])
    assert wb.copies(a) == []
    # a new text layer (re-extraction, OCR) is signed at once: the command line's read-only
    # `copies` and a search folding copies see the new pair without a scan
    changes = wb.add_text_layer(b, Extraction(pages=[texts[0]], extractor="test",
                                              extractor_version="1"))
    assert changes["copies_changed"] is True
    assert wb.find_copies() == {"signed": 0, "pairs": 0}
    assert [x["document_id"] for x in wb.copies(a)] == [b]


def test_short_texts_have_no_copies(wb: Any, tmp_path: Path) -> None:
    short = "A witness statement of a few words, seen twice in the library today."
    a = _txt(wb, tmp_path, "a", short)
    b = _txt(wb, tmp_path, "b", short + " Twice.")
    assert wb.copies(a) == [] and wb.copies(b) == []


def test_chinese_copies_are_found_by_characters(wb: Any, tmp_path: Path) -> None:
    sentences = [f"第{i}名证人说，他在二〇一八年被带到再教育营，在那里关押了{i + 3}个月。"
                 f"他的家人不知道他的下落，直到{i}位邻居告诉他们。" for i in range(1, 9)]
    text = "".join(sentences)
    other = "".join(f"第{i}份报告记录了新疆各地的强迫劳动项目，工厂接收了{i * 100}名工人。"
                    for i in range(1, 12))
    a = _txt(wb, tmp_path, "a", text)
    b = _txt(wb, tmp_path, "b", "\n".join(sentences[:-1]))
    c = _txt(wb, tmp_path, "c", other)
    assert [x["document_id"] for x in wb.copies(a)] == [b]
    assert wb.copies(c) == []


def test_copies_of_an_unknown_document_is_a_user_error(wb: Any) -> None:
    with pytest.raises(UserError):
        wb.copies(12345)


def test_listing_the_copies_of_a_re_read_document_signs_it_again(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    from workbench.extract.base import Extraction

    texts = list(corpus_texts.values())
    a = _txt(wb, tmp_path, "a", texts[0])
    b = _txt(wb, tmp_path, "b", texts[0] + "\n\nUpdated.")
    assert [x["document_id"] for x in wb.copies(b)] == [a]
    wb.add_text_layer(b, Extraction(pages=[texts[2]], extractor="ocr", extractor_version="1"))
    assert wb.copies(b) == [] and wb.copies(a) == []  # the found pair is dropped


def test_copies_not_found_for_want_of_room_cost_a_warning_not_the_import(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str],
        monkeypatch: Any, caplog: Any) -> None:
    """The import is committed before copies are looked for: a full disk then costs one line
    saying how to look for them later, never a traceback or the import."""
    import logging

    from workbench.copies import finder
    from workbench.errors import LibraryFull

    def full(*_a: Any, **_k: Any) -> Any:
        raise LibraryFull("The library's disk is full: the database could not grow", "free space")

    monkeypatch.setattr(finder, "find_copies", full)
    with caplog.at_level(logging.WARNING):
        a = _txt(wb, tmp_path, "a", next(iter(corpus_texts.values())))
    assert wb.show_document(a)["id"] == a
    (line,) = [r for r in caplog.records if "not looked for" in r.getMessage()]
    assert line.exc_info is None and "disk is full" in line.getMessage()
    assert "workbench copies --scan" in line.getMessage()
