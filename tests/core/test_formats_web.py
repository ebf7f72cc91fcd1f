"""Web captures: HTML without a charset, MHTML, WARC (plain, gzip, truncated) and WACZ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_html_capture
from tests.support.formats import make_mhtml, make_wacz, warc_bytes
from workbench.services import Workbench

RUSSIAN = ("Правозащитный центр «Мемориал» сообщил о задержании активистов в Москве.\n\n"
           "Суд приговорил журналиста к шести годам лишения свободы за публикации о войне.")
CHINESE = ("新疆维吾尔自治区的拘留设施中存在严重侵犯人权的行为。\n\n"
           "联合国人权事务高级专员办事处发布了评估报告，呼吁中国政府释放被任意拘留的人。")


def _import(wb: Workbench, *paths: Path) -> dict[str, Any]:
    report, _ = wb.import_paths(list(paths))
    return report.to_json()


def _article(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>"
            "<meta name='author' content='Jane Reporter'>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2022-08-31'></head><body>"
            "<nav>NAV-MENU-TEXT Home News</nav><article><h1>" + title + "</h1>"
            + "".join(f"<p>{body}</p>" for _ in range(4))
            + "</article><footer>FOOTER-TEXT</footer></body></html>").encode()


@pytest.mark.parametrize(("encoding", "body", "language"),
                         [("cp1251", RUSSIAN, "ru"), ("gb2312", CHINESE, "zh")])
def test_html_without_charset_declaration_decodes(wb: Workbench, tmp_path: Path, encoding: str,
                                                  body: str, language: str) -> None:
    page = make_html_capture(tmp_path / f"{encoding}.html", "Page", body, encoding=encoding,
                             declare_charset=False)
    [item] = _import(wb, page)["imported"]
    text = wb.document_text(item["id"]).text
    for para in body.split("\n\n"):
        assert para in text
    info = wb.show_document(item["id"])
    assert info["language"] == language
    assert info["extra"]["encoding"] in {"cp1251", "gb2312", "gb18030", "gbk"}
    assert "FOOTER-TEXT" not in text


def test_html_reading_view_metadata_and_visible_text_fallback(wb: Workbench,
                                                              tmp_path: Path) -> None:
    article = tmp_path / "article.html"
    article.write_bytes(_article("Court hearing", "The court heard three witnesses about "
                                 "the detention of the journalist and adjourned."))
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "DEEP-TEXT witness account"
                    + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    out = _import(wb, article, deep)
    assert out["failed"] == []
    by_name = {Path(i["path"]).name: i for i in out["imported"]}
    info = wb.show_document(by_name["article.html"]["id"])
    assert info["author"] == "Jane Reporter" and info["site"] == "Example News"
    assert info["published"] == "2022-08-31" and info["language"] == "en"
    assert "NAV-MENU-TEXT" not in wb.document_text(info["id"]).text
    fallback = by_name["deep.html"]
    assert "DEEP-TEXT witness account" in wb.document_text(fallback["id"]).text
    assert fallback["status"] == "imported with problems"
    assert any("visible text" in p for p in fallback["problems"])


@pytest.mark.parametrize("streamed", [False, True])
def test_visible_text_keeps_inline_elements_in_their_sentence(streamed: bool) -> None:
    # Regression: every text node used to get its own line, so an HTML e-mail or a page
    # without an article read "He said\nthe city\n." and an exhibit printed a stray break.
    from workbench.extract.html import _streamed_text, visible_text

    page = ("<html><head><title>T</title><script>hidden()</script></head><body>"
            "<h1>Detentions</h1><p>He said <em>the city</em>.\u201d Then <a href='x'>left"
            "</a>.</p><div>Line A<br>Line B</div><ul><li>one</li><li>two</li></ul>"
            "in<span>line</span></body></html>")
    text = (_streamed_text if streamed else visible_text)(page)
    # (Blocks end paragraphs with a blank line, a <br> a line: tests/core/test_html_paragraphs.)
    assert text.split("\n\n") == ["Detentions", "He said the city.\u201d Then left.",
                                   "Line A\nLine B", "one", "two", "inline"]


def test_mhtml_capture(wb: Workbench, tmp_path: Path) -> None:
    html = _article("Protest dispersed", "Police dispersed the peaceful protest and arrested "
                    "twelve people, witnesses said.").decode()
    path = make_mhtml(tmp_path / "capture.mhtml", "https://news.example.org/protest", html)
    [item] = _import(wb, path)["imported"]
    info = wb.show_document(item["id"])
    assert info["kind"] == "mhtml" and info["title"] == "Protest dispersed"
    assert info["author"] == "Jane Reporter"
    rec = info["collection_record"]
    assert rec["source_url"] == "https://news.example.org/protest"
    assert rec["captured_at"] == "2022-09-01T08:30:00Z"
    text = wb.document_text(item["id"]).text
    assert "arrested twelve people" in text and "NAV-MENU-TEXT" not in text


def _page(title: str, words: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><p>"
            + (words + " ") * 8 + "</p></article></body></html>").encode()


def test_warc_html_responses_become_captures_others_skipped(wb: Workbench,
                                                           tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(warc_bytes([
        ("request", "https://example.org/a", "", b"", 0),
        ("response", "https://example.org/a", "text/html; charset=utf-8",
         _page("Page A", "Statement of the ministry about the camps."), 200),
        ("response", "https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n0000", 200),
        ("response", "https://example.org/gone", "text/html",
         _page("Gone", "This page was removed by the publisher."), 404),
    ]))
    out = _import(wb, warc)
    container, *captures = out["imported"]
    assert container["path"] == str(warc) and out["failed"] == []
    assert any("1 request" in p and "1 response image/png" in p for p in container["problems"])
    assert {c["title"] for c in captures} == {"Page A", "Gone"}
    page_a = next(c for c in captures if c["title"] == "Page A")
    info = wb.show_document(page_a["id"])
    assert info["kind"] == "html" and info["parent_id"] == container["id"]
    rec = info["collection_record"]
    assert rec["source_url"] == "https://example.org/a"
    assert rec["captured_at"] == "2022-09-01T10:00:01Z" and rec["http_status"] == 200
    assert "Statement of the ministry" in wb.document_text(page_a["id"]).text
    gone = next(c for c in captures if c["title"] == "Gone")
    assert wb.show_document(gone["id"])["collection_record"]["http_status"] == 404


@pytest.mark.parametrize("gzip", [False, True])
def test_truncated_warc_reports_the_record_and_keeps_the_rest(wb: Workbench, tmp_path: Path,
                                                              gzip: bool) -> None:
    data = warc_bytes([
        ("response", "https://example.org/first", "text/html",
         _page("First", "The first capture is complete."), 200),
        ("response", "https://example.org/second", "text/html",
         _page("Second", "The second capture was cut off in transfer."), 200),
    ], gzip=gzip)
    warc = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    warc.write_bytes(data[:-120])
    out = _import(wb, warc)
    container, *captures = out["imported"]
    assert [c["title"] for c in captures] == ["First"]
    assert container["status"] == "imported with problems"
    assert any("truncated" in p or "breaks off" in p for p in container["problems"])


def test_wacz_captures(wb: Workbench, tmp_path: Path) -> None:
    warc = warc_bytes([("response", "https://example.org/z", "text/html",
                        _page("Archived page", "Archived statement of the committee."), 200)],
                      gzip=True)
    path = make_wacz(tmp_path / "collection.wacz", warc, title="Committee pages")
    out = _import(wb, path)
    container, capture = out["imported"]
    assert wb.show_document(container["id"])["title"] == "Committee pages"
    assert capture["parent_id"] == container["id"] and capture["title"] == "Archived page"
    rec = wb.show_document(capture["id"])["collection_record"]
    assert rec["source_url"] == "https://example.org/z"
    assert rec["extra"]["warc_file"] == "archive/data.warc.gz"


def test_garbage_named_warc_fails_clearly(wb: Workbench, tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a web archive at all\n" * 10)
    out = _import(wb, bad)
    [failed] = out["failed"]
    assert failed["status"] == "unreadable" and "web archive" in failed["error"]


def test_oversized_warc_record_is_skipped_with_a_note(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.extract import warc
    from workbench.extract.base import ExtractOptions

    monkeypatch.setattr(warc, "MAX_RECORD", 1000)
    path = tmp_path / "big.warc"
    path.write_bytes(warc_bytes([
        ("response", "https://example.org/big", "text/html", _page("Big", "x" * 200), 200),
        ("response", "https://example.org/small", "text/html", b"<p>small</p>", 200)]))
    result = warc.WarcExtractor().extract(path, ExtractOptions(
        kind="warc", children_dir=str(tmp_path / "children")))
    assert [c.collection["source_url"] for c in result.children] == ["https://example.org/small"]
    assert any("https://example.org/big" in p and "skipped" in p for p in result.problems)
