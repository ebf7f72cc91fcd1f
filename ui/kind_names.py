"""What the window calls each kind of document: one name per kind, the same everywhere.

The core stores a kind as a short code (``pdf``, ``html``, ``email``: the import's formats,
``workbench/extract/formats.py``), and search's ``kind:`` filter, its kind facet and the
list's sort and filter work on that code. A person reads a name instead, and reads the same
one in the document list's Kind column, under the viewer's title, in a search hit and the
kind filter, in the import plan, beside a copy and in an entity's mentions: the window wrote
"EMAIL" in one place and "e-mail" in another. Each code has its own name (two codes with one
name would show the kind filter one entry twice), and a code not known here shows in capitals,
as the window showed every kind before.
"""

from __future__ import annotations

# Code -> name as it reads inside a sentence ("This e-mail is shown…"); ``kind_name`` gives it
# a capital where it stands alone (a column, a filter, the head of a line).
PHRASES = {
    "pdf": "PDF",
    "html": "web page",
    "mhtml": "MHTML page",
    "warc": "WARC archive",
    "wacz": "WACZ archive",
    "email": "e-mail",
    "mbox": "mailbox",
    "docx": "Word document",
    "odt": "ODT document",
    "image": "image",
    "text": "text",
    "markdown": "Markdown",
}


def kind_phrase(code: str | None) -> str:
    """The kind's name inside a sentence: "e-mail", "web page", "PDF"."""
    code = (code or "").strip()
    return PHRASES.get(code.lower(), code.upper())


def kind_name(code: str | None) -> str:
    """The kind's name standing alone: "E-mail", "Web page", "PDF"; "" for none."""
    phrase = kind_phrase(code)
    return phrase[:1].upper() + phrase[1:]


def kinds_named(text: str) -> list[str]:
    """The codes whose name holds ``text`` (any case): what the document list's filter
    passes the core (``or_kinds``) so that "web page" finds the web pages the Kind column
    names so; their codes, typed as before, the core finds itself."""
    needle = text.strip().casefold()
    return sorted(code for code in PHRASES if needle and needle in kind_name(code).casefold())
