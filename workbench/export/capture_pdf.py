"""Captures laid out as PDF pages, offline, for facsimile exhibits of non-PDF sources.

A saved web page, an MHTML or WARC capture, an e-mail or a DOCX has no pages of its own; its
facsimile shows it laid out by WeasyPrint as A4 pages. The capture is parsed with the
extractors' own code (charset detection, the MHTML and e-mail MIME parsing, python-docx), its
HTML cleaned (no scripts, event handlers, frames, embedded objects, forms' actions, ``<link>``,
``<meta>`` or ``<base>``), and laid out with a URL fetcher that refuses everything but
``data:`` URLs and the bundled fonts: nothing is ever fetched from the network or the disk.
Images embedded in the capture itself (MHTML parts, an e-mail's inline ``cid:`` parts, a WARC's
image records) are turned into ``data:`` URLs first, so they do show.

Text uses the fonts the dossier PDF uses (``resources/fonts``, forced over the page's own
font choices), so the layout is the same on every computer, and the PDF carries no time or
other varying data: the same capture gives the same bytes (its SHA-256 is stable).
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from email.message import Message
from pathlib import Path
from typing import Any

from ..errors import ExportError

KINDS = ("html", "mhtml", "warc", "email", "docx")
MAX_INLINED = 32 << 20  # bytes of images inlined from one capture
PAGE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm }
html { font-size: 10.5pt }
body { margin: 0 }
img, svg, video { max-width: 100% !important; height: auto }
pre { white-space: pre-wrap; word-wrap: break-word }
table { max-width: 100% }
.wb-mail-head { border-bottom: 0.6pt solid #777; margin-bottom: 10pt; padding-bottom: 6pt }
.wb-mail-head div { margin: 1pt 0 }
.wb-mail-head b { display: inline-block; min-width: 4.5em }
"""
# Forced over the capture's own styles: the bundled fonts only (see the module docstring).
FONT_CSS = """
* { font-family: "WB Sans", "WB Naskh", "WB CJK", sans-serif !important }
"""


class RefusingFetcher:
    """WeasyPrint's URL fetcher that fetches nothing: ``data:`` URLs and the bundled fonts'
    files only. Every other URL asked for is kept in ``refused`` (tests read it)."""

    def __init__(self, allowed_files: set[str]) -> None:
        from weasyprint.urls import URLFetcher

        outer = self

        class _Fetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if url.startswith("data:") or url in outer.allowed:
                    return super().fetch(url, headers)
                outer.refused.append(url)
                raise ValueError("fetching is disabled for facsimiles")

        self.allowed = allowed_files
        self.refused: list[str] = []
        self.fetcher = _Fetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def capture_as_pdf(kind: str, original: Path, out: Path,
                   fetcher: RefusingFetcher | None = None) -> Path:
    """Lay the capture ``original`` of ``kind`` out as PDF pages into ``out``; returns
    ``out``. ``fetcher``: the refusing fetcher to use (tests inspect it)."""
    if kind not in KINDS:
        raise ExportError(f"A {kind} document cannot be shown as pages",
                          "facsimiles show PDFs, web pages, MHTML, WARC, e-mail and DOCX")
    try:
        data = original.read_bytes()
    except OSError as exc:
        raise ExportError(f"Cannot read the capture {original.name}: {exc.strerror}") from None
    try:
        body = _BUILDERS[kind](data, original)
    except ExportError:
        raise
    except Exception as exc:  # a damaged capture: one sentence, not a traceback
        raise ExportError(f"The {kind} capture {original.name} cannot be laid out as pages "
                          f"({type(exc).__name__})", "show the exhibit without a facsimile"
                          ) from None
    _write(body, out, fetcher)
    return out


# --- the HTML of each kind ---------------------------------------------------------------

def clean_html(html: str, images: dict[str, str] | None = None) -> str:
    """The page's HTML without anything active, with embedded images as ``data:`` URLs
    (``images``: a reference as the page writes it -> its data URL)."""
    import lxml.html
    from lxml.html.clean import Cleaner  # lxml[html-clean], as declared

    cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=False,
                      inline_style=False, links=True, meta=True, page_structure=False,
                      processing_instructions=True, embedded=True, frames=True, forms=False,
                      annoying_tags=True, remove_unknown_tags=False, safe_attrs_only=False,
                      kill_tags=["base", "noscript", "template"])
    from ..extract.html import _parse

    root = _parse(html) if html.strip() else lxml.html.fromstring("<p></p>")
    root = cleaner.clean_html(root)
    for element in root.iter("img", "image", "source", "input"):
        for attr in ("src", "srcset", "href", "xlink:href", "data-src"):
            value = element.get(attr)
            if value is None:
                continue
            inlined = (images or {}).get(value.strip())
            if inlined:
                element.set(attr, inlined)
            elif attr != "src" or not value.strip().startswith("data:"):
                del element.attrib[attr]  # nothing to fetch: the image shows as missing
    for element in root.iter():
        for attr in list(element.attrib):
            if attr.lower() in ("action", "formaction", "ping", "background"):
                del element.attrib[attr]
    return str(lxml.html.tostring(root, encoding="unicode", method="html"))


def _data_url(ctype: str, payload: bytes) -> str:
    return f"data:{ctype};base64,{base64.b64encode(payload).decode('ascii')}"


def _mime_images(msg: Message) -> dict[str, str]:
    """The message's image parts by their Content-Location and ``cid:`` reference."""
    images: dict[str, str] = {}
    total = 0
    for part in msg.walk():
        if part.get_content_maintype() != "image":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or total + len(payload) > MAX_INLINED:
            continue
        total += len(payload)
        url = _data_url(part.get_content_type(), payload)
        location = str(part.get("Content-Location", "")).strip()
        if location:
            images[location] = url
        cid = str(part.get("Content-ID", "")).strip().strip("<>")
        if cid:
            images[f"cid:{cid}"] = url
    return images


def _html(data: bytes, _path: Path) -> str:
    from ..extract.html import decode_html

    return clean_html(decode_html(data)[0])


def _mhtml(data: bytes, path: Path) -> str:
    from ..extract.eml import parse_message, part_text
    from ..extract.mhtml import _html_part

    msg = parse_message(data)
    part = _html_part(msg)
    if part is None:
        raise ExportError(f"The MHTML capture {path.name} has no HTML part to show")
    return clean_html(part_text(part), _mime_images(msg))


def _warc(data: bytes, path: Path) -> str:
    """The archive's first HTML response, with the archive's own images."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    page: bytes | None = None
    images: dict[str, str] = {}
    total = 0
    for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
        if record.rec_type not in ("response", "resource"):
            continue
        headers = record.http_headers or record.rec_headers
        ctype = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        body = record.content_stream().read()
        if page is None and ctype in ("text/html", "application/xhtml+xml"):
            page = body
        elif ctype.startswith("image/") and total + len(body) <= MAX_INLINED:
            total += len(body)
            images[url] = _data_url(ctype, body)
    if page is None:
        raise ExportError(f"The WARC file {path.name} holds no HTML page to show")
    from ..extract.html import decode_html

    return clean_html(decode_html(page)[0], images)


def _email(data: bytes, path: Path) -> str:
    from ..extract.eml import message_metadata, parse_message, part_text

    msg = parse_message(data)
    meta = message_metadata(msg)
    rows = []
    for label, key in (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"),
                       ("Subject", "subject")):
        value = meta.get(key)
        if value:
            text = ", ".join(value) if isinstance(value, list) else str(value)
            rows.append(f"<div><b>{label}:</b> {html_lib.escape(text)}</div>")
    html_part = plain_part = None
    attachments: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        if disposition == "attachment" or (part.get_filename() and
                                           part.get_content_maintype() != "image"):
            attachments.append(part.get_filename() or part.get_content_type())
        elif part.get_content_type() == "text/html" and html_part is None:
            html_part = part
        elif part.get_content_type() == "text/plain" and plain_part is None:
            plain_part = part
    if attachments:
        names = ", ".join(html_lib.escape(a) for a in attachments)
        rows.append(f"<div><b>Attached:</b> {names}</div>")
    head = f'<div class="wb-mail-head">{"".join(rows)}</div>'
    if html_part is not None:
        body = clean_html(part_text(html_part), _mime_images(msg))
        body = re.sub(r"(?is)^.*?<body[^>]*>|</body>.*$", "", body)
    elif plain_part is not None:
        body = f"<pre>{html_lib.escape(part_text(plain_part))}</pre>"
    else:
        body = ""
    return f"<html><body>{head}{body}</body></html>"


def _docx(data: bytes, path: Path) -> str:
    """Paragraphs (headings as headings, bold and italic runs), tables, headers and footers;
    images are not shown."""
    import docx
    from docx.table import Table

    from ..extract.docx import check_zip

    check_zip(path, "Word document")
    document = docx.Document(str(path))
    e = html_lib.escape
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = "".join(f"<td>{e(cell.text)}</td>" for cell in row.cells)
                rows.append(f"<tr>{cells}</tr>")
            blocks.append('<table border="1" cellspacing="0" cellpadding="3">'
                          f"{''.join(rows)}</table>")
            continue
        runs = []
        for run in block.runs:
            text = e(run.text)
            if run.bold:
                text = f"<b>{text}</b>"
            if run.italic:
                text = f"<i>{text}</i>"
            runs.append(text)
        style = (block.style.name if block.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        tag = f"h{min(int(level.group(1)), 6)}" if level else "h1" if style == "Title" else "p"
        blocks.append(f"<{tag}>{''.join(runs) or '&#8203;'}</{tag}>")
    from ..extract.docx import _header_footer_text

    extra = "".join(f"<p><small>{e(t)}</small></p>" for t in _header_footer_text(document))
    return f"<html><body>{''.join(blocks)}{extra}</body></html>"


_BUILDERS = {"html": _html, "mhtml": _mhtml, "warc": _warc, "email": _email, "docx": _docx}


# --- layout -----------------------------------------------------------------------------------

def _write(body: str, out: Path, fetcher: RefusingFetcher | None) -> None:
    from .pdf_layout import quiet_weasyprint

    quiet_weasyprint()
    from weasyprint import CSS, HTML

    from .common import resources_dir
    from .html import font_faces

    fonts = resources_dir() / "fonts"
    fetcher = fetcher or RefusingFetcher(set())
    fetcher.allowed |= {f.as_uri() for f in fonts.iterdir()}
    sheets = [CSS(string=font_faces() + PAGE_CSS, url_fetcher=fetcher.fetcher),
              CSS(string=FONT_CSS)]
    try:
        document = HTML(string=body, base_url=None, url_fetcher=fetcher.fetcher)
        # No identifier or dates: the same capture writes the same bytes.
        document.write_pdf(str(out), stylesheets=sheets, pdf_identifier=b"workbench-capture",
                           uncompressed_pdf=False)
    except OSError as exc:
        raise ExportError(f"Cannot write the laid-out capture {out.name}: "
                          f"{exc.strerror or exc}") from None
