"""A saved web page keeps its paragraphs (session 17's walk: the page read as a wall of text).

The reading text of a web page had one line per paragraph and no blank line between them, where
the same article saved as TXT has one: a reader could not tell a paragraph from a wrapped line.
Block elements (p, div, li, h1-h6, tr, blockquote, pre…) now end a paragraph with a blank line;
a <br> ends a line (two end a paragraph, as a browser shows them). The words, and each line,
stay exactly what they were: only blank lines are added, so search, highlights and the leak
checks read the same text.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from workbench.extract import html as extract_html
from workbench.services import Workbench

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def _paragraphs(n: int) -> list[str]:
    text = (CORPUS / "un-special-rapporteur-forced-labour.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()][:n]


def _saved_page(path: Path, paras: list[str]) -> Path:
    title = htmllib.escape(paras[0])
    body = "".join(f"<p>{htmllib.escape(p)}</p>\n" for p in paras[1:])
    path.write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta name='author' content='Arthur Kaufman'></head><body><nav><a href='/'>Home</a> | "
        f"<a href='/about'>About</a></nav><article><h1>{title}</h1>\n{body}</article>"
        "<footer>Copyright China Digital Times</footer></body></html>", encoding="utf-8")
    return path


def _lines(text: str) -> str:
    return re.sub(r"\n+", "\n", text)


def test_a_saved_page_reads_in_the_paragraphs_of_its_txt_copy(wb: Workbench,
                                                              tmp_path: Path) -> None:
    paras = _paragraphs(12)
    page = _saved_page(tmp_path / "saved-page.html", paras)
    report, _ = wb.import_paths([page])
    [item] = report.to_json()["imported"]
    text = wb.document_text(item["id"]).text
    assert text.split("\n\n") == paras  # as the TXT copy has them
    # The words and lines are the reading view's own, only blank lines between them.
    data = extract_html.bare_extraction(page.read_text(encoding="utf-8"), None)
    assert data is not None and "\n\n" not in data["text"]
    assert _lines(text) == data["text"]


def test_quotes_lists_headings_and_line_breaks_in_the_reading_view() -> None:
    sentence = "The tribunal heard the witnesses about the detention of the lawyers in Urumqi."
    page = ("<html><head><title>Hearing</title></head><body><article><h1>Hearing</h1>"
            f"<p>{sentence} {sentence}</p><h2>What the witnesses said</h2>"
            f"<blockquote><p>{sentence} They were held for months.</p></blockquote>"
            f"<ul><li>{sentence} First.</li><li>{sentence} Second.</li></ul>"
            f"<p>Address line one<br>Address line two</p><p>{sentence} Last.</p>"
            "</article></body></html>")
    text, _meta = extract_html.reading_view(page, None)
    data = extract_html.bare_extraction(page, None)
    assert data is not None and _lines(text) == data["text"]
    assert "What the witnesses said" in text.split("\n\n")
    assert f"{sentence} They were held for months." in text.split("\n\n")
    blocks = text.split("\n\n")
    assert any(b.endswith("First.") for b in blocks) and any(b.endswith("Second.") for b in blocks)
    assert "Address line one\nAddress line two" in blocks  # a <br> ends a line, not a paragraph
    assert blocks[-1] == f"{sentence} Last."


def test_the_text_stays_the_reading_views_when_marking_paragraphs_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The page itself holds the mark used to find the paragraphs' ends: no mark is trusted,
    # the reading view's lines are kept as they were.
    sentence = "The report describes forced labour in the region in great detail."
    page = ("<html><body><article>"
            f"<p>{sentence} {extract_html.PARAGRAPH_MARK}</p><p>{sentence} Again.</p>"
            "</article></body></html>")
    text, _meta = extract_html.reading_view(page, None)
    data = extract_html.bare_extraction(page, None)
    assert data is not None and text == data["text"].strip()


@pytest.mark.parametrize("streamed", [False, True])
def test_all_visible_text_ends_blocks_with_a_blank_line(streamed: bool) -> None:
    page = ("<html><body><h1>Detentions</h1><div>He said <em>the city</em>.</div>"
            "<div><div>Nested block</div></div><p>Line A<br>Line B<br><br>Line C</p>"
            "<table><tr><td>cell 1</td><td>cell 2</td></tr><tr><td>cell 3</td><td></td>"
            "<td>cell 4</td></tr></table><pre>pre text</pre>tail</body></html>")
    text = (extract_html._streamed_text if streamed else extract_html.visible_text)(page)
    assert text == ("Detentions\n\nHe said the city.\n\nNested block\n\nLine A\nLine B\n\n"
                    "Line C\n\ncell 1\ncell 2\n\ncell 3\ncell 4\n\npre text\n\ntail")


def test_an_html_email_body_keeps_its_paragraphs(wb: Workbench, tmp_path: Path) -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Update"
    msg.set_content("<html><body><p>First paragraph of the update.</p>"
                    "<p>Second paragraph of the update.</p></body></html>", subtype="html")
    path = tmp_path / "update.eml"
    path.write_bytes(msg.as_bytes())
    report, _ = wb.import_paths([path])
    [item] = report.to_json()["imported"]
    text = wb.document_text(item["id"]).text
    assert "First paragraph of the update.\n\nSecond paragraph of the update." in text
