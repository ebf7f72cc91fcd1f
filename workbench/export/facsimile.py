"""Facsimile exhibits: the source's own pages as one PDF, marked, stamped, burnt in.

``build_facsimile(request, out)`` writes the requested source pages in order into a fresh
PDF (a new writer: never the source's catalog, trailer, metadata or anything they reach):

- a page without redactions is the source page's drawing copied as vector
  (``facsimile_copy``: its content and the resources it uses, nothing else);
- a page with redactions is rendered at ``dpi`` with the boxes painted into the pixels,
  plus an invisible text layer from OCR of that redacted image (``facsimile_raster``);
- every page gets the highlight marks, the stamp "Exhibit 3 · page 2 of 4 of the source" and
  its Bates number (``facsimile_overlay``).

Rects are PDF points from the top-left corner of the page as displayed (rotation and crop box
applied), as everywhere in issue 13; each output page has the source page's displayed size,
unrotated. ``build_facsimiles`` does several at once, so the OCR of all their redacted pages
runs in parallel (the dossier export's case: many exhibits with a redacted page or two).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from ..errors import ExportError
from . import facsimile_overlay as overlay
from .facsimile_copy import Copier, NeedsRaster, page_form
from .facsimile_raster import NO_TESSERACT, Burnt, OcrPool, burn_page
from .leak_ocr import image_key, remember

Rect = tuple[float, float, float, float]
# What reading a damaged source can raise from pypdf's lazy parsing.
_DAMAGE = (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


@dataclass
class FacsimilePage:
    number: int  # 1-based page of the source
    marks: list[Rect]
    redactions: list[Rect]
    mark_colors: list[str] = field(default_factory=list)  # "#rrggbb" per mark; default yellow


DPI = 200  # a burnt-in page's resolution (the minimum)


@dataclass
class FacsimileRequest:
    source_pdf: Path
    pages: list[FacsimilePage]
    stamp: str  # "Exhibit 3"
    source_pages: int  # total pages of the source
    bates: list[str] | None = None  # one per requested page
    dpi: int = DPI
    ocr_languages: str | None = None  # Tesseract's "eng+ara"; None: by the page's script
    ocr: bool = True  # False: redacted pages get no text layer (tests, previews)


@dataclass
class FacsimileResult:
    pages: int
    rasterised: list[int]  # source page numbers burnt in, in output order
    ocr_text: dict[int, str]  # source page number -> OCR text of its redacted image
    # source page number -> SHA-256 of its image stream as written (the leak check's proof
    # that the image it finds is the one that was read: ``leak_ocr.remember``)
    image_sha256: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for the user: no OCR, a layered page


def build_facsimile(req: FacsimileRequest, out: Path) -> FacsimileResult:
    """Write the facsimile ``req`` describes to ``out`` (see the module docstring)."""
    return build_facsimiles([(req, out)])[0]


def build_facsimiles(jobs: list[tuple[FacsimileRequest, Path]], workers: int | None = None,
                     prepared: Sequence[dict[int, Burnt]] | None = None,
                     ) -> list[FacsimileResult]:
    """Write several facsimiles; their redacted pages are rendered first and OCR'd in
    parallel (``workers`` Tesseract processes at once; None: one per core). ``prepared``:
    per job, pages already burnt (by request page index, ``burn_page``), their OCR perhaps
    under way, as the dossier export starts them while it plans and lays out the rest."""
    ahead = list(prepared) if prepared is not None else [{} for _job in jobs]
    readers: dict[Path, PdfReader] = {}  # one parse of each source for all its exhibits
    with OcrPool(workers) as pool:
        burnt = [_burn_all(pool, req, readers, done) for (req, _out), done in
                 zip(jobs, ahead, strict=True)]
        # Those with nothing to wait for first: they are written while Tesseract reads the
        # others' pages, not after the last reading.
        order = sorted(range(len(jobs)), key=lambda i: _waits(burnt[i]))
        results: dict[int, FacsimileResult] = {}
        for i in order:
            req, out = jobs[i]
            results[i] = _write(pool, req, out, burnt[i], readers)
        return [results[i] for i in range(len(jobs))]


def _waits(burnt: dict[int, Burnt]) -> bool:
    """Whether writing this facsimile would wait for an OCR still under way."""
    return any(b.ocr is not None and not b.ocr.done() for b in burnt.values())


def _name(req: FacsimileRequest) -> str:
    return req.source_pdf.name


def _open_pypdf(req: FacsimileRequest, readers: dict[Path, PdfReader] | None = None,
                ) -> PdfReader:
    reader = readers.get(req.source_pdf) if readers is not None else None
    if reader is None:
        try:
            reader = PdfReader(str(req.source_pdf), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ExportError(f"The source {_name(req)} cannot be read for a facsimile: "
                                  "it needs a password", "export the exhibit without a facsimile")
            len(reader.pages)
        except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
            raise ExportError(f"The source {_name(req)} cannot be read for a facsimile: {exc}",
                              "export the exhibit without a facsimile") from None
        if readers is not None:
            readers[req.source_pdf] = reader
    count = len(reader.pages)
    for page in req.pages:
        if not 1 <= page.number <= count:
            raise ExportError(f"The source {_name(req)} has {count} pages; page "
                              f"{page.number} cannot be shown", "choose pages it has")
    return reader


def _open_pdfium(req: FacsimileRequest) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(req.source_pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        raise ExportError(f"The source {_name(req)} cannot be read for a facsimile: {exc}",
                          "export the exhibit without a facsimile") from None


def _burn_all(pool: OcrPool, req: FacsimileRequest, readers: dict[Path, PdfReader],
              done: dict[int, Burnt]) -> dict[int, Burnt]:
    """Output index -> the burnt page, for every requested page with redactions (those in
    ``done`` as they are)."""
    _open_pypdf(req, readers)  # the request's errors before any rendering
    wanted = [(i, p) for i, p in enumerate(req.pages) if p.redactions and i not in done]
    out = {i: b for i, b in done.items() if i < len(req.pages) and req.pages[i].redactions}
    if not wanted:
        return out
    doc = _open_pdfium(req)
    try:
        out.update({i: burn_page(pool, doc[p.number - 1], p.number, p.redactions, req.dpi,
                                 req.ocr_languages, req.ocr) for i, p in wanted})
        return out
    finally:
        doc.close()


def _write(pool: OcrPool, req: FacsimileRequest, out: Path, burnt: dict[int, Burnt],
           readers: dict[Path, PdfReader] | None = None) -> FacsimileResult:
    reader = _open_pypdf(req, readers)
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"
    writer.metadata = None  # no /Info at all: not even a producer
    copier = Copier(writer)
    result = FacsimileResult(len(req.pages), [], {})
    built: list[tuple[Any, float, float, bytes, DictionaryObject]] = []
    for index, page in enumerate(req.pages):
        source = reader.pages[page.number - 1]
        if index not in burnt:
            try:
                form, width, height = page_form(copier, source)
                built.append(_vector(writer, form, width, height))
                continue
            except NeedsRaster as why:
                result.notes.append(f"Page {page.number} of {_name(req)} was rendered as an "
                                    f"image: {why}")
                burnt[index] = _late_burn(pool, req, page)
            except _DAMAGE as exc:  # a damaged or hostile file, read lazily by pypdf
                raise ExportError(f"Page {page.number} of {_name(req)} cannot be copied for a "
                                  f"facsimile ({type(exc).__name__})",
                                  "export the exhibit without a facsimile") from None
        built.append(_raster(writer, copier, burnt[index], source, result, req))
    stamps = _stamps(req, [(w, h) for _p, w, h, _c, _r in built])
    for index, (page_obj, _width, height, content, res) in enumerate(built):
        page = req.pages[index]
        content += overlay.marks_ops(page.marks, page.mark_colors, height)
        if index in burnt:
            content += overlay.boxes_ops(burnt[index].boxes, height)
        content += stamps(index, copier, res)
        _finish(writer, page_obj, content, res)
    if pool.program is None and burnt and req.ocr:
        result.notes.append(NO_TESSERACT)
    _save(writer, out)
    return result


def _late_burn(pool: OcrPool, req: FacsimileRequest, page: FacsimilePage) -> Burnt:
    doc = _open_pdfium(req)
    try:
        return burn_page(pool, doc[page.number - 1], page.number, page.redactions, req.dpi,
                         req.ocr_languages, req.ocr)
    finally:
        doc.close()


def _resources() -> DictionaryObject:
    res = DictionaryObject({NameObject(k): v for k, v in overlay.resources().items()})
    res[NameObject("/XObject")] = DictionaryObject()
    return res


def _xobjects(res: DictionaryObject) -> DictionaryObject:
    xobjects = res["/XObject"]
    assert isinstance(xobjects, DictionaryObject)
    return xobjects


def _vector(writer: PdfWriter, form: IndirectObject, width: float,
            height: float) -> tuple[Any, float, float, bytes, DictionaryObject]:
    page = writer.add_blank_page(width, height)
    res = _resources()
    _xobjects(res)[NameObject("/WbSrc")] = form
    return page, width, height, b"q /WbSrc Do Q\n", res


def _raster(writer: PdfWriter, copier: Copier, burnt: Burnt, source: Any,
            result: FacsimileResult, req: FacsimileRequest,
            ) -> tuple[Any, float, float, bytes, DictionaryObject]:
    from .facsimile_copy import display_matrix

    _matrix, width, height = display_matrix(source)
    page = writer.add_blank_page(width, height)
    res = _resources()
    image = StreamObject()
    image._data = burnt.data
    image.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(burnt.width),
        NameObject("/Height"): NumberObject(burnt.height),
        NameObject("/ColorSpace"): NameObject("/DeviceGray" if burnt.grey else "/DeviceRGB"),
        NameObject("/BitsPerComponent"): NumberObject(8),
        NameObject("/Filter"): NameObject("/DCTDecode" if burnt.jpeg else "/FlateDecode")})
    _xobjects(res)[NameObject("/WbPage")] = writer._add_object(image)
    content = f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /WbPage Do Q\n".encode()
    text = ""
    if burnt.ocr is not None:
        pdf, text = burnt.ocr.result()
        if pdf is not None:
            content += _ocr_layer(copier, res, pdf, width, height)
            # Only a reading that happened: a failed one says nothing about the pixels.
            remember(image_key(burnt.sha256, burnt.width, burnt.height, not burnt.jpeg),
                     burnt.languages, text)
    result.rasterised.append(burnt.number)
    result.ocr_text[burnt.number] = text
    result.image_sha256[burnt.number] = burnt.sha256
    return page, width, height, content, res


def _ocr_layer(copier: Copier, res: DictionaryObject, pdf: bytes, width: float,
               height: float) -> bytes:
    """Tesseract's invisible-text page as a form scaled onto the page."""
    import io

    reader = PdfReader(io.BytesIO(pdf))
    copier.keep(reader)
    form, w, h = page_form(copier, reader.pages[0])
    _xobjects(res)[NameObject("/WbOcr")] = form
    return f"q {width / w:.6f} 0 0 {height / h:.6f} 0 0 cm /WbOcr Do Q\n".encode()


def _stamps(req: FacsimileRequest, sizes: list[tuple[float, float]]) -> Any:
    """A function adding page ``index``'s stamp to its content (and resources)."""
    bates = req.bates or []
    labels = [(overlay.stamp_text(req.stamp, p.number, req.source_pages),
               bates[i] if i < len(bates) else None) for i, p in enumerate(req.pages)]
    if overlay.helvetica_ready(*(t for pair in labels for t in pair if t)):
        def helvetica(index: int, _copier: Copier, _res: DictionaryObject) -> bytes:
            (w, h), (stamp, number) = sizes[index], labels[index]
            return overlay.stamp_ops(stamp, number, w, h)
        return helvetica
    import io

    laid_out = PdfReader(io.BytesIO(overlay.weasy_stamps(
        [(w, h, s, b) for (w, h), (s, b) in zip(sizes, labels, strict=True)])))

    def weasy(index: int, copier: Copier, res: DictionaryObject) -> bytes:
        copier.keep(laid_out)
        form, lw, lh = page_form(copier, laid_out.pages[index])
        _xobjects(res)[NameObject("/WbStamp")] = form
        w, h = sizes[index]
        return f"q {w / lw:.6f} 0 0 {h / lh:.6f} 0 0 cm /WbStamp Do Q\n".encode()
    return weasy


def _finish(writer: PdfWriter, page: Any, content: bytes, res: DictionaryObject) -> None:
    stream = StreamObject()
    stream._data = content
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    page[NameObject("/Resources")] = res
    page[NameObject("/Group")] = DictionaryObject({  # marks are translucent
        NameObject("/Type"): NameObject("/Group"), NameObject("/S"): NameObject("/Transparency"),
        NameObject("/CS"): NameObject("/DeviceRGB")})
    if not _xobjects(res):
        del res["/XObject"]


def _save(writer: PdfWriter, out: Path) -> None:
    part = out.with_name(out.name + ".part")
    try:
        with open(part, "wb") as fh:
            writer.write(fh)
        os.replace(part, out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ExportError(f"Cannot write the facsimile {out.name}: {exc.strerror or exc}",
                          "check the destination's free space and permissions") from None
