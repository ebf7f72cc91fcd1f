"""Generators for the office, e-mail, web-archive and image test files. Deterministic output.

Every file is built with the library a real producer would use (python-docx, odfpy, the
standard ``email`` package, warcio, Pillow), small enough to keep the tests fast.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_docx(path: Path, paragraphs: list[str], *, title: str = "", author: str = "",
              created: dt.datetime | None = None, table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title, props.author = title, author
    if created:
        props.created = created
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def make_odt(path: Path, heading: str, paragraphs: list[str], *, title: str = "",
             author: str = "", created: str = "") -> Path:
    from odf import dc, meta
    from odf import text as odftext
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    if title:
        doc.meta.addElement(dc.Title(text=title))
    if author:
        doc.meta.addElement(dc.Creator(text=author))
    if created:
        doc.meta.addElement(meta.CreationDate(text=created))
    doc.text.addElement(odftext.H(outlinelevel=1, text=heading))
    for para in paragraphs:
        doc.text.addElement(odftext.P(text=para))
    doc.save(str(path))
    return path


def email_message(subject: str, body: str, *, sender: str = "Alice Martin <alice@example.org>",
                  to: str = "Bob Chen <bob@example.org>, carol@example.org",
                  date: dt.datetime | None = None,
                  attachments: list[tuple[str, bytes, str]] | None = None) -> bytes:
    """A message as bytes; attachments are (filename, data, "maintype/subtype")."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(date or dt.datetime(2022, 9, 6, 10, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<{abs(hash((subject, body))) % 10**12}@example.org>"
    msg.set_content(body)
    for filename, data, ctype in attachments or []:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def make_eml(path: Path, subject: str, body: str, **kwargs: object) -> Path:
    path.write_bytes(email_message(subject, body, **kwargs))  # type: ignore[arg-type]
    return path


def damaged_mime_message(body: str) -> bytes:
    """A multipart message whose parts use a different boundary than the one declared."""
    return (
        "From: Alice Martin <alice@example.org>\r\nTo: bob@example.org\r\n"
        "Subject: Witness statement (damaged)\r\nDate: Tue, 6 Sep 2022 10:00:00 +0000\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="DECLARED"\r\n\r\n'
        "--ACTUAL\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n--ACTUAL--\r\n"
    ).encode()


def make_mbox(path: Path, messages: list[bytes]) -> Path:
    """An mboxo file: each message after a From_ line, body lines starting "From " quoted."""
    out = io.BytesIO()
    for n, data in enumerate(messages):
        out.write(f"From sender{n}@example.org Tue Sep  6 10:00:00 2022\n".encode())
        for line in data.replace(b"\r\n", b"\n").split(b"\n"):
            out.write((b">" + line if line.startswith(b"From ") else line) + b"\n")
        out.write(b"\n")
    path.write_bytes(out.getvalue())
    return path


def make_mhtml(path: Path, url: str, html: str, *, date: str = "Thu, 1 Sep 2022 08:30:00 +0000"
               ) -> Path:
    """What Chrome's "Save page as… single file" writes: HTML plus one image resource."""
    boundary = "----MultipartBoundary--abc123"
    import quopri

    html_qp = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    text = (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {url}\r\n"
        f"Subject: saved page\r\nDate: {date}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n'
        f"\r\n\r\n--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n"
        f"{html_qp}\r\n\r\n--{boundary}\r\nContent-Type: image/png\r\n"
        f"Content-Transfer-Encoding: base64\r\nContent-Location: {url}logo.png\r\n\r\n"
        "iVBORw0KGgo=\r\n\r\n"
        f"--{boundary}--\r\n"
    )
    path.write_bytes(text.encode("ascii"))
    return path


def warc_bytes(records: list[tuple[str, str, str, bytes, int]], *, gzip: bool = False) -> bytes:
    """A WARC of (type, url, content type, body, HTTP status) records, plus a warcinfo."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for n, (rtype, url, ctype, body, status) in enumerate(records):
        date = f"2022-09-01T10:00:{n:02d}Z"
        if rtype == "request":
            http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")],
                                    is_http_request=True)
        else:
            http = StatusAndHeaders(f"{status} OK", [("Content-Type", ctype)],
                                    protocol="HTTP/1.1")
        record = writer.create_warc_record(url, rtype, payload=io.BytesIO(body),
                                           http_headers=http,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
    return buf.getvalue()


def make_wacz(path: Path, warc: bytes, title: str = "Test collection") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.warc.gz", warc, compress_type=zipfile.ZIP_STORED)
        zf.writestr("datapackage.json", json.dumps({"profile": "data-package", "title": title,
                                                    "created": "2022-09-01T10:00:00Z"}))
        zf.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0"}\n')
    return path


def text_image(text: str, *, font: Path = DEJAVU, size: int = 40, width: int = 900,
               lines_per_image: int | None = None) -> object:
    """A white image with ``text`` rendered in black, one line per text line."""
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(str(font), size)
    lines = text.split("\n")[:lines_per_image] if lines_per_image else text.split("\n")
    line_height = int(size * 1.6)
    image = Image.new("L", (width, line_height * len(lines) + 2 * size), color=255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((size, size + n * line_height), line, font=face, fill=0)
    return image


def make_text_image(path: Path, text: str, **kwargs: object) -> Path:
    image = text_image(text, **kwargs)  # type: ignore[arg-type]
    image.save(str(path))  # type: ignore[attr-defined]
    return path


def make_tiff(path: Path, pages: list[str], *, size: int = 28, width: int = 360) -> Path:
    """A multi-page TIFF, one small rendered page per string."""
    frames = [text_image(p, size=size, width=width) for p in pages]
    first, rest = frames[0], frames[1:]
    first.save(str(path), save_all=True, append_images=rest,  # type: ignore[attr-defined]
               compression="tiff_deflate")
    return path
