"""Captures laid out as PDF pages for facsimiles (issue 13): offline, cleaned, deterministic."""

from __future__ import annotations

import base64
import io
import socket
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest

from tests.support.formats import make_docx, warc_bytes
from workbench.errors import ExportError
from workbench.export.capture_pdf import RefusingFetcher, capture_as_pdf

ARTICLE = "The committee heard the witness describe the detention centre near Kashgar."
ARABIC = "شهد الشاهد أمام اللجنة"
CHINESE = "证人在委员会作证"


def _png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "PNG")
    return buf.getvalue()


HOSTILE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Report</title>
<link rel="stylesheet" href="http://tracker.example/style.css">
<style>@import url("http://tracker.example/import.css");
body {{ background: url("http://tracker.example/bg.png") }}</style>
<style>h1 {{ background: url("http://tracker.example/h1.png") }}</style>
<script>document.write("SCRIPT-TEXT")</script>
<base href="http://tracker.example/">
</head><body onload="alert('ONLOAD')">
<h1>Findings</h1>
<p style="background-image: url('http://tracker.example/inline.png')">{ARTICLE}</p>
<p dir="rtl">{ARABIC}</p><p>{CHINESE}</p>
<img src="http://tracker.example/photo.jpg" alt="photo">
<img src="relative/photo2.jpg">
<img src="data:image/png;base64,{base64.b64encode(_png()).decode()}">
<iframe src="http://tracker.example/frame.html"></iframe>
<object data="http://tracker.example/x.swf"></object>
<form action="http://tracker.example/post"><input value="FORM"></form>
</body></html>"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every attempt to open a connection, recorded (and refused)."""
    calls: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return calls


def _text(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _images(path: Path) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(str(path)).pages)


def test_a_web_page_is_laid_out_without_fetching_anything(
        tmp_path: Path, no_network: list[Any]) -> None:
    src = tmp_path / "page.html"
    src.write_text(HOSTILE, encoding="utf-8")
    fetcher = RefusingFetcher(set())
    out = capture_as_pdf("html", src, tmp_path / "page.pdf", fetcher)
    assert no_network == []
    # The page did ask for them: they were refused, not fetched.
    assert set(fetcher.refused) == {"http://tracker.example/h1.png",
                                    "http://tracker.example/inline.png"}
    text = _text(out)
    assert "Findings" in text and "detention centre near Kashgar" in text
    assert ARABIC.split()[0] in text and CHINESE in text
    assert "SCRIPT-TEXT" not in text and "ONLOAD" not in text
    assert _images(out) == 1  # the embedded data: image only
    raw = out.read_bytes()
    assert b"tracker.example" not in raw


def test_the_same_capture_gives_the_same_bytes(tmp_path: Path) -> None:
    src = tmp_path / "page.html"
    src.write_text(HOSTILE, encoding="utf-8")
    a = capture_as_pdf("html", src, tmp_path / "a.pdf").read_bytes()
    b = capture_as_pdf("html", src, tmp_path / "b.pdf").read_bytes()
    assert a == b
    assert b"CreationDate" not in a and b"ModDate" not in a


def test_mhtml_shows_its_own_images(tmp_path: Path, no_network: list[Any]) -> None:
    url = "https://news.example/story"
    html = (f'<html><body><p>{ARTICLE}</p><img src="{url}/logo.png">'
            f'<img src="https://elsewhere.example/ad.png"></body></html>')
    logo = base64.b64encode(_png()).decode()
    boundary = "b0undary"
    src = tmp_path / "page.mhtml"
    src.write_bytes((
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\nSubject: saved\r\n"
        f'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; '
        f'boundary="{boundary}"\r\n\r\n--{boundary}\r\nContent-Type: text/html\r\n'
        f"Content-Location: {url}\r\n\r\n{html}\r\n--{boundary}\r\nContent-Type: image/png\r\n"
        f"Content-Transfer-Encoding: base64\r\nContent-Location: {url}/logo.png\r\n\r\n"
        f"{logo}\r\n--{boundary}--\r\n").encode())
    out = capture_as_pdf("mhtml", src, tmp_path / "page.pdf")
    assert no_network == []
    assert "detention centre" in _text(out)
    assert _images(out) == 1


def test_an_email_shows_its_headers_body_and_inline_image(
        tmp_path: Path, no_network: list[Any]) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"] = "Alice Martin <alice@example.org>", "bob@example.org"
    msg["Subject"], msg["Date"] = "Witness statement", "Tue, 6 Sep 2022 10:00:00 +0000"
    msg.set_content(ARTICLE)
    msg.add_alternative(f'<p>{ARTICLE}</p><img src="cid:pic1"><img src="http://x.example/t.gif">',
                        subtype="html")
    msg.get_payload()[1].add_related(_png(), "image", "png", cid="<pic1>")
    msg.add_attachment(b"annex", maintype="application", subtype="octet-stream",
                       filename="annex.bin")
    src = tmp_path / "mail.eml"
    src.write_bytes(msg.as_bytes())
    out = capture_as_pdf("email", src, tmp_path / "mail.pdf")
    assert no_network == []
    text = _text(out)
    for part in ("Alice Martin", "Witness statement", "detention centre", "annex.bin"):
        assert part in text
    assert _images(out) == 1


def test_docx_and_warc_are_laid_out(tmp_path: Path, no_network: list[Any]) -> None:
    docx = make_docx(tmp_path / "report.docx", [ARTICLE, ARABIC],
                     table=[["Name", "Place"], ["Camp 4", "Kashgar"]])
    text = _text(capture_as_pdf("docx", docx, tmp_path / "report.pdf"))
    assert "detention centre" in text and "Camp 4" in text and ARABIC.split()[0] in text
    warc = tmp_path / "crawl.warc"
    page = f'<html><body><p>{ARTICLE}</p><img src="https://site.example/a.png"></body></html>'
    warc.write_bytes(warc_bytes([
        ("response", "https://site.example/a.png", "image/png", _png(), 200),
        ("response", "https://site.example/", "text/html", page.encode(), 200)]))
    out = capture_as_pdf("warc", warc, tmp_path / "crawl.pdf")
    assert "detention centre" in _text(out) and _images(out) == 1
    assert no_network == []


def test_what_cannot_be_laid_out_is_an_export_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ExportError):
        capture_as_pdf("docx", bad, tmp_path / "x.pdf")
    with pytest.raises(ExportError, match="cannot be shown as pages"):
        capture_as_pdf("image", bad, tmp_path / "x.pdf")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(warc_bytes([]))
    with pytest.raises(ExportError, match="no HTML page"):
        capture_as_pdf("warc", empty, tmp_path / "x.pdf")
