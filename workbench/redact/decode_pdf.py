"""PDF for ``decode``: page text by two extractors, every object, every stream, every string.

- page text by PDFium (pypdfium2, in a thread: its calls release the GIL) and by poppler's
  ``pdftotext`` (in its own process, when it is installed), page by page;
- every string and name reachable through pypdf (metadata, bookmarks, links, annotations,
  alt text, form fields), and embedded files, each read as a file of its own;
- page text by pypdf too, page by page: a long PDF's in worker processes (``pypdf_text``);
- the raw bytes as latin-1 (and UTF-8), every stream inflated (Flate from the bytes, so
  streams of earlier revisions and orphaned objects are read too; other filters through
  pypdf's ``get_data``; images skipped), and the literal and hex strings of the file and of
  its object streams decoded (octal escapes, UTF-16BE and UTF-8 byte-order marks).

The sources overlap in time: ``pdftotext``, PDFium and pypdf's page-text workers start
first, while pypdf's objects and the stream scan run here. A PDF that opens only with a password is
``Unreadable``; so is a part one of the extractors could not read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Generator, Iterator
from io import BytesIO
from typing import TYPE_CHECKING, Any

from .decode import Context, Item, Reading, Unreadable

if TYPE_CHECKING:
    from .pypdf_text import PageTexts

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/(FlateDecode|Fl|ASCIIHexDecode|AHx|ASCII85Decode|A85|LZWDecode|LZW|"
                     rb"RunLengthDecode|RL|Crypt)\b")
_IMAGE = re.compile(rb"/Image\b|/DCTDecode|/JPXDecode|/JBIG2Decode|/CCITTFaxDecode")
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")
_ESCAPES = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\n": b"",
           b"\r": b"", b"\r\n": b""}


class Background:
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


def read_pdf(ctx: Context, data: bytes, depth: int) -> Iterator[Item]:
    stop = threading.Event()
    exe = shutil.which("pdftotext")
    proc = None if exe is None else subprocess.Popen(
        [exe, "-q", "-enc", "UTF-8", "-", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL)
    poppler = None if proc is None else Background(lambda: proc.communicate(data, timeout=600))
    pdfium = Background(lambda: _pdfium_pages(data, stop))
    from .pypdf_text import PageTexts

    pypdf_pages = PageTexts.start(data)  # a long PDF's pypdf page text, in worker processes
    try:
        yield Reading("PDF bytes as latin-1", data.decode("latin-1"), markup=False)
        if not data.isascii():
            yield Reading("PDF bytes as UTF-8", data.decode("utf-8", "replace"), markup=False)
        decoded: set[tuple[int, int]] = set()
        yield from _raw_streams(ctx, data, decoded)
        locked = yield from _pypdf(ctx, data, depth, decoded, pypdf_pages)
        if locked:
            return
        try:
            for i, text in pdfium.result():
                if isinstance(text, str):
                    yield Reading(f"page {i} text (PDFium)", text)
                else:
                    yield Unreadable(f"page {i} text (PDFium)", text.reason)
        except Exception as exc:  # PDFium could not open it at all
            yield Unreadable("page text (PDFium)", f"PDFium cannot open it ({exc})")
        if poppler is not None and proc is not None:
            yield from _poppler_pages(poppler, proc)
    finally:
        stop.set()
        pypdf_pages.close()
        if proc is not None and proc.poll() is None:
            proc.kill()
        if poppler is not None:
            poppler.join()
        pdfium.join()


def _poppler_pages(poppler: Background, proc: subprocess.Popen[bytes]) -> Iterator[Item]:
    try:
        out, _ = poppler.result()
    except subprocess.TimeoutExpired:
        yield Unreadable("page text (pdftotext)", "pdftotext took more than 10 minutes")
        return
    if proc.returncode:
        yield Unreadable("page text (pdftotext)", f"pdftotext failed (exit {proc.returncode})")
    pages = out.decode("utf-8", errors="replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    for i, text in enumerate(pages, 1):
        yield Reading(f"page {i} text (pdftotext)", text)


# PDFium is not thread-safe: one document at a time (a PDF embedded in a PDF is read while
# the outer one's pages are still being extracted).
_PDFIUM = threading.Lock()


def _pdfium_pages(data: bytes, stop: threading.Event) -> list[tuple[int, str | Unreadable]]:
    with _PDFIUM:
        return _pdfium_locked(data, stop)


def _pdfium_locked(data: bytes, stop: threading.Event) -> list[tuple[int, str | Unreadable]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pages: list[tuple[int, str | Unreadable]] = []
    try:
        for i in range(len(pdf)):
            if stop.is_set():
                break
            try:
                page = pdf[i]
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    if not text.strip() and _shows_an_image(page):
                        pages.append((i + 1, Unreadable("", "it has no text, only an image (a "
                                                        "scan?), which cannot be searched")))
                    else:
                        pages.append((i + 1, text))
                finally:
                    textpage.close()
                    page.close()
            except Exception as exc:  # one bad page: say so, read the others
                pages.append((i + 1, Unreadable("", f"PDFium cannot read it ({exc})")))
    finally:
        pdf.close()
    return pages


def _shows_an_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None


# --- streams and strings from the bytes ------------------------------------------------------


def _raw_streams(ctx: Context, data: bytes,
                 decoded: set[tuple[int, int]]) -> Iterator[Item]:
    """Each Flate stream inflated, found by scanning the bytes; ``decoded`` gets the objects
    done here (and those pypdf need not decode: images, unfiltered streams)."""
    from .decode_archive import decompress, too_large

    strings = [_strings(data)]
    for m in _STREAM.finditer(data):
        start = m.end()
        head = data[max(0, m.start() - 4096):m.start()]
        objs = list(_OBJ.finditer(head))
        key = (int(objs[-1].group(1)), int(objs[-1].group(2))) if objs else None
        dict_text = head[objs[-1].end():] if objs else head[-512:]
        end = -1
        length = _LENGTH.search(dict_text)
        if length:
            n = int(length.group(1))
            if data[start + n:start + n + 12].lstrip(b"\r\n \t").startswith(b"endstream"):
                end = start + n
        if end < 0:
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        filters = [f.decode() for f in _FILTER.findall(dict_text)]
        if _IMAGE.search(dict_text) or not filters:
            if key:
                decoded.add(key)  # an image, or bytes already read as they are
            continue
        if filters not in (["FlateDecode"], ["Fl"]):
            continue  # left to pypdf
        out, problem = decompress(ctx, "zlib", data[start:end])
        if too_large(problem):
            if key:
                decoded.add(key)  # pypdf must not inflate it either
            yield Unreadable(_stream_place(key, m.start()), problem or "")
            continue
        if problem and not out:
            continue  # encrypted, or a false "stream" keyword: pypdf reads what it can
        if key and not problem:
            decoded.add(key)
        yield Reading(_stream_place(key, m.start()), _stream_text(out), markup=False)
        if b"/ObjStm" in dict_text:
            strings.append(_strings(out))
    text = "\n".join(s for s in strings if s)
    if text:
        yield Reading("PDF strings (escaped, hex, UTF-16)", text)


def _stream_place(key: tuple[int, int] | None, offset: int) -> str:
    return f"PDF stream {key[0]} {key[1]} (decompressed)" if key else \
        f"PDF stream at byte {offset} (decompressed)"


def _stream_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")  # XMP metadata, embedded text
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _strings(blob: bytes) -> str:
    """The literal strings with escapes and the hex strings in ``blob``, decoded."""
    found = []
    for m in _LITERAL.finditer(blob):
        s = m.group(0)[1:-1]
        if b"\\" in s or s.startswith((b"\xfe\xff", b"\xef\xbb\xbf")):
            found.append(pdf_text(_ESCAPES.sub(_unescape, s)))
    for m in _HEX.finditer(blob):
        digits = re.sub(rb"\s+", b"", m.group(1))
        found.append(pdf_text(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())))
    return "\n".join(found)


def _unescape(m: re.Match[bytes]) -> bytes:
    esc = m.group(1)
    if esc[:1] and esc[0] in b"01234567":
        return bytes([int(esc, 8) & 0xFF])
    return _SIMPLE.get(esc, esc)


def pdf_text(raw: bytes) -> str:
    """A PDF string's bytes as text: UTF-16BE or UTF-8 by their byte-order mark, else
    PDFDocEncoding (as latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


# --- pypdf -----------------------------------------------------------------------------------


def _pypdf(ctx: Context, data: bytes, depth: int, decoded: set[tuple[int, int]],
           pages: PageTexts) -> Generator[Item, None, bool]:
    """Objects, page text (``pages``: read ahead by workers, or here), the streams the byte
    scan could not decode and embedded files; returns True when the PDF is locked by a
    password (then no extractor can read its text)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            yield Unreadable("PDF", "it is encrypted and opens only with a password")
            return True
        strings: list[str] = []
        streams: list[tuple[tuple[int, int], Any]] = []
        embedded: dict[tuple[int, int], str] = {}
        _walk(reader, strings, streams, embedded)
    except Exception as exc:  # pypdf raises many kinds on damaged files
        yield Unreadable("PDF objects", f"pypdf cannot read them ({type(exc).__name__}: {exc})")
        return False
    yield Reading("PDF objects (metadata, bookmarks, links)", "\n".join(strings))
    # pypdf's page text too: a recipient's tool may read a page that way, and it orders and
    # joins characters unlike PDFium and pdftotext (the leak hunt found a name hidden among
    # bidi controls that only pypdf's reading showed, once text layers came from PDFium).
    for number, text, why in pages.pages(reader):
        if text is None:  # a damaged content stream
            yield Unreadable(f"page {number} text (pypdf)", f"pypdf cannot read it ({why})")
            continue
        yield Reading(f"page {number} text (pypdf)", text, markup=False)
    for key, stream in streams:
        if key in decoded and key not in embedded:
            continue
        try:
            content = stream.get_data()
        except Exception as exc:  # an unknown or damaged filter
            yield Unreadable(_stream_place(key, 0), f"it cannot be decoded ({exc})")
            continue
        if not ctx.take(len(content)):
            yield Unreadable(_stream_place(key, 0), "too large to check")
            return False
        if key in embedded:
            yield from ctx.nested(f"PDF embedded file {embedded[key]}", embedded[key], content,
                                  depth + 1)
        else:
            yield Reading(_stream_place(key, 0), _stream_text(content), markup=False)
    return False


def _walk(reader: Any, strings: list[str], streams: list[tuple[tuple[int, int], Any]],
          embedded: dict[tuple[int, int], str]) -> None:
    """Every string and name reachable from the trailer into ``strings``; every stream
    that is not an image into ``streams``; embedded files' streams and names."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        obj = stack.pop()
        key = None
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams are dictionaries too
            if isinstance(obj, StreamObject) and key is not None and \
                    obj.get("/Subtype") != "/Image":
                streams.append((key, obj))
                if obj.get("/Type") == "/EmbeddedFile":
                    embedded.setdefault(key, "embedded file")
            ef = obj.get("/EF")
            if isinstance(ef, DictionaryObject | IndirectObject):
                name = str(obj.get("/UF") or obj.get("/F") or "embedded file")
                files = ef.get_object()
                refs = files.values() if isinstance(files, DictionaryObject) else []
                for ref in refs:
                    if isinstance(ref, IndirectObject):
                        embedded[(ref.idnum, ref.generation)] = name
            for k, v in obj.items():
                strings.append(str(k))
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject | NameObject):
            strings.append(str(obj))
        elif isinstance(obj, ByteStringObject):
            strings.append(pdf_text(bytes(obj)))
