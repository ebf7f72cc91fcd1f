"""The post-write leak check: re-read an export the way a recipient could, find redacted text.

Every export is read back by independent means before it is given its final name: a PDF by
two independent text extractors (PDFium through pypdfium2, and poppler's ``pdftotext``), by
pypdf walking every object (metadata, bookmarks, links, alt text) and by a scan of the raw
bytes and every decompressed stream. (pypdf's own text extraction was measured at ~0.1 s a
page on WeasyPrint's per-glyph output, 20 s for a 500-exhibit dossier; PDFium takes 0.003);
a DOCX by python-docx and by the raw XML of every part; HTML as markup and as unescaped
text; a bundle file by file, including file names, JSON string values and any PDF or DOCX
inside. Both sides are normalised
(case, NFKC — PDF extraction returns Arabic as presentation forms —, combining marks,
invisible characters, whitespace runs, hyphenation at line ends), and a right-to-left term is
also looked for reversed, as some extractors emit visual order. A hit raises ``RedactionLeak``
naming where it was found; the caller deletes the file.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from ..dossier.redaction import Rule
from ..errors import RedactionLeak

_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


@lru_cache(maxsize=1)
def _drop_table() -> dict[int, None]:
    """Combining marks and invisible format characters, deleted before comparing."""
    planes = [*range(0x30000), *range(0xE0000, 0xE1000)]  # where such characters live
    return {cp: None for cp in planes if unicodedata.category(chr(cp)) in ("Mn", "Me", "Cf")}


def norm(text: str) -> str:
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = unicodedata.normalize("NFKD", text).translate(_drop_table())
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WS.sub(" ", text).strip()


def _is_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


class Needles:
    """The redacted strings in every form a leak could take."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.forms: list[tuple[str, str, str]] = []  # (normalised form, spaced?, reason)
        for r in rules:
            n = norm(r.text)
            if not n:
                continue
            variants = {n}
            if _is_rtl(n):
                variants.add(n[::-1])
            for v in variants:
                self.forms.append((v, "spaced", r.reason))
                squeezed = v.replace(" ", "")
                if len(squeezed) >= 5:  # short terms would match inside other words
                    self.forms.append((squeezed, "squeezed", r.reason))

    def __bool__(self) -> bool:
        return bool(self.forms)

    def find(self, text: str) -> str | None:
        """The reason of a redaction whose text occurs in ``text``, else None."""
        if not text:
            return None
        hay = norm(text)
        squeezed: str | None = None
        for form, kind, reason in self.forms:
            if kind == "spaced":
                if form in hay:
                    return reason
            else:
                squeezed = squeezed if squeezed is not None else hay.replace(" ", "")
                if form in squeezed:
                    return reason
        return None


def _check(needles: Needles, text: str, where: str) -> None:
    reason = needles.find(text)
    if reason is not None:
        raise RedactionLeak(f"Text redacted as {reason!r} was found in {where}; "
                            "the export was deleted", "please report this as a bug")


# --- PDF ------------------------------------------------------------------------------------


def _pdf_objects(reader: Any) -> Iterator[str]:
    """Every string and name reachable from the trailer (metadata, outline, links, alt text).

    Stream contents are left to the raw scan, which decompresses every stream once."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        TextStringObject,
    )

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too
            for k, v in obj.items():
                yield str(k)
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject | NameObject):
            yield str(obj)
        elif isinstance(obj, ByteStringObject):
            yield bytes(obj).decode("latin-1")


def _start_pdftotext(path: Path | None) -> subprocess.Popen[bytes] | None:
    exe = shutil.which("pdftotext")
    if exe is None or path is None:
        return None
    return subprocess.Popen([exe, "-q", "-enc", "UTF-8", str(path), "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _pdfium_pages(data: bytes) -> Iterator[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                yield textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()


def check_pdf_bytes(data: bytes, needles: Needles, where: str,
                    path: Path | None = None) -> list[str]:
    """Page text by PDFium and by poppler, every object by pypdf, and every raw and
    decompressed stream. Poppler runs in its own process and PDFium in a thread (its calls
    release the GIL) while pypdf and the stream scan run here: the checks overlap."""
    from pypdf import PdfReader

    done = []
    poppler = _start_pdftotext(path)
    pdfium = _Background(lambda: list(_pdfium_pages(data)))
    try:
        reader = PdfReader(BytesIO(data))
        strings = list(_pdf_objects(reader))
        _check(needles, "\n".join(strings),
               f"{where}: PDF objects (metadata, bookmarks, links)")
        done.append("pypdf objects")
        raw = [data.decode("latin-1")]
        for m in _STREAM.finditer(data):
            try:
                raw.append(zlib.decompressobj().decompress(m.group(1)).decode("latin-1"))
            except zlib.error:
                continue
        _check(needles, "\n".join(raw), f"{where}: raw PDF bytes and streams")
        done.append("raw streams")
        for i, text in enumerate(pdfium.result(), 1):
            _check(needles, text, f"{where}: page {i} text (PDFium)")
        done.insert(0, "pdfium text")
        if poppler is not None:
            out, _ = poppler.communicate(timeout=600)
            _check(needles, out.decode("utf-8", errors="replace"), f"{where}: text (pdftotext)")
            done.append("pdftotext text")
    finally:
        pdfium.join()
        if poppler is not None and poppler.poll() is None:
            poppler.kill()
            poppler.wait()
    return done


class _Background:
    """Run ``fn`` in a thread; ``result()`` returns its value or raises its exception."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def check_pdf(path: Path, needles: Needles, where: str | None = None) -> list[str]:
    return check_pdf_bytes(path.read_bytes(), needles, where or path.name, path)


# --- DOCX, HTML, other files ----------------------------------------------------------------


def check_docx_bytes(data: bytes, needles: Needles, where: str) -> list[str]:
    import docx

    d = docx.Document(BytesIO(data))
    texts = [p.text for p in d.paragraphs]
    for t in d.tables:
        texts += [c.text for row in t.rows for c in row.cells]
    for sec in d.sections:
        texts += [p.text for p in sec.header.paragraphs] + [p.text for p in sec.footer.paragraphs]
    cp = d.core_properties
    texts += [str(getattr(cp, k) or "") for k in ("author", "title", "subject", "keywords",
                                                  "comments", "last_modified_by", "category")]
    _check(needles, "\n".join(texts), f"{where}: document text (python-docx)")
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for info in zf.infolist():
            _check(needles, info.filename, f"{where}: part name {info.filename}")
            raw = zf.read(info).decode("utf-8", errors="ignore")
            _check(needles, raw, f"{where}: part {info.filename}")
            _check(needles, html.unescape(_TAG.sub("", raw)), f"{where}: part {info.filename}")
    return ["python-docx text", "raw XML parts"]


def check_html_text(text: str, needles: Needles, where: str) -> list[str]:
    _check(needles, text, f"{where}: markup")
    _check(needles, html.unescape(text), f"{where}: unescaped markup")
    _check(needles, html.unescape(_TAG.sub(" ", text)), f"{where}: text")
    _check(needles, html.unescape(_TAG.sub("", text)), f"{where}: text")
    return ["html markup", "html text"]


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


def check_bytes(name: str, data: bytes, needles: Needles, where: str,
                path: Path | None = None) -> list[str]:
    """One file of any kind, by its name and content."""
    _check(needles, name, f"{where}: file name")
    _check(needles, re.sub(r"[-_.+]+", " ", name), f"{where}: file name")
    lower = name.lower()
    if data.startswith(b"%PDF") or lower.endswith(".pdf"):
        return check_pdf_bytes(data, needles, where, path)
    if lower.endswith(".docx") and data.startswith(b"PK"):
        return check_docx_bytes(data, needles, where)
    text = data.decode("utf-8", errors="ignore")
    check_html_text(text, needles, where)
    _check(needles, data.decode("latin-1"), f"{where}: bytes")
    if lower.endswith((".json", ".jsonld")):
        try:
            for s in _json_strings(json.loads(text)):
                _check(needles, s, f"{where}: JSON value")
        except ValueError:
            pass
    return ["file bytes"]


def check_file(path: Path, rules: list[Rule], fmt: str) -> list[str]:
    """Run the checks for ``fmt`` on the written export; raises ``RedactionLeak``."""
    needles = Needles(rules)
    if not needles:
        return []
    if fmt == "pdf":
        return check_pdf(path, needles, "the PDF")
    if fmt == "docx":
        return check_docx_bytes(path.read_bytes(), needles, "the DOCX")
    if fmt == "html":
        return check_html_text(path.read_text(encoding="utf-8"), needles, "the HTML file")
    return check_bundle(path, needles)


def check_bundle(path: Path, needles: Needles) -> list[str]:
    done: set[str] = set()
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            rel = f.relative_to(path).as_posix()
            done.update(check_bytes(rel, f.read_bytes(), needles, f"bundle file {rel}", f))
    else:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    _check(needles, info.filename, f"bundle folder name {info.filename}")
                    continue
                data = zf.read(info)
                tmp = None
                if info.filename.lower().endswith(".pdf"):
                    tmp = path.parent / f".{path.name}.check.pdf"
                    tmp.write_bytes(data)
                try:
                    done.update(check_bytes(info.filename, data, needles,
                                            f"bundle file {info.filename}", tmp))
                finally:
                    if tmp is not None:
                        tmp.unlink(missing_ok=True)
    return sorted(done | {"every bundle file"})
