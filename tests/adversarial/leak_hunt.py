"""The redaction leak hunt (issue 12) as a script: plant a name, redact it, export, read back.

For every plan (one hiding place, one term, one spelling of it) the hunt builds one dossier in
a fresh library: an anchor note naming the term as written (so the redaction is accepted and
the exports have something to hide), a clean cited excerpt, and the spelled name in exactly one
hiding place — a document's text (.txt in UTF-8 or a legacy encoding, .pdf, .html, .eml), an
HTML original's <nav>, comments or <head> (in GBK/GB18030, UTF-16 or UTF-8), a PDF's metadata,
a .docx's header and core properties (zip parts), an e-mail's base64 HTML alternative, body
or subject, a highlight's context (prefix/suffix), note or tag, a source URL, a file
name, a document's title/author/site, or the dossier's title, description, author,
organisation, case, section titles, commentary or notes; or an excerpt shown as its source's
own pages (a PDF's, or an HTML capture laid out as pages: a facsimile, issue 13). It redacts
the term, exports every format (pdf, docx, html, bundle as a zip), and reads each output back
by its own means: pdftotext (normal and ``-raw``), pypdf page text, metadata, every object
and every decoded stream, raw bytes as Latin-1, UTF-8, UTF-16 (LE and BE, both alignments)
and GB18030, every zip member recursively, MIME parts of e-mails, JSON strings, OCR
(pytesseract) of every PDF page that draws an image and of every image file or member, and
each of those as is, entity-decoded, percent-decoded and without markup. A reading leaks when
``tests.support.leak_variants.reader_key`` (not ``workbench.redact``) finds the term in it,
or when it holds a hex digest of a string that contains the name (an oracle for guesses).

An export that is refused counts as safe only when its message is one a user can act on:
a ``RedactionLeak`` that says "please report this as a bug" means the redaction missed the
name and only the safety net caught it, and is listed under ``unhelpful_refusals``.

    .venv/bin/python tests/adversarial/leak_hunt.py --jobs 2   # the full hunt (~20 min)
    .venv/bin/python tests/adversarial/leak_hunt.py --quick    # the issue's twelve leaks
    .venv/bin/python tests/adversarial/leak_hunt.py --place file_name --term Ekpar -v
    .venv/bin/python tests/adversarial/leak_hunt.py --control  # unredacted: no blind spots

The full hunt: 31 places x 109 spellings of 5 terms (every variant of each term, a few
compositions) over 817 dossiers: every spelling in the excerpt of a .txt and a .pdf and in a
commentary, the exact form and four in rotation in seven more places (two of them facsimiles),
the exact form and two elsewhere; times 4 formats (3268 exports).

Prints one JSON object (``dossiers``, ``places``, ``variants``, ``formats``, ``exports``,
``refused``, ``decodings``, ``leaks``, ``known_limits`` ...) and exits 1 if anything leaked
(outside the matcher's documented limits, listed apart under ``known_limits``), was refused
unhelpfully, or failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import hashlib
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make ``tests`` and ``workbench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.leak_variants import (
    ARABIC,
    EXTRA_TERMS,
    ISSUE_TERMS,
    Name,
    apply_variants,
    decoded_forms,
    needles,
    reader_key,
    spell,
    variants_for,
)

REASON = "witness identity"
FORMATS = ("pdf", "docx", "html", "bundle")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BUG = "report this as a bug"
# Words by which a refusal names where the redacted text was (a message a user can act on).
PLACE_WORDS = ("file name", "title", "url", "note", "commentary", "section", "page",
               "original", "excerpt", "author", "site", "tag", "metadata", "part", "source",
               "annotation", "description", "organisation", "case", "field", "document")
START, END = "Witness statement:", "end of statement."
CLEAN_QUOTE = "The quoted passage itself stays clean here"
FILLER = ("The committee met on Tuesday to review the annual budget and staffing levels.")


# --- plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One dossier: ``spelled`` (a spelling of ``term``) hidden in ``place``."""

    place: str
    term: str
    variant: str
    spelled: str

    @property
    def name(self) -> Name:
        for n in ISSUE_TERMS + EXTRA_TERMS:
            if n.text == self.term:
                return n
        raise KeyError(self.term)


@dataclass
class Place:
    id: str
    what: str
    files: Callable[[Plan, Path, int], list[FileSpec]]
    build: Callable[[Ctx, Plan, dict[str, int]], tuple[int, list[str]]]
    accepts: Callable[[str], bool] = lambda s: True


@dataclass
class FileSpec:
    key: str
    path: Path
    url: str | None = None


@dataclass
class Ctx:
    wb: Any
    n: int
    redact: bool = True  # False: the control run (no anchor note, no redaction)

    def dossier(self, title: str | None = None, **kw: Any) -> int:
        return int(self.wb.create_dossier(title or f"Dossier {self.n}", **kw).dossier_ids[0])

    def clean_highlight(self, doc: int, **kw: Any) -> int:
        return int(self.wb.add_highlight(doc, quote=CLEAN_QUOTE, **kw).highlight_ids[0])

    def marked_highlight(self, doc: int) -> int:
        """A highlight from START to END in the document's extracted text."""
        text = self.wb.document_text(doc).text
        first = re.search(_spaced(START), text)
        last = re.search(_spaced(END), text[first.end():]) if first else None
        if first is None or last is None:
            raise Setup(f"markers not found in the extracted text: {text[:300]!r}")
        end = first.end() + last.end()
        return int(self.wb.add_highlight(doc, start=first.start(), end=end).highlight_ids[0])

    def finish(self, d: int, plan: Plan, *items: dict[str, Any], by_person: bool = False) -> int:
        """Add the items, the anchor note and the rule: a term rule, or (``by_person``) a
        rule naming a person of whom the term is one alias (issue 18)."""
        for kw in items:
            self.wb.add_item(d, **kw)
        if self.redact:
            self.wb.add_item(d, note=f"Interview notes: {plan.term}.")
            if by_person:
                person = self.wb.add_entity("person", f"Witness {self.n}",
                                            aliases=[plan.term]).entity_ids[0]
                self.wb.redact_entity(d, person, REASON)
            else:
                self.wb.redact_term(d, plan.term, REASON)
        return d


def _spaced(words: str) -> str:
    """A pattern for ``words`` with any whitespace between them (PDF text doubles spaces)."""
    return r"\s+".join(re.escape(w) for w in words.split())


class Setup(Exception):
    """The plan could not be built (not a leak; reported under ``errors``)."""


def clean_text(n: int) -> str:
    return (f"Clean source number {n}.\n\n{FILLER}\n\n{CLEAN_QUOTE}, so it says.\n\n"
            "Nothing else of note was recorded that day.\n")


def planted_text(n: int, spelled: str) -> str:
    return (f"Source number {n}.\n\n{FILLER}\n\n{START} {spelled} described the camp in "
            f"detail, {END}\n\n{CLEAN_QUOTE}, so it says.\n")


def _clean_file(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"clean-{n}.txt"
    p.write_text(clean_text(n), encoding="utf-8")
    return [FileSpec("clean", p)]


def _no_newline(s: str) -> bool:
    return "\n" not in s and "\r" not in s


def _file_name_ok(s: str) -> bool:
    return _no_newline(s) and "/" not in s and "\0" not in s and len(s.encode()) < 180


# --- document files ---------------------------------------------------------------------------


def make_pdf(path: Path, paragraphs: list[str], *, title: str | None = None,
             author: str | None = None) -> Path:
    """A text PDF (fpdf2) with DejaVu and a CJK fallback font, so every script has glyphs."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2022, 9, 1, tzinfo=dt.UTC))
    pdf.add_font("dejavu", "", str(DEJAVU))
    if CJK_FONT.exists():
        pdf.add_font("cjk", "", str(CJK_FONT), collection_font_number=2)
        pdf.set_fallback_fonts(["cjk"])
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("dejavu", size=11)
    for para in paragraphs:
        pdf.multi_cell(0, 6, para)
        pdf.ln(3)
    pdf.output(str(path))
    return path


def html_page(title: str, body: str, *, nav: str = "Home News", comment: str = "",
              head: str = "", charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}</title>{head}</head>
<body>
<!-- {comment} -->
<nav class="menu"><a href="/">Home</a> <a href="/news">{nav}</a></nav>
<main><article><h1>{title}</h1>
{''.join(f'<p>{p}</p>' for p in body.split(chr(10) + chr(10)) if p.strip())}
</article></main>
<footer>Copyright 2022.</footer>
</body></html>"""


def _encodable(s: str, enc: str) -> bool:
    try:
        s.encode(enc)
        return True
    except UnicodeEncodeError:
        return False


def _eml(subject: str, plain: str, html_part: str | None, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "Alice Martin <alice@example.org>", "Bob Chen <bob@example.org>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime(2022, 9, 6, 10, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<hunt-{n}@example.org>"
    msg.set_content(plain, cte="quoted-printable")
    if html_part is not None:
        msg.add_alternative(html_part, subtype="html", cte="base64")
    return msg.as_bytes()


def _files_txt(encoding: str) -> Callable[[Plan, Path, int], list[FileSpec]]:
    def files(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
        p = folder / f"source-{n}.txt"
        text = planted_text(n, plan.spelled)
        enc = encoding
        if enc == "legacy":
            enc = "gb18030" if plan.name.script != ARABIC else "utf-16"
        p.write_bytes(text.encode(enc))
        return [*_clean_file(plan, folder, n), FileSpec("doc", p)]
    return files


def _files_context(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"source-{n}.txt"
    p.write_text(f"Source number {n}.\n\n{FILLER}\n\nAsked about {plan.spelled}: {CLEAN_QUOTE} "
                 f"{plan.spelled} said so.\n\nNothing else of note was recorded.\n",
                 encoding="utf-8")
    return [FileSpec("doc", p)]


def _files_pdf(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = make_pdf(folder / f"source-{n}.pdf",
                 [f"Source number {n}.", FILLER,
                  f"{START} {plan.spelled} described the camp in detail, {END}",
                  f"{CLEAN_QUOTE}, so it says."])
    return [FileSpec("doc", p)]


def _files_pdf_meta(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = make_pdf(folder / f"source-{n}.pdf", [f"Source number {n}.", FILLER,
                                              f"{CLEAN_QUOTE}, so it says."],
                 title=f"Interview with {plan.spelled}", author=plan.spelled)
    return [FileSpec("doc", p)]


def _files_html_body(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"source-{n}.html"
    p.write_text(html_page(f"Report {n}", planted_text(n, plan.spelled)), encoding="utf-8")
    return [FileSpec("doc", p)]


def _files_html_hidden(encoding: str) -> Callable[[Plan, Path, int], list[FileSpec]]:
    """The name only where the text layer does not look: <nav>, a comment, <head>."""
    def files(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
        enc = encoding
        if enc == "gbk" and not _encodable(plan.spelled, "gbk"):
            enc = "gb18030"
        s = plan.spelled
        head = (f'<meta name="description" content="Interview with {s}">'
                f'<meta name="keywords" content="{s}, camp">'
                f'<script>var witness = "{s}";</script>') if encoding == "utf-8" else ""
        page = html_page(f"Report {n}", clean_text(n), nav=f"News about {s}",
                         comment=f"source: {s}", head=head,
                         charset="utf-16" if enc == "utf-16" else enc)
        p = folder / f"source-{n}.html"
        p.write_bytes(page.encode(enc))
        return [FileSpec("doc", p)]
    return files


def _files_eml_html(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    html_part = html_page(f"Report {n}", planted_text(n, plan.spelled))
    p = folder / f"message-{n}.eml"
    p.write_bytes(_eml(f"Report {n}", clean_text(n), html_part, n))
    return [FileSpec("doc", p)]


def _files_eml_subject(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"message-{n}.eml"
    p.write_bytes(_eml(f"Statement of {plan.spelled}", clean_text(n), None, n))
    return [FileSpec("doc", p)]


def _files_eml_body(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"message-{n}.eml"
    p.write_bytes(_eml(f"Report {n}", planted_text(n, plan.spelled), None, n))
    return [FileSpec("doc", p)]


def _files_docx(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    """A .docx (a zip) whose body is clean; the name is in a header and core properties."""
    import docx

    d = docx.Document()
    for para in clean_text(n).split("\n\n"):
        d.add_paragraph(para.strip())
    d.sections[0].header.paragraphs[0].text = f"Interview with {plan.spelled}"
    props = d.core_properties
    props.subject, props.keywords = plan.spelled, f"{plan.spelled}, camp"
    props.comments = f"Source: {plan.spelled}"
    props.created = dt.datetime(2022, 9, 1)
    p = folder / f"source-{n}.docx"
    d.save(str(p))
    return [FileSpec("doc", p)]


def _files_url(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    p = folder / f"clean-{n}.txt"
    p.write_text(clean_text(n), encoding="utf-8")
    seg = quote(plan.spelled, safe="%")
    url = f"https://news.example.org/2022/{seg}/interview-{n}?who={seg}"
    return [FileSpec("clean", p, url)]


def _files_name(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
    sub = folder / f"named-{n}"
    sub.mkdir()
    p = sub / f"{plan.spelled}_meta.txt"
    p.write_text(clean_text(n), encoding="utf-8")
    return [FileSpec("clean", p)]


# --- builders ---------------------------------------------------------------------------------


def _excerpt(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    d = ctx.dossier()
    h = ctx.marked_highlight(docs["doc"])
    quote_ = ctx.wb.get_highlight(h)["quote"]
    return ctx.finish(d, plan, {"highlight": h}), [quote_]


def _excerpt_and_clean(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    d = ctx.dossier()
    h = ctx.marked_highlight(docs["doc"])
    c = ctx.clean_highlight(docs["clean"])
    quote_ = ctx.wb.get_highlight(h)["quote"]
    return ctx.finish(d, plan, {"highlight": c}, {"highlight": h}), [quote_]


def _excerpt_facsimile(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    """The marked excerpt shown as its source's own pages (issue 13): the name is on a page
    that must be burnt in, and in the excerpt above it."""
    d = ctx.dossier()
    h = ctx.marked_highlight(docs["doc"])
    c = ctx.clean_highlight(docs["clean"])
    quote_ = ctx.wb.get_highlight(h)["quote"]
    return ctx.finish(d, plan, {"highlight": c},
                      {"highlight": h, "facsimile": True}), [quote_]


def _excerpt_by_person(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    """The marked excerpt, redacted by a rule naming a person (the term is one alias)."""
    d = ctx.dossier()
    h = ctx.marked_highlight(docs["doc"])
    c = ctx.clean_highlight(docs["clean"])
    quote_ = ctx.wb.get_highlight(h)["quote"]
    return ctx.finish(d, plan, {"highlight": c}, {"highlight": h}, by_person=True), [quote_]


def _event_statement(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    """A chronology section whose event statement names the term (issue 18)."""
    d = ctx.dossier()
    h = ctx.clean_highlight(docs["clean"])
    statement = f"{plan.spelled} was moved to the camp"
    ctx.wb.add_event(statement, "March 2018", highlights=[h])
    ctx.wb.add_chronology_section(d)
    return ctx.finish(d, plan, {"highlight": h}), [statement]


def _corroborating_quote(ctx: Ctx, plan: Plan, docs: dict[str, int]
                         ) -> tuple[int, list[str]]:
    """The marked excerpt only as a source corroborating a clean exhibit (issue 18)."""
    d = ctx.dossier()
    h = ctx.marked_highlight(docs["doc"])
    c = ctx.clean_highlight(docs["clean"])
    ctx.wb.link_highlights(c, h, "corroborates")
    quote_ = ctx.wb.get_highlight(h)["quote"]
    return ctx.finish(d, plan, {"highlight": c}), [quote_]


def _whole(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    d = ctx.dossier()
    c = ctx.clean_highlight(docs["clean"])
    return ctx.finish(d, plan, {"highlight": c}, {"document": docs["doc"]}), []


def _clean_of(key: str) -> Callable[[Ctx, Plan, dict[str, int]], tuple[int, list[str]]]:
    """An excerpt of a document whose text is clean (the name is in its file or metadata)."""
    def build(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
        d = ctx.dossier()
        return ctx.finish(d, plan, {"highlight": ctx.clean_highlight(docs[key])}), []
    return build


def _doc_field(fld: str) -> Callable[[Ctx, Plan, dict[str, int]], tuple[int, list[str]]]:
    def build(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
        value = {"title": f"Interview with {plan.spelled}", "author": plan.spelled,
                 "site": f"{plan.spelled} Daily"}[fld]
        ctx.wb.edit_document(docs["clean"], **{fld: value})
        d = ctx.dossier()
        return ctx.finish(d, plan, {"highlight": ctx.clean_highlight(docs["clean"])}), [value]
    return build


def _highlight_note(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    note = f"Spoke with {plan.spelled} after the hearing."
    d = ctx.dossier()
    h = ctx.clean_highlight(docs["clean"], note=note)
    return ctx.finish(d, plan, {"highlight": h}), [note]


def _highlight_tag(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
    tag = f"People/{plan.spelled}"
    d = ctx.dossier()
    h = ctx.clean_highlight(docs["clean"], tags=[tag])
    return ctx.finish(d, plan, {"highlight": h}), [tag, plan.spelled]


def _item_field(fld: str) -> Callable[[Ctx, Plan, dict[str, int]], tuple[int, list[str]]]:
    def build(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
        d = ctx.dossier()
        h = ctx.clean_highlight(docs["clean"])
        if fld == "commentary":
            value = f"Confirmed by {plan.spelled} in a second interview."
            return ctx.finish(d, plan, {"highlight": h, "commentary": value}), [value]
        if fld == "note":
            value = f"Call with {plan.spelled} on Monday."
            return ctx.finish(d, plan, {"highlight": h}, {"note": value}), [value]
        value = f"Testimony of {plan.spelled}"
        return ctx.finish(d, plan, {"highlight": h, "section": value}), [value]
    return build


def _dossier_field(fld: str) -> Callable[[Ctx, Plan, dict[str, int]], tuple[int, list[str]]]:
    def build(ctx: Ctx, plan: Plan, docs: dict[str, int]) -> tuple[int, list[str]]:
        value = {"title": f"Case file {plan.spelled}",
                 "description": f"Excerpts about {plan.spelled} and the camp.",
                 "author": plan.spelled, "organisation": f"{plan.spelled} Foundation",
                 "case": f"Case {plan.spelled}"}[fld]
        d = ctx.dossier(value) if fld == "title" else ctx.dossier(None, **{fld: value})
        return ctx.finish(d, plan, {"highlight": ctx.clean_highlight(docs["clean"])}), [value]
    return build


def _with_clean(files: Callable[[Plan, Path, int], list[FileSpec]]
                ) -> Callable[[Plan, Path, int], list[FileSpec]]:
    def both(plan: Plan, folder: Path, n: int) -> list[FileSpec]:
        return [*_clean_file(plan, folder, n), *files(plan, folder, n)]
    return both


PLACES: dict[str, Place] = {p.id: p for p in (
    Place("txt_excerpt", "excerpt of a UTF-8 .txt", _files_txt("utf-8"), _excerpt_and_clean),
    Place("txt_legacy_encoding", "excerpt of a .txt in GB18030 or UTF-16",
          _files_txt("legacy"), _excerpt_and_clean),
    Place("txt_context", "32-char context around a clean excerpt (annotations prefix/suffix)",
          _files_context, _clean_of("doc")),
    Place("txt_whole_document", "whole-document item of a .txt", _files_txt("utf-8"), _whole),
    Place("pdf_excerpt", "excerpt of a PDF's text", _with_clean(_files_pdf), _excerpt_and_clean),
    Place("pdf_facsimile", "excerpt of a PDF shown as its own pages (facsimile, burnt in)",
          _with_clean(_files_pdf), _excerpt_facsimile),
    Place("html_facsimile", "excerpt of an HTML article shown as its capture laid out as pages",
          _with_clean(_files_html_body), _excerpt_facsimile),
    Place("pdf_metadata", "PDF /Title and /Author (document title, author)", _files_pdf_meta,
          _clean_of("doc"), _no_newline),
    Place("html_body", "excerpt of an HTML article", _with_clean(_files_html_body),
          _excerpt_and_clean),
    Place("html_nav_gbk", "HTML original in GBK/GB18030: only <nav> and a comment",
          _files_html_hidden("gbk"), _clean_of("doc"), _no_newline),
    Place("html_nav_utf16", "HTML original in UTF-16: only <nav> and a comment",
          _files_html_hidden("utf-16"), _clean_of("doc"), _no_newline),
    Place("html_head", "HTML original in UTF-8: <head> meta, <script>, <nav>, comment",
          _files_html_hidden("utf-8"), _clean_of("doc"), _no_newline),
    Place("docx_header_properties", "a .docx original: header and core properties (zip parts)",
          _files_docx, _clean_of("doc"), _no_newline),
    Place("eml_html_part", "e-mail: only the base64 text/html alternative",
          _files_eml_html, _clean_of("doc")),
    Place("eml_subject", "e-mail subject (document title)", _files_eml_subject,
          _clean_of("doc"), _no_newline),
    Place("eml_body", "excerpt of an e-mail's quoted-printable body",
          _with_clean(_files_eml_body), _excerpt_and_clean),
    Place("source_url", "source URL of the document (path and query)", _files_url,
          _clean_of("clean"), _no_newline),
    Place("file_name", "original file name", _files_name, _clean_of("clean"), _file_name_ok),
    Place("doc_title", "document title", _clean_file, _doc_field("title")),
    Place("doc_author", "document author", _clean_file, _doc_field("author")),
    Place("doc_site", "document site", _clean_file, _doc_field("site")),
    Place("highlight_note", "highlight note (annotations body)", _clean_file, _highlight_note),
    Place("highlight_tag", "highlight tag (annotations tagging body)", _clean_file,
          _highlight_tag, lambda s: _no_newline(s) and "/" not in s),
    Place("commentary", "item commentary", _clean_file, _item_field("commentary")),
    Place("note", "note item", _clean_file, _item_field("note")),
    Place("section_title", "section title", _clean_file, _item_field("section"),
          _no_newline),
    Place("dossier_title", "dossier title", _clean_file, _dossier_field("title")),
    Place("dossier_description", "dossier description", _clean_file,
          _dossier_field("description")),
    Place("dossier_author", "dossier author", _clean_file, _dossier_field("author")),
    Place("dossier_organisation", "dossier organisation", _clean_file,
          _dossier_field("organisation")),
    Place("case_name", "case (collection) name", _clean_file, _dossier_field("case"),
          _no_newline),
    Place("pdf_excerpt_by_person", "excerpt of a PDF, redacted by a person rule (an alias)",
          _with_clean(_files_pdf), _excerpt_by_person),
    Place("event_statement", "a chronology section's event statement", _clean_file,
          _event_statement),
    Place("corroborating_quote", "a quote listed only as corroborating an exhibit",
          _with_clean(_files_txt("utf-8")), _corroborating_quote),
)}

# Where every applicable variant is tried; in SECONDARY_PLACES the exact form and four in
# rotation, elsewhere the exact form and two (the rotation covers every variant of each term).
CORE_PLACES = ("txt_excerpt", "pdf_excerpt", "commentary")
SECONDARY_PLACES = ("txt_context", "html_nav_gbk", "eml_html_part", "source_url", "file_name",
                    "pdf_facsimile", "html_facsimile")
HUNT_TERMS = (*ISSUE_TERMS, EXTRA_TERMS[0])  # the issue's four and بشير (Arabic yeh)

# The issue's twelve leaks, one plan each (spellings as reported).
QUICK = (
    Plan("html_nav_gbk", "艾克帕尔", "exact", "艾克帕尔"),                 # L1
    Plan("html_nav_utf16", "Ekpar", "exact", "Ekpar"),                     # L2
    Plan("eml_html_part", "Ekpar", "exact", "Ekpar"),                      # L3
    Plan("txt_excerpt", "ئەكپەر", "tatweel-one", "ئەكـپەر"),                # L4
    Plan("txt_excerpt", "艾克帕尔", "cjk-gap-all", "艾 克 帕 尔"),          # L5
    Plan("txt_excerpt", "艾克帕尔", "cjk-gap-one", "艾克\n帕尔"),           # L6 (.txt)
    Plan("pdf_excerpt", "艾克帕尔", "cjk-gap-one", "艾克\n帕尔"),           # L6 (.pdf)
    Plan("txt_context", "艾克帕尔", "cjk-gap-all", "艾 克 帕 尔"),          # L7
    Plan("pdf_excerpt", "Ekpar", "hyphen-break", "Ek-\npar"),              # L8
    Plan("source_url", "Ekpar Asat", "word-separator", "Ekpar%20Asat"),    # L9
    Plan("file_name", "Ekpar Asat", "word-separator", "Ekpar_Asat"),       # L10
    Plan("txt_excerpt", "Ekpar", "exact", "Ekpar"),                        # L11 (quote hash)
    Plan("commentary", "Ekpar", "cyrillic-one", "Еkpar"),                  # L12
)


def all_plans() -> list[Plan]:
    plans: list[Plan] = []
    for ti, term in enumerate(HUNT_TERMS):
        spellings = [("exact", term.text)] + [
            (v.id, spell(term, v.id, seed=ti)) for v in variants_for(term, encoded=None)]
        rng = random.Random(f"composed:{term.text}")
        for k in range(3):  # and a few compositions of three variants
            pool = variants_for(term, encoded=False)
            chosen = rng.sample(pool, 3)
            if k == 2:
                chosen.append(rng.choice(variants_for(term, encoded=True)))
            spellings.append(("+".join(v.id for v in chosen),
                              apply_variants(term, chosen, rng)))
        seen: set[str] = set()
        spellings = [(vid, s) for vid, s in spellings if not (s in seen or seen.add(s))]
        for pi, (pid, place) in enumerate(PLACES.items()):
            ok = [(vid, s) for vid, s in spellings if place.accepts(s)]
            if pid not in CORE_PLACES:
                rest = ok[1:]
                many = 4 if pid in SECONDARY_PLACES else 2
                k = (pi * 3 + ti) % max(len(rest), 1)
                ok = ok[:1] + [rest[(k + j) % len(rest)] for j in range(min(many, len(rest)))]
            plans += [Plan(pid, term.text, vid, s) for vid, s in ok]
    return plans


# --- reading exports back -----------------------------------------------------------------


def _pdf_readings(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )

    exe = shutil.which("pdftotext")
    if exe:
        for flags in ([], ["-raw"]):
            out = subprocess.run([exe, "-q", *flags, "-enc", "UTF-8", "-", "-"], input=data,
                                 capture_output=True, check=False).stdout
            yield f"{where}: pdftotext {' '.join(flags)}".rstrip(), out.decode("utf-8",
                                                                               "replace")
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:  # a broken PDF is still read as bytes below
        yield f"{where}: pypdf failed ({exc})", ""
        return
    for i, page in enumerate(reader.pages, 1):
        try:
            yield f"{where}: pypdf page {i} text", page.extract_text() or ""
        except Exception:
            pass
    yield f"{where}: pypdf metadata", "\n".join(f"{k} {v}" for k, v in
                                                (reader.metadata or {}).items())
    strings: list[str] = []
    streams: list[bytes] = []
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = obj.get_object()
            except Exception:
                continue
        if isinstance(obj, StreamObject):
            try:
                streams.append(obj.get_data())
            except Exception:
                pass
        if isinstance(obj, DictionaryObject):
            for k, v in obj.items():
                strings.append(str(k))
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject | NameObject):
            strings.append(str(obj))
        elif isinstance(obj, ByteStringObject):
            raw = bytes(obj)
            strings += [raw.decode("latin-1"), raw.decode("utf-16-be", "ignore")]
    yield f"{where}: every PDF object (pypdf)", "\n".join(strings)
    for i, s in enumerate(streams):
        for enc in ("latin-1", "utf-8", "utf-16-be"):
            yield f"{where}: PDF stream {i} as {enc}", s.decode(enc, "ignore")


# What a page image shows is read by Tesseract (pytesseract, not Workbench's OCR code), in
# English plus the script of the term being hunted (``scan`` sets it): a facsimile page is
# rasterised with its boxes burnt in, and a name the boxes missed is only in its pixels.
_IMAGE_NAME = re.compile(r"\.(png|jpe?g|gif|tiff?|bmp|webp)$", re.IGNORECASE)
_OCR = {"lang": "eng"}
OCR_DPI = 200


def _ocr_language(term: str) -> str:
    if re.search("[\u3400-\u9fff]", term):
        return "eng+chi_sim"
    if re.search("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", term):
        return "eng+uig+ara"
    return "eng"


def _ocr(image: Any) -> str:
    import pytesseract

    try:
        return str(pytesseract.image_to_string(image, lang=_OCR["lang"], timeout=120))
    except (RuntimeError, pytesseract.TesseractError) as exc:
        return f"(OCR failed: {exc})"


def _pdf_image_readings(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    """OCR of every page that draws an image (a burnt-in facsimile page, a photo)."""
    if not shutil.which("tesseract"):
        return
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    try:
        doc = pdfium.PdfDocument(data)
    except Exception:
        return
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                if not any(obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE
                           for obj in page.get_objects()):
                    continue
                image = page.render(scale=OCR_DPI / 72).to_pil()
            finally:
                page.close()
            yield f"{where}: page {i + 1} image (OCR {_OCR['lang']})", _ocr(image)
    finally:
        doc.close()


def _image_readings(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    if not shutil.which("tesseract"):
        return
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:
        return
    yield f"{where}: image (OCR {_OCR['lang']})", _ocr(image)


def _mime_readings(data: bytes, where: str, depth: int) -> Iterator[tuple[str, str]]:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for i, part in enumerate(msg.walk()):
        for k, v in part.items():
            yield f"{where}: MIME part {i} header {k}", str(v)
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        fname = part.get_filename() or f"part-{i}"
        yield from readings(f"{where}/MIME part {i} ({part.get_content_type()})",
                            fname, payload, depth + 1)
        if part.get_content_maintype() == "text":
            try:
                yield f"{where}: MIME part {i} text", str(part.get_content())
            except Exception:
                pass


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def readings(where: str, name: str, data: bytes, depth: int = 0
             ) -> Iterator[tuple[str, str]]:
    """Every reading of one file (its name included) as (where, text)."""
    yield f"{where}: file name", name
    lower = name.lower()
    if data[:2] == b"PK" and depth < 5:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    member = zf.read(info) if not info.is_dir() else b""
                    yield from readings(f"{where}/{info.filename}", info.filename, member,
                                        depth + 1)
        except zipfile.BadZipFile:
            pass
    if data[:5] == b"%PDF-" or lower.endswith(".pdf"):
        yield from _pdf_readings(data, where)
        yield from _pdf_image_readings(data, where)
    elif _IMAGE_NAME.search(lower):
        yield from _image_readings(data, where)
    if (lower.endswith((".eml", ".mht", ".mhtml")) or data[:200].lower().find(b"mime-version")
            >= 0) and depth < 5:
        yield from _mime_readings(data, where, depth)
    texts = {}
    for enc in ("utf-8", "latin-1", "gb18030", "utf-16-le", "utf-16-be"):
        texts[enc] = data.decode(enc, "ignore")
    for enc in ("utf-16-le", "utf-16-be"):
        texts[enc + " (odd)"] = data[1:].decode(enc, "ignore")
    for enc, text in texts.items():
        yield f"{where}: bytes as {enc}", text
    if lower.endswith((".json", ".jsonld")):
        try:
            value = json.loads(texts["utf-8"])
        except ValueError:
            value = None
        if value is not None:
            yield f"{where}: JSON strings", "\n".join(_json_strings(value))


def output_readings(path: Path) -> Iterator[tuple[str, str]]:
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = f.relative_to(path).as_posix()
            yield from readings(rel, f.name, f.read_bytes())
    else:
        yield from readings(path.name, path.name, path.read_bytes())


def digests(strings: list[str]) -> dict[str, str]:
    out = {}
    for s in strings:
        for form in {s, s.strip()}:
            for algo in ("sha256", "sha1", "md5"):
                out[hashlib.new(algo, form.encode("utf-8")).hexdigest()] = f"{algo} of {form!r}"
    return out


@dataclass
class Scan:
    decodings: int = 0
    found: list[dict[str, Any]] = field(default_factory=list)


def scan(path: Path, term: str, secrets: list[str]) -> Scan:
    """Every place in the output at ``path`` where ``term`` (or a digest of a secret) reads."""
    wanted = needles(term)
    _OCR["lang"] = _ocr_language(term)
    oracles = digests([s for s in secrets if s])
    result = Scan()
    seen: set[str] = set()
    for where, text in output_readings(path):
        if not text:
            continue
        lowered = text.lower()
        for hexdigest, what in oracles.items():
            if hexdigest in lowered:
                result.found.append({"where": where, "how": f"digest ({what})"})
        for form in decoded_forms(text):
            result.decodings += 1
            k = reader_key(form)
            for n in wanted:
                at = k.find(n)
                if at >= 0 and where not in seen:
                    seen.add(where)
                    result.found.append({"where": where, "how": "readable",
                                         "context": k[max(0, at - 30):at + len(n) + 30]})
    return result


# --- running ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    plan: Plan
    dossier: int | None = None
    exports: int = 0
    written: int = 0
    decodings: int = 0
    leaks: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _plan_dict(plan: Plan) -> dict[str, Any]:
    return {"place": plan.place, "term": plan.term, "variant": plan.variant,
            "spelled": plan.spelled, "spelled_repr": ascii(plan.spelled)}


def helpful(message: str) -> bool:
    low = message.lower()
    return BUG not in low and any(w in low for w in PLACE_WORDS)


def run_plans(plans: list[Plan], workdir: Path, formats: tuple[str, ...] = FORMATS,
              log: Callable[[str], None] | None = None, redact: bool = True
              ) -> list[Outcome]:
    """Build one library in ``workdir`` holding a dossier per plan; export and scan each.

    With ``redact=False`` (the control) nothing is redacted and no anchor note is added, so
    every "leak" is the planted spelling showing through: a plan that shows nothing there is
    a place the exports never carry, or a blind spot of the reader."""
    from workbench.errors import ExportError, WorkbenchError
    from workbench.ingest import ImportOptions
    from workbench.services import Workbench

    files_dir = workdir / "files"
    files_dir.mkdir(parents=True)
    out_dir = workdir / "out"
    out_dir.mkdir()
    outcomes = [Outcome(p) for p in plans]
    specs: list[list[FileSpec]] = []
    for n, plan in enumerate(plans):
        try:
            specs.append(PLACES[plan.place].files(plan, files_dir, n))
        except Exception as exc:
            specs.append([])
            outcomes[n].errors.append({"stage": "make files", "error": repr(exc)})
    with Workbench.open(workdir / "library", create=True, program="leak-hunt") as wb:
        by_path: dict[str, int] = {}
        failures: dict[str, str] = {}
        plain = [f.path for s in specs for f in s if f.url is None]
        groups: list[tuple[list[Path], str | None]] = [(plain, None)] + [
            ([f.path], f.url) for s in specs for f in s if f.url is not None]
        for paths, url in groups:
            if not paths:
                continue
            report, _ = wb.import_paths(paths, ImportOptions(source_url=url))
            rep = report.to_json()
            for item in rep["imported"] + rep["duplicates"]:
                by_path.setdefault(item["path"], item["id"])
            for item in rep["failed"]:
                failures[item["path"]] = f"{item['status']}: {item['error']}"
        for n, (plan, outcome) in enumerate(zip(plans, outcomes, strict=True)):
            if outcome.errors:
                continue
            docs = {f.key: by_path.get(str(f.path), -1) for f in specs[n]}
            if any(v < 0 for v in docs.values()):
                why = [failures.get(str(f.path), "not imported") for f in specs[n]]
                outcome.errors.append({"stage": "import", "error": f"{docs}: {why}"})
                continue
            try:
                dossier, secrets = PLACES[plan.place].build(Ctx(wb, n, redact), plan, docs)
            except (Setup, WorkbenchError) as exc:
                outcome.errors.append({"stage": "build", "error": str(exc)})
                continue
            outcome.dossier = dossier
            secrets = [*secrets, plan.spelled, plan.term, f"Interview notes: {plan.term}."]
            for fmt in formats:
                outcome.exports += 1
                target = out_dir / f"d{dossier}-{fmt}" / ("dossier.zip" if fmt == "bundle"
                                                         else f"dossier.{fmt}")
                target.parent.mkdir()
                where = {**_plan_dict(plan), "format": fmt, "dossier": dossier,
                         "library": str(workdir / "library")}
                try:
                    wb.export(dossier, fmt, target)
                except ExportError as exc:
                    outcome.refusals.append({**where, "message": str(exc),
                                             "helpful": helpful(str(exc))})
                    continue
                except Exception as exc:
                    outcome.errors.append({**where, "stage": "export", "error": repr(exc)})
                    continue
                outcome.written += 1
                found = scan(target, plan.term, secrets)
                outcome.decodings += found.decodings
                outcome.leaks += [{**where, **f} for f in found.found]
            if log:
                log(f"{n + 1}/{len(plans)} {plan.place} {plan.term} {plan.variant}: "
                    f"{len(outcome.leaks)} leaks, {len(outcome.refusals)} refused, "
                    f"{len(outcome.errors)} errors")
    return outcomes


def _worker(args: tuple[list[Plan], str, tuple[str, ...], bool]) -> list[Outcome]:
    plans, workdir, formats, redact = args
    return run_plans(plans, Path(workdir), formats, redact=redact)


def _outcomes(plans: list[Plan], formats: tuple[str, ...], jobs: int, keep: Path | None,
              log: Callable[[str], None] | None, redact: bool) -> list[Outcome]:
    base = Path(tempfile.mkdtemp(prefix="leak-hunt-")) if keep is None else keep
    tag = "w" if redact else "control"
    try:
        if jobs <= 1:
            return run_plans(plans, base / f"{tag}0", formats, log, redact)
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        chunks = [plans[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn")) as pool:
            parts = list(pool.map(_worker, [(c, str(base / f"{tag}{i}"), formats, redact)
                                            for i, c in enumerate(chunks)]))
        return [o for part in parts for o in part]
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


def control(plans: list[Plan], *, formats: tuple[str, ...] = FORMATS, jobs: int = 1,
            keep: Path | None = None, log: Callable[[str], None] | None = None
            ) -> dict[str, Any]:
    """The positive control: unredacted, each planted spelling must be read somewhere."""
    outcomes = _outcomes(plans, formats, jobs, keep, log, redact=False)
    return {"dossiers": len(plans),
            "blind": [_plan_dict(o.plan) for o in outcomes if not o.leaks and not o.errors],
            "seen_in": {f"{o.plan.place}/{o.plan.term}/{o.plan.variant}":
                        sorted({f["format"] for f in o.leaks}) for o in outcomes},
            "errors": [{**_plan_dict(o.plan), **e} for o in outcomes for e in o.errors]}


def hunt(plans: list[Plan], *, formats: tuple[str, ...] = FORMATS, jobs: int = 1,
         keep: Path | None = None, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    start = time.monotonic()
    outcomes = _outcomes(plans, formats, jobs, keep, log, redact=True)
    refusals = [r for o in outcomes for r in o.refusals]
    return {
        "dossiers": len(plans),
        "places": sorted({p.place for p in plans}),
        "variants": sorted({p.variant for p in plans}),
        "terms": sorted({p.term for p in plans}),
        "formats": list(formats),
        "combinations": {"places": len({p.place for p in plans}),
                         "variants": len({p.variant for p in plans}),
                         "spellings": len({(p.term, p.spelled) for p in plans}),
                         "formats": len(formats)},
        "exports": sum(o.exports for o in outcomes),
        "written": sum(o.written for o in outcomes),
        "refused": len(refusals),
        "decodings": sum(o.decodings for o in outcomes),
        "leaks": [leak for o in outcomes for leak in o.leaks if known_limit(leak) is None],
        "known_limits": [{**leak, "limit": known_limit(leak)} for o in outcomes
                         for leak in o.leaks if known_limit(leak) is not None],
        "unhelpful_refusals": [r for r in refusals if not r["helpful"]],
        "refusals": refusals,
        "errors": [{**_plan_dict(o.plan), **e} for o in outcomes for e in o.errors],
        "seconds": round(time.monotonic() - start, 1),
    }


# What the matcher does not match by design (docs/cli/dossiers.md), listed apart and by name
# so the report still shows every reading where this reader sees the name.
KNOWN_LIMITS = (
    # fpdf2 drops a soft hyphen at a forced line break: the source PDF itself shows "Ekp" and
    # "ar" on two lines with no hyphen, which reads as two words — as "trek" / "park" does.
    (("pdf_excerpt", "hyphen-break", "Ekp\u00ad\nar"),
     "a word split by a bare line break (no hyphen) in the source PDF is two words"),
)


def known_limit(leak: dict[str, Any]) -> str | None:
    for (place, variant, spelled), why in KNOWN_LIMITS:
        if (leak.get("place"), leak.get("variant"), leak.get("spelled")) == (place, variant,
                                                                             spelled):
            return why
    return None


def failed(report: dict[str, Any]) -> bool:
    return bool(report["leaks"] or report["unhelpful_refusals"] or report["errors"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="only the issue's twelve leaks")
    ap.add_argument("--place", action="append", help="only these hiding places")
    ap.add_argument("--term", action="append", help="only these terms")
    ap.add_argument("--variant", action="append", help="only these variant ids")
    ap.add_argument("--format", action="append", choices=FORMATS, help="only these formats")
    ap.add_argument("--limit", type=int, help="at most this many dossiers")
    ap.add_argument("--skip", type=int, default=0,
                    help="leave out the first N plans (after the filters): resumes a stopped "
                         "run, whose -v log numbers each plan it finished")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (one library each)")
    ap.add_argument("--keep", type=Path, help="keep the libraries and exports in this folder")
    ap.add_argument("--list", action="store_true", help="print the plans and exit")
    ap.add_argument("--control", action="store_true",
                    help="the positive control: redact nothing and list the plans whose "
                         "spelling no reading shows (blind spots)")
    ap.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    args = ap.parse_args(argv)
    plans = list(QUICK) if args.quick else all_plans()
    if args.place:
        plans = [p for p in plans if p.place in args.place]
    if args.term:
        plans = [p for p in plans if p.term in args.term]
    if args.variant:
        plans = [p for p in plans if p.variant in args.variant]
    if args.skip:
        plans = plans[args.skip:]
    if args.limit:
        plans = plans[:args.limit]
    if args.list:
        for p in plans:
            print(json.dumps(_plan_dict(p), ensure_ascii=False))
        return 0
    formats = tuple(args.format) if args.format else FORMATS
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    log = (lambda s: print(s, file=sys.stderr, flush=True)) if args.verbose else None
    if args.control:
        checked = control(plans, formats=formats, jobs=args.jobs, keep=args.keep, log=log)
        print(json.dumps(checked, ensure_ascii=False, indent=1))
        return 1 if checked["blind"] or checked["errors"] else 0
    report = hunt(plans, formats=formats, jobs=args.jobs, keep=args.keep, log=log)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if failed(report) else 0


if __name__ == "__main__":
    sys.exit(main())
