"""Each decoding of ``workbench.redact.decode`` finds a name planted where only it can read it;
hostile input (encrypted, bombs, deep nesting) comes back as ``Unreadable``, quickly."""

from __future__ import annotations

import email.message
import gzip
import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.support.files import make_pdf
from tests.support.tools import require_program
from workbench.redact.decode import Reading, Unreadable, read_bytes
from workbench.redact.matcher import Matcher
from workbench.redact.scan import ScanReport, scan_bytes, scan_paths

TERMS = ["Ekpar", "艾克帕尔", "ئەكپەر", "Ekpar Asat"]
MATCHER = Matcher(TERMS)
LATIN, HAN, UYGHUR, FULL = range(4)


def scan(name: str, data: bytes) -> ScanReport:
    return scan_bytes(name, data, MATCHER)


def places(report: ScanReport, term: int | None = None) -> list[str]:
    return [f.place for f in report.findings if term is None or f.term == term]


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- text encodings ---------------------------------------------------------------------------


def test_gbk_html_with_the_name_only_in_nav_and_a_comment():
    page = ('<html><head><meta charset="gbk"><title>报告</title></head><body>'
            "<nav>首页 艾克帕尔</nav><!-- 作者: 艾克帕尔 --><p>干净的正文。</p></body></html>")
    report = scan("page.html", page.encode("gbk"))
    assert any("GB18030" in p or "gbk" in p for p in places(report, HAN))
    assert not report.unreadable


def test_utf16_html_and_both_byte_alignments():
    page = "<html><body><p>ئەكپەر</p></body></html>"
    report = scan("page.html", page.encode("utf-16"))
    assert any("UTF-16" in p for p in places(report, UYGHUR))
    shifted = scan("x.bin", b"\x00" + "notes Ekpar here".encode("utf-16-le"))
    # Found either at the odd alignment or in the 8-bit reading, whose NULs fold away.
    assert places(shifted, LATIN)


def test_file_name_and_escapes_and_data_uri():
    assert places(scan("Ekpar_Asat-notes.txt", b"clean"), FULL)[:1] == ["file name"]
    assert places(scan("x.json", b'{"n": "\\u0045kpar"}'), LATIN) == \
        ["bytes as UTF-8, \\u and \\x escapes decoded"]
    import base64

    svg = base64.b64encode("<svg><text>艾克帕尔</text></svg>".encode()).decode()
    page = f'<img src="data:image/svg+xml;base64,{svg}">'.encode()
    found = places(scan("a.html", page), HAN)
    assert found and "data URI (image/svg+xml)" in found[0]


# --- e-mail -----------------------------------------------------------------------------------


def _mail(html_cte: str, html: str, plain: str = "Nothing to see.") -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Notes"
    msg.set_content(plain)
    msg.add_alternative(html, subtype="html", cte=html_cte)
    return bytes(msg)


def test_eml_with_the_name_only_in_a_base64_html_alternative():
    data = _mail("base64", "<p>Met <b>Ekpar Asat</b> today.</p>")
    assert b"Ekpar" not in data
    report = scan("message.eml", data)
    found = places(report, FULL)
    assert found and all("MIME part 2 (text/html, base64)" in p for p in found)


def test_quoted_printable_part_and_encoded_header():
    data = _mail("quoted-printable", "<p>见到了艾克帕尔 " + "很长的一行。" * 20 + "</p>")
    assert "艾克帕尔".encode() not in data
    assert any("quoted-printable" in p for p in places(scan("m.eml", data), HAN))
    msg = email.message.EmailMessage()
    msg["Subject"] = "About ئەكپەر"  # RFC 2047-encoded on the wire
    msg["From"] = "a@example.org"
    msg.set_content("clean")
    raw = bytes(msg)
    assert "ئەكپەر".encode() not in raw
    assert "message headers (decoded)" in places(scan("m.eml", raw), UYGHUR)


# --- containers -------------------------------------------------------------------------------


def test_docx_member(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Clean body.")
    d.sections[0].footer.paragraphs[0].text = "Prepared with Ekpar"
    d.save(str(tmp_path / "x.docx"))
    found = places(scan("x.docx", (tmp_path / "x.docx").read_bytes()), LATIN)
    assert any(p.startswith("zip member word/footer") for p in found)


def test_odt_and_zip_in_zip():
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
               "<office:text><text:p>ئە<text:span>كپەر</text:span></text:p></office:text>"
               "</office:body></office:document-content>")
    odt = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text",
                  "content.xml": content.encode()})
    assert any(p.startswith("zip member content.xml") for p in places(scan("a.odt", odt),
                                                                      UYGHUR))
    inner = zip_of({"notes/today.txt": "met 艾克帕尔".encode("gb18030")})
    outer = zip_of({"readme.txt": b"clean", "inner.zip": inner})
    found = places(scan("outer.zip", outer), HAN)
    assert found and found[0].startswith("zip member inner.zip: zip member notes/today.txt")


def test_gzip_with_several_members_and_its_header_name():
    data = gzip.compress(b"clean start\n") + gzip.compress(b"later: Ekpar")
    assert places(scan("log.gz", data), LATIN) == ["gzip contents: bytes as UTF-8"]
    named = io.BytesIO()
    with gzip.GzipFile("Ekpar-notes.txt", "wb", fileobj=named) as gz:
        gz.write(b"clean")
    assert any(p.startswith("gzip header") for p in places(scan("x.gz", named.getvalue()),
                                                           LATIN))


def test_warc_with_a_gzip_http_body():
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = gzip.compress("<html><body><p>艾克帕尔</p></body></html>".encode())
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Encoding", "gzip"),
                                       ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/page", "response",
                                                  payload=io.BytesIO(body), http_headers=http))
    found = places(scan("crawl.warc.gz", buf.getvalue()), HAN)
    assert found and "HTTP body (gzip)" in found[0] and found[0].startswith("gzip contents")


# --- PDF --------------------------------------------------------------------------------------


def hand_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_pdf_page_text_metadata_and_orphan_stream(tmp_path):
    require_program("pdftotext")
    pdf = make_pdf(tmp_path / "p.pdf", ["Nothing here.", "Then ئەكپەر spoke."])
    found = places(scan("p.pdf", pdf.read_bytes()), UYGHUR)
    assert "page 2 text (PDFium)" in found and "page 2 text (pdftotext)" in found
    meta = make_pdf(tmp_path / "m.pdf", ["Clean."], title="About ئەكپەر")
    assert any(p.startswith("PDF objects") for p in places(scan("m.pdf", meta.read_bytes()),
                                                           UYGHUR))
    note = zlib.compress(b"BT (orphaned note: Ekpar Asat) Tj ET")
    orphan = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                       b"<< /Type /Pages /Kids [] /Count 0 >>",
                       b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(note) + note
                       + b"\nendstream"])
    report = scan("o.pdf", orphan)
    assert "PDF stream 3 0 (decompressed)" in places(report, FULL)


def test_pdf_utf16_hex_string_outside_every_object():
    hexed = ("<FEFF" + "ئەكپەر".encode("utf-16-be").hex().upper() + ">").encode()
    data = hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [] /Count 0 >>", b"<< /Old " + hexed + b" >>"])
    assert any(p.startswith("PDF strings") or p.startswith("PDF objects")
               for p in places(scan("h.pdf", data), UYGHUR))


def test_encrypted_pdf_is_unreadable(tmp_path):
    pdf = make_pdf(tmp_path / "e.pdf", ["Ekpar"], password="secret")
    items = list(read_bytes("e.pdf", pdf.read_bytes()))
    assert any(isinstance(i, Unreadable) and "password" in i.reason for i in items)
    assert not scan("e.pdf", pdf.read_bytes()).clean
    # Owner password only: it opens, so it is read.
    owner = make_pdf(tmp_path / "o.pdf", ["Ekpar"], owner_password="owner")
    report = scan("o.pdf", owner.read_bytes())
    assert "page 1 text (PDFium)" in places(report, LATIN) and not report.unreadable


# --- limits -----------------------------------------------------------------------------------


def test_zip_bomb_is_unreadable_quickly():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open(zipfile.ZipInfo("zeros.txt"), "w") as fh:
        for _ in range(100):
            fh.write(bytes(2**20))
    bomb = zip_of({"bomb.zip": buf.getvalue(), "Ekpar.txt": b"x"})
    start = time.perf_counter()
    report = scan("b.zip", bomb)
    assert time.perf_counter() - start < 5
    assert any("zip bomb" in reason for _, _, reason in report.unreadable)
    assert places(report, LATIN)  # the rest is still read


def test_gzip_bomb_and_deep_nesting_are_unreadable():
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(c.compress(bytes(2**20)) for _ in range(80)) + c.flush()
    start = time.perf_counter()
    report = scan("z.gz", bomb)
    assert time.perf_counter() - start < 5
    assert report.unreadable and not report.clean
    nested = b"Ekpar"
    for level in range(9):
        nested = zip_of({f"level{level}.zip" if level else "n.txt": nested})
    reasons = [r for _, _, r in scan("deep.zip", nested).unreadable]
    assert any("nested too deep" in r for r in reasons)


def test_truncated_zip_is_unreadable_but_its_members_are_still_read():
    data = zip_of({"a.txt": b"Ekpar" * 10, "b.txt": b"clean" * 1000})
    report = scan("t.zip", data[: len(data) // 2])
    assert report.unreadable and places(report, LATIN)


def test_readings_are_typed_and_scan_paths_walks_folders(tmp_path):
    items = list(read_bytes("a.txt", b"plain"))
    assert all(isinstance(i, Reading | Unreadable) for i in items)
    assert items[0] == Reading("file name", "a.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "n.txt").write_text("ئەكپەر", encoding="utf-8")
    (tmp_path / "clean.txt").write_text("clean", encoding="utf-8")
    report = scan_paths([tmp_path], MATCHER)
    assert report.files == 2 and [f.path for f in report.findings] == \
        [str(tmp_path / "sub" / "n.txt")]
    assert scan_paths([tmp_path / "clean.txt"], MATCHER).clean


def test_a_term_in_a_member_name_is_masked_in_the_report():
    report = scan("x.zip", zip_of({"Ekpar.txt": b"clean"}))
    assert report.findings and all("Ekpar" not in f.place for f in report.findings)
    assert all("[term 1]" in f.place for f in report.findings)


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.eml", "a.warc.gz", "a.zip"])
def test_garbage_under_any_name_does_not_crash(name):
    report = scan(name, b"\x00garbage %PDF- PK\x03\x04 WARC/1.0\r\n" * 3)
    assert isinstance(report, ScanReport)


def test_path_objects_are_accepted(tmp_path: Path):
    (tmp_path / "a.html").write_bytes(b"<p>E&#107;par</p>")
    found = places(scan_paths([tmp_path / "a.html"], MATCHER), LATIN)
    assert found == ["bytes as UTF-8, HTML entities decoded"]


def test_images_and_scanned_pages_cannot_be_shown_clean(tmp_path):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "photo of Ekpar", zip=True)  # a zTXt chunk
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG", pnginfo=info)
    report = scan("p.png", buf.getvalue())
    assert "PNG text chunks" in places(report, LATIN)
    assert report.unreadable[0][1:] == ("image", "what it shows or says cannot be searched, "
                                                 "only its metadata")
    from fpdf import FPDF

    Image.new("RGB", (40, 40), "white").save(tmp_path / "scan.png")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(tmp_path / "scan.png"), x=10, y=10, w=50)
    reasons = {(place, why) for _, place, why in scan("s.pdf", bytes(pdf.output())).unreadable}
    assert any(place == "page 1 text (PDFium)" and "only an image" in why
               for place, why in reasons)


def test_pdf_page_text_is_also_read_as_pypdf_reads_it(tmp_path):
    """The leak hunt found a name among bidi controls that only pypdf's page text showed,
    once text layers came from PDFium: pypdf's reading of each page is one of the readings."""
    pdf = make_pdf(tmp_path / "p.pdf", ["Nothing here.", "Then Ekpar Asat spoke."])
    readings = {i.place: i.text for i in read_bytes("p.pdf", pdf.read_bytes())
                if isinstance(i, Reading)}
    assert "Ekpar Asat" in readings["page 2 text (pypdf)"]
    assert "Ekpar" not in readings["page 1 text (pypdf)"]
