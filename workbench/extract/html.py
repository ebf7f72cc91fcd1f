"""Saved web pages: the reading text (trafilatura) plus title, author, site, dates, language.

The reading text is the text layer, so search hits and highlights land on what the user reads;
the original bytes stay the evidentiary copy. trafilatura was chosen over readability-lxml
because, measured here, it decoded a windows-1256 Arabic page without a charset correctly where
readability-lxml produced mojibake, and it also gives author, site name and published date.
It returns nothing over 20 MB and an empty text for pathologically deep markup, so when the
reading view is empty we fall back to all visible text and say so: a capture is never imported
empty in silence. Decoding is ours (declared charset, else detection), so a Windows-1251 or
GB2312 page without a charset declaration still reads right.

Paragraphs end with a blank line, as in the same article saved as TXT: a block element (p, div,
li, h1-h6, tr, blockquote, pre…) ends one, a <br> ends a line (two in a row a paragraph, as a
browser shows them), a table cell ends a line of its row. trafilatura's plain text has no blank
lines at all, so its paragraph ends are found by marking each block of its article tree and
reading the text again (``paragraphed``); only blank lines are ever added to its lines, and
when anything else would differ its text is kept as it was.
"""

from __future__ import annotations

import codecs
import re
from copy import deepcopy
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from ..errors import ExtractionError
from .base import UNREADABLE, Extraction, ExtractOptions
from .text import BOMS, decode_text

INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe")
# Elements a browser lays out as their own block: each starts and ends a line of text.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "option", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
    "ul",
})
# Ends a line, not a paragraph: a line break, a cell of a table's row (the row ends the paragraph).
LINE_ENDS = frozenset({"br", "td", "th", "option"})
# trafilatura's article tree: the elements whose end is a paragraph's (its lb is a <br>).
READING_BLOCKS = ("p", "head", "quote", "item", "row", "list", "table", "code")
# Printable (trafilatura drops control and private-use characters) and never met in a text:
# a page that holds it keeps the reading view's text unmarked.
PARAGRAPH_MARK = "\u2af7\u2e4e\u2af8"
TRAFILATURA_MAX = 20_000_000  # trafilatura gives up above this size anyway
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENC = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)
_WESTERN = {"iso8859-1", "ascii", "cp1252", "latin-1"}


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENC.match(head.lstrip()) or _CHARSET.search(head)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """(html, encoding): BOM, then the declared charset, then detection, as browsers do."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    declared = declared_charset(data)
    if declared:
        # Pages mislabelled Latin-1 that are valid UTF-8 with non-ASCII are UTF-8 in practice.
        if declared in _WESTERN and not data.isascii():
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration is wrong: detect instead
    return decode_text(data)


def _parse(html: str) -> Any:
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=False)
    # lxml refuses str input that carries an XML encoding declaration.
    return lxml.html.fromstring(html.encode("utf-8"), parser=parser) if html.lstrip().startswith(
        "<?xml") else lxml.html.fromstring(html, parser=parser)


def visible_text(html: str) -> str:
    """All text a reader would see: block elements on their own lines, inline ones in the flow.

    A link or an emphasis stays inside its sentence (``said <em>the city</em>.`` reads
    ``said the city.``), as a browser shows it. lxml first (fast); libxml2 stops building the
    tree past its nesting limit, so when that leaves nothing, a streaming parser that keeps no
    tree reads pages of any depth.
    """
    try:
        root = _parse(html)
        etree.strip_elements(root, *INVISIBLE, with_tail=False)
        text = _tree_text(root)
    except (etree.LxmlError, ValueError, RecursionError):
        text = ""
    return text or _streamed_text(html)


class _Lines:
    """Text gathered run by run; a block boundary ends the current paragraph, a line break or
    a table cell the current line."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.runs: list[str] = []
        self.gap = ""  # what goes before the next line: "\n", or "\n\n" after a paragraph

    def add(self, text: str | None) -> None:
        if text:
            self.runs.append(text)

    def _end(self) -> bool:
        line = " ".join("".join(self.runs).split())
        self.runs.clear()
        if not line:
            return False
        if self.parts:
            self.parts.append(self.gap or "\n")
        self.parts.append(line)
        self.gap = "\n"
        return True

    def end_line(self) -> None:
        """A table cell: its own line, however many cells of the row are empty."""
        self._end()

    def line_break(self) -> None:
        """A <br>: ends the line; a second one with nothing between leaves a blank line."""
        if not self._end() and self.parts:
            self.gap = "\n\n"

    def end_paragraph(self) -> None:
        self._end()
        if self.parts:
            self.gap = "\n\n"

    def boundary(self, tag: str | None) -> None:
        """Where element ``tag`` starts or ends (for a <br>: where it stands)."""
        if tag == "br":
            self.line_break()
        elif tag in LINE_ENDS:
            self.end_line()
        elif tag in BLOCKS:
            self.end_paragraph()

    def text(self) -> str:
        self._end()
        return "".join(self.parts)


def _tree_text(root: Any) -> str:
    lines = _Lines()
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if event == "start":
            lines.boundary(tag)
            if tag is not None:
                lines.add(element.text)
        else:
            if tag != "br":  # (one break where it stands, not one at each of its ends)
                lines.boundary(tag)
            if element is not root:
                lines.add(element.tail)
    return lines.text()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.lines = _Lines()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self.hidden += 1
        else:
            self.lines.boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.lines.boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE and self.hidden:
            self.hidden -= 1
        elif tag != "br":  # as the tree: a <br> breaks where it starts
            self.lines.boundary(tag)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines.add(data)


def _streamed_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.lines.text()


def page_metadata(html: str) -> dict[str, Any]:
    """What the page head declares: title, canonical URL, author, site, date, language."""
    meta: dict[str, Any] = {}
    try:
        root = _parse(html)
    except (etree.ParserError, ValueError):
        return meta
    title = root.findtext(".//title")
    if title and title.strip():
        meta["title"] = " ".join(title.split())
    for link in root.iterfind(".//link[@rel='canonical']"):
        if link.get("href"):
            meta["canonical_url"] = link.get("href").strip()
            break
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["language"] = lang.strip()
    for tag in root.iterfind(".//meta"):
        key = (tag.get("name") or tag.get("property") or "").lower()
        value = (tag.get("content") or "").strip()
        field = {"author": "author", "article:author": "author", "og:site_name": "site",
                 "article:published_time": "published", "date": "published",
                 "dc.date": "published", "dc.language": "language"}.get(key)
        if field and value and field not in meta:
            meta[field] = value
    return meta


def bare_extraction(html: str, url: str | None) -> dict[str, Any] | None:
    """trafilatura's findings on the page (its plain ``text``, its article tree ``body``,
    metadata), or None when it finds no article."""
    import trafilatura

    if len(html) > TRAFILATURA_MAX:
        return None
    # No extensive date search: it turns a footer's "Copyright 2022" into a published date.
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def paragraphed(body: Any, text: str) -> str:
    """trafilatura's plain ``text`` with a blank line after each paragraph of its article tree
    ``body``. Each block's end is marked in a copy of the tree and the copy read as text by
    trafilatura again: a line that ends in a mark ends a paragraph. The lines themselves are
    always ``text``'s own; when the marked reading does not have the same lines with the same
    words (a mark in the page itself, a layout the marks changed), ``text`` is kept as it is."""
    from trafilatura.xml import xmltotxt

    if body is None or not text or PARAGRAPH_MARK in text:
        return text
    marked = deepcopy(body)
    for element in marked.iter(*READING_BLOCKS):
        if element.tag != "item" and any(a.tag in ("cell", "item")
                                         for a in element.iterancestors()):
            continue  # laid out inside a line of its table row or list item
        if len(element):
            last = element[-1]
            last.tail = (last.tail or "") + PARAGRAPH_MARK
        elif element.text and element.text.strip():
            element.text += PARAGRAPH_MARK
    words: list[list[str]] = []
    ends: list[bool] = []
    for line in xmltotxt(marked, False).split("\n"):
        bare = line.replace(PARAGRAPH_MARK, "")
        if not bare.strip():  # a line of marks alone: the line before ends a paragraph
            if PARAGRAPH_MARK in line and ends:
                ends[-1] = True
            continue
        words.append(bare.split())
        ends.append(line.rstrip().endswith(PARAGRAPH_MARK))
    lines = text.strip().split("\n")
    if [line.split() for line in lines] != words:
        return text
    return "".join(line + ("\n\n" if end else "\n")
                   for line, end in zip(lines, ends, strict=True)).rstrip("\n")


def reading_view(html: str, url: str | None) -> tuple[str, dict[str, Any]]:
    """trafilatura's article text, in paragraphs, and metadata; ("", {}) when it finds no
    article."""
    data = bare_extraction(html, url)
    if data is None:
        return "", {}
    meta: dict[str, Any] = {}
    for ours, theirs in (("title", "title"), ("author", "author"), ("published", "date"),
                         ("site", "sitename"), ("canonical_url", "url"),
                         ("language", "language"), ("description", "description")):
        if data.get(theirs):
            meta[ours] = data[theirs]
    text = (data.get("text") or "").strip()
    try:
        text = paragraphed(data.get("body"), text)
    except (etree.LxmlError, ValueError, RecursionError):
        pass  # its lines as they are
    return text, meta


def html_extraction(html: str, url: str | None, name: str, version: str) -> Extraction:
    """The reading text of an already decoded page (also used for MHTML and e-mail)."""
    import trafilatura

    problems: list[str] = []
    meta = page_metadata(html)
    try:
        text, found = reading_view(html, url)
    except (RecursionError, ValueError, etree.LxmlError):
        text, found = "", {}
    for key, value in found.items():
        # The page head is authoritative for title and canonical URL; trafilatura's guesses
        # fill what the head does not say.
        if key not in meta or key in ("author", "site", "published"):
            meta[key] = value
    if not text:
        text = visible_text(html)
        if text:
            problems.append("no article found; kept all visible text of the page")
    if not text:
        problems.append("the page has no visible text")
    return Extraction(pages=[text], extractor=name,
                      extractor_version=f"{version}+trafilatura-{trafilatura.__version__}",
                      metadata=meta, problems=problems)


class HtmlExtractor:
    name = "html"
    version = "3"  # 3: paragraphs end with a blank line

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        data = path.read_bytes()
        html, encoding = decode_html(data)
        if not html.strip():
            raise ExtractionError(UNREADABLE, "the page is empty")
        result = html_extraction(html, options.source_url, self.name, self.version)
        result.metadata["encoding"] = encoding
        return result
