"""A source page's drawing copied into a fresh PDF, and nothing else of the source file.

A facsimile's vector page is a new page whose content draws the source page as a Form
XObject: the page's content streams joined, with the resources they use (fonts, images,
nested forms, graphics states, colour spaces, patterns, shadings). The form's matrix maps
the source's user space onto the page as displayed (its /Rotate and crop box applied), so
the new page is unrotated, starts at (0, 0), and every rect of the contract (top-left points
as displayed) is a plain flip away.

Copying is our own walk, not pypdf's ``clone``: a hostile file can point from a font to the
catalog, so following every reference would bring the other pages (with the text a redaction
burnt out of one of them), the outlines, attachments and JavaScript along. The walk copies
only the resource kinds above, drops every key that carries metadata, actions, annotations,
structure or page-piece data (and a JPEG image's EXIF, XMP, IPTC and comment segments: a
camera's serial number or GPS position is metadata too), and refuses any object that is a
page, page tree, catalog, annotation, action, file, outline or structure element (it becomes
null). Marked-content
properties are dropped (readers ignore a BDC whose property list is missing); a page that
uses optional content (layers) cannot be copied faithfully without the source's layer
configuration, so it raises ``NeedsRaster`` and is rendered as it displays instead.
"""

from __future__ import annotations

from typing import Any

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]

RESOURCE_KINDS = ("/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading",
                  "/ProcSet")
# Keys never copied, at any depth.
DROP_KEYS = frozenset({
    "/Metadata", "/PieceInfo", "/LastModified", "/StructParent", "/StructParents", "/Annots",
    "/AA", "/A", "/JS", "/OpenAction", "/Parent", "/P", "/Thumb", "/B", "/EF", "/EmbeddedFiles",
    "/AcroForm", "/Names", "/Outlines", "/Dests", "/OPI", "/Properties", "/URI", "/ID",
})
# Objects never followed: a resource has no business pointing at them.
REFUSED_TYPES = frozenset({
    "/Page", "/Pages", "/Catalog", "/Annot", "/Outlines", "/Filespec", "/EmbeddedFile",
    "/Action", "/StructElem", "/StructTreeRoot", "/Metadata", "/Sig", "/XRef", "/ObjStm",
    "/OCProperties",
})
OPTIONAL_CONTENT = frozenset({"/OCG", "/OCMD"})


class NeedsRaster(Exception):
    """The page cannot be copied as vector without carrying more of the source."""


def visible_box(page: PageObject) -> Box:
    """The crop box clipped to the media box, in the source's user space."""
    media, crop = page.mediabox, page.cropbox
    x0, y0 = max(float(media.left), float(crop.left)), max(float(media.bottom), float(crop.bottom))
    x1, y1 = min(float(media.right), float(crop.right)), min(float(media.top), float(crop.top))
    if x1 <= x0 or y1 <= y0:  # a crop box outside the media box: readers show the media box
        return float(media.left), float(media.bottom), float(media.right), float(media.top)
    return x0, y0, x1, y1


def rotation(page: PageObject) -> int:
    """/Rotate as 0, 90, 180 or 270 (clockwise); anything else is read as 0."""
    value = int(page.get("/Rotate", 0) or 0) % 360
    return value if value in (0, 90, 180, 270) else 0


def display_matrix(page: PageObject) -> tuple[Matrix, float, float]:
    """The matrix from the page's user space to its display (bottom-left origin), and the
    displayed width and height."""
    x0, y0, x1, y1 = visible_box(page)
    turn = rotation(page)
    if turn == 90:
        return (0, -1, 1, 0, -y0, x1), y1 - y0, x1 - x0
    if turn == 180:
        return (-1, 0, 0, -1, x1, y1), x1 - x0, y1 - y0
    if turn == 270:
        return (0, 1, -1, 0, y1, -x0), y1 - y0, x1 - x0
    return (1, 0, 0, 1, -x0, -y0), x1 - x0, y1 - y0


class Copier:
    """Copies objects of one source document into ``writer``, each at most once."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self._done: dict[tuple[int, int, int], IndirectObject] = {}
        self._kept: list[object] = []

    def keep(self, document: object) -> None:
        """Hold ``document`` while copying from it: copies are keyed by its ``id()``."""
        self._kept.append(document)

    def resources(self, resources: Any) -> DictionaryObject:
        """The kinds of resources a drawing uses, copied."""
        out = DictionaryObject()
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return out
        for kind in RESOURCE_KINDS:
            if kind in resources:
                out[NameObject(kind)] = self.copy(resources[kind])
        return out

    def copy(self, obj: Any) -> PdfObject:
        if isinstance(obj, IndirectObject):
            return self._indirect(obj)
        if isinstance(obj, StreamObject):
            return self._stream(obj)
        if isinstance(obj, DictionaryObject):
            self._check(obj)
            out = DictionaryObject()
            self._fill(out, obj)
            return out
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(value) for value in obj)
        return obj if isinstance(obj, PdfObject) else NullObject()

    def _indirect(self, ref: IndirectObject) -> PdfObject:
        key = (id(ref.pdf), ref.idnum, ref.generation)
        if key in self._done:
            return self._done[key]
        target = ref.get_object()
        if isinstance(target, DictionaryObject) and _refused(target):
            return NullObject()
        if isinstance(target, StreamObject):
            self._check(target)
            stream = StreamObject()
            self._done[key] = self.writer._add_object(stream)
            self._fill(stream, target)
            # Still encoded: /Filter and its parameters come along.
            stream._data = _jpeg_without_metadata(target._data) if _is_jpeg(target) \
                else target._data
            return self._done[key]
        if isinstance(target, DictionaryObject):
            self._check(target)
            holder = DictionaryObject()
            # Registered before it is filled, so a cycle (a form using itself) ends here.
            self._done[key] = self.writer._add_object(holder)
            self._fill(holder, target)
            return self._done[key]
        copied = self.copy(target)
        self._done[key] = self.writer._add_object(copied)
        return self._done[key]

    def _stream(self, obj: StreamObject) -> PdfObject:
        self._check(obj)
        stream = StreamObject()
        self._fill(stream, obj)
        stream._data = _jpeg_without_metadata(obj._data) if _is_jpeg(obj) else obj._data
        return self.writer._add_object(stream)

    def _fill(self, out: DictionaryObject, src: DictionaryObject) -> None:
        for key, value in src.items():
            if key == "/Properties":  # a nested form's: dropped, but layers are noticed
                _scan_properties(src)
            if key in DROP_KEYS or key == "/Length":
                continue
            if isinstance(value, DictionaryObject | IndirectObject) and _is_refused(value):
                continue
            out[NameObject(key)] = self.copy(value)

    @staticmethod
    def _check(obj: DictionaryObject) -> None:
        if "/OC" in obj or obj.get("/Type") in OPTIONAL_CONTENT:
            raise NeedsRaster("the page uses optional content (layers)")


# JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform)
# and everything that is not an application or comment segment. Dropped: APP1 (EXIF, XMP),
# APP13 (IPTC), the other vendors' APPn, COM.
_JPEG_KEPT_APPS = {0xE0, 0xE2, 0xEE}


def _is_jpeg(stream: StreamObject) -> bool:
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    return names == ["/DCTDecode"]


def _jpeg_without_metadata(data: bytes) -> bytes:
    """``data`` without its metadata segments; unchanged if it is not a JPEG we can walk."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out, pos = [data[:2]], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan (or end): the rest is image data
            out.append(data[pos:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            out.append(data[pos:pos + 2])
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return data
        dropped = (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APPS) or marker == 0xFE
        if not dropped:
            out.append(data[pos:end])
        pos = end
    return data


def _refused(obj: DictionaryObject) -> bool:
    return obj.get("/Type") in REFUSED_TYPES


def _is_refused(value: Any) -> bool:
    target = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(target, DictionaryObject) and _refused(target)


def page_form(copier: Copier, page: PageObject) -> tuple[IndirectObject, float, float]:
    """The page's drawing as a Form XObject in the copier's writer, placed as displayed, and
    the displayed width and height. Raises ``NeedsRaster``."""
    resources = page.get("/Resources")
    if isinstance(resources, DictionaryObject | IndirectObject):
        _scan_properties(resources.get_object())
    matrix, width, height = display_matrix(page)
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    form = StreamObject()
    form._data = data
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in visible_box(page)),
        NameObject("/Matrix"): ArrayObject(_number(v) for v in matrix),
        NameObject("/Resources"): copier.resources(resources),
    })
    group = page.get("/Group")
    if isinstance(group, DictionaryObject | IndirectObject):
        form[NameObject("/Group")] = copier.copy(group)
    return copier.writer._add_object(form.flate_encode()), width, height


def _scan_properties(resources: Any) -> None:
    """Optional content named by a page's marked-content properties: see ``NeedsRaster``."""
    props = resources.get("/Properties") if isinstance(resources, DictionaryObject) else None
    props = props.get_object() if props is not None else None
    if isinstance(props, DictionaryObject):
        for value in props.values():
            value = value.get_object()
            if isinstance(value, DictionaryObject) and value.get("/Type") in OPTIONAL_CONTENT:
                raise NeedsRaster("the page uses optional content (layers)")


def _number(value: float) -> PdfObject:
    return NumberObject(int(value)) if float(value).is_integer() else FloatObject(value)
