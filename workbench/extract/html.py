"""Saved web pages: the reading text (trafilatura) plus title, canonical URL and dates.

trafilatura drops navigation, cookie banners, footers, scripts and styles. When it finds no
article (very large or pathologically deep pages return nothing), we fall back to all visible
text, so a web capture is never imported empty without saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from ..errors import ExtractionError
from .base import UNREADABLE, Extraction, ExtractOptions
from .text import decode_text

INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe")


def visible_text(html: str) -> str:
    """All text a reader would see, block elements on their own lines."""
    parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=False)
    root = lxml.html.fromstring(html, parser=parser)
    etree.strip_elements(root, *INVISIBLE, with_tail=False)
    lines = [" ".join(t.split()) for t in root.itertext()]
    return "\n".join(line for line in lines if line)


def page_metadata(html: str) -> dict[str, Any]:
    """Title and canonical URL straight from the page head (used when trafilatura gives none)."""
    meta: dict[str, Any] = {}
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return meta
    title = root.findtext(".//title")
    if title and title.strip():
        meta["title"] = " ".join(title.split())
    for link in root.iterfind(".//link[@rel='canonical']"):
        if link.get("href"):
            meta["canonical_url"] = link.get("href")
            break
    return meta


class HtmlExtractor:
    name = "html"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        data = path.read_bytes()
        html, encoding = decode_text(data)
        if not html.strip():
            raise ExtractionError(UNREADABLE, "the page is empty")
        problems: list[str] = []
        meta = page_metadata(html)
        doc = trafilatura.bare_extraction(
            data, url=options.source_url, with_metadata=True, include_comments=False,
            include_tables=True, as_dict=True,
        )
        text = ""
        if isinstance(doc, dict):
            text = (doc.get("text") or "").strip()
            for ours, theirs in (("title", "title"), ("author", "author"),
                                 ("published", "date"), ("site", "sitename"),
                                 ("canonical_url", "url"), ("language", "language"),
                                 ("description", "description")):
                if doc.get(theirs) and not meta.get(ours):
                    meta[ours] = doc[theirs]
        if not text:
            text = visible_text(html)
            if text:
                problems.append("no article found; kept all visible text of the page")
        meta["encoding"] = encoding
        if not text:
            problems.append("the page has no visible text")
        return Extraction(
            pages=[text],
            extractor=self.name,
            extractor_version=f"{self.version}+trafilatura-{trafilatura.__version__}",
            metadata=meta,
            problems=problems,
        )
