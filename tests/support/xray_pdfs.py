"""Hand-written PDFs for the failed-redaction check: raw content streams, small and readable.

Each page is a content stream (PDF operators as text), optional annotation dictionaries and
optional images; the writer adds the catalog, the page tree, one standard font (``/F1``,
Helvetica: no font file, PDFium knows its metrics), a transparency state (``/Half``: fill and
stroke alpha 0.5) and a correct cross-reference table. The helpers below build the layouts the
tests name: a black box over a name, white text on white, a shaded table header, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

WIDTH, HEIGHT = 612, 792  # US Letter, in points


@dataclass
class Image:
    """An uncompressed RGB image XObject, ``pixels`` rows of (r, g, b) bytes."""

    width: int
    height: int
    rgb: bytes


@dataclass
class Page:
    content: str
    # Annotation dictionaries; ``{AP}`` in one is replaced by a reference to an appearance
    # stream whose content is ``appearances[i]`` (same index) with a BBox the annotation's size.
    annots: list[str] = field(default_factory=list)
    appearances: dict[int, tuple[str, str]] = field(default_factory=dict)  # i -> (bbox, content)
    images: dict[str, Image] = field(default_factory=dict)
    rotate: int = 0
    forms: dict[str, str] = field(default_factory=dict)  # name -> content of a form XObject


def text(x: float, y: float, words: str, *, size: float = 12, colour: str = "0 g",
         mode: int = 0) -> str:
    """One line of Helvetica text with its baseline at (x, y) in PDF user space."""
    escaped = words.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 {size} Tf {colour} {mode} Tr {x} {y} Td ({escaped}) Tj ET\n"


def box(x0: float, y0: float, x1: float, y1: float, colour: str = "0 g") -> str:
    """A filled rectangle (user space, y up)."""
    return f"q {colour} {x0} {y0} {x1 - x0} {y1 - y0} re f Q\n"


def pdf_bytes(pages: list[Page]) -> bytes:
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes | str) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        return (f"<< {extra} /Length {len(data)} >>\nstream\n".encode("latin-1") + data
                + b"\nendstream")

    catalog = add("<< /Type /Catalog /Pages 2 0 R >>")
    pages_id = add("")  # filled in below
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               "/Encoding /WinAnsiEncoding >>")
    half = add("<< /Type /ExtGState /ca 0.5 /CA 0.5 >>")
    kids: list[int] = []
    for page in pages:
        xobjects = []
        for name, img in page.images.items():
            oid = add(stream(img.rgb, f"/Type /XObject /Subtype /Image /Width {img.width} "
                                      f"/Height {img.height} /ColorSpace /DeviceRGB "
                                      f"/BitsPerComponent 8"))
            xobjects.append(f"/{name} {oid} 0 R")
        for name, body in page.forms.items():
            oid = add(stream(body.encode("latin-1"),
                             f"/Type /XObject /Subtype /Form /BBox [0 0 {WIDTH} {HEIGHT}] "
                             f"/Resources << /Font << /F1 {font} 0 R >> >>"))
            xobjects.append(f"/{name} {oid} 0 R")
        content = add(stream(page.content.encode("latin-1")))
        annots = []
        for i, annot in enumerate(page.annots):
            if i in page.appearances:
                bbox, body = page.appearances[i]
                ap = add(stream(body.encode("latin-1"),
                                f"/Type /XObject /Subtype /Form /BBox [{bbox}] "
                                f"/Resources << /Font << /F1 {font} 0 R >> >>"))
                annot = annot.replace("{AP}", f"{ap} 0 R")
            annots.append(add(annot))
        resources = (f"<< /Font << /F1 {font} 0 R >> /ExtGState << /Half {half} 0 R >> "
                     f"/XObject << {' '.join(xobjects)} >> >>")
        annot_list = f"/Annots [{' '.join(f'{a} 0 R' for a in annots)}]" if annots else ""
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {WIDTH} "
                        f"{HEIGHT}] /Rotate {page.rotate} /Resources {resources} "
                        f"/Contents {content} 0 R {annot_list} >>"))
    objects[pages_id - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids ["
                             + " ".join(f"{k} 0 R" for k in kids) + "] >>").encode("latin-1")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def write(path: Path, pages: list[Page]) -> Path:
    path.write_bytes(pdf_bytes(pages))
    return path


# --- the layouts the tests name ---------------------------------------------------------------

NAME = "Aygul Tursun"  # the "redacted" witness name
BODY = "The witness told investigators what happened at the camp."


def ordinary_page() -> Page:
    return Page(text(72, 700, BODY) + text(72, 680, "Nothing on this page is hidden."))


def black_box_over_text() -> Page:
    """The classic failure: a name typed, then a black rectangle drawn over it."""
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME} (Kashgar)")
                + box(118, 676, 196, 692))


def white_on_white() -> Page:
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME}", colour="1 1 1 rg"))


def text_coloured_like_box() -> Page:
    """Black text on a black box drawn first: a box "over" text that was drawn on top."""
    return Page(text(72, 700, BODY) + box(60, 670, 300, 695) + text(72, 680, NAME))


def annotation_page(annot: str) -> Page:
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME} (Kashgar)"),
                annots=[annot])


def square_annotation(interior: str = "/IC [0 0 0]", extra: str = "") -> Page:
    return annotation_page(f"<< /Type /Annot /Subtype /Square /Rect [118 676 196 692] "
                           f"/C [0 0 0] {interior} /BS << /W 0 >> {extra} >>")


def redact_annotation() -> Page:
    """A redaction marked but never applied: the text is still under the mark."""
    return annotation_page("<< /Type /Annot /Subtype /Redact /Rect [118 676 196 692] "
                           "/QuadPoints [118 692 196 692 118 676 196 676] /IC [0 0 0] >>")


def highlight_annotation() -> Page:
    return annotation_page("<< /Type /Annot /Subtype /Highlight /Rect [118 676 196 692] "
                           "/QuadPoints [118 692 196 692 118 676 196 676] /C [1 1 0] >>")


def stamp_annotation(content: str) -> Page:
    """A Stamp whose appearance is ``content`` (its form space is the annotation's rect)."""
    page = annotation_page("<< /Type /Annot /Subtype /Stamp /Rect [118 676 196 692] "
                           "/AP << /N {AP} >> >>")
    page.appearances[0] = ("0 0 78 16", content)
    return page


def shaded_table_header() -> Page:
    """A light grey header row drawn first, its labels on top, rules drawn last."""
    return Page(box(60, 690, 552, 710, "0.85 g") + text(72, 696, "Name")
                + text(250, 696, "Date") + text(400, 696, "Place")
                + text(72, 676, NAME) + text(250, 676, "2022-09-01") + text(400, 676, "Kashgar")
                + box(60, 689.5, 552, 690.5) + box(60, 669.5, 552, 670.5))


def callout_box() -> Page:
    """A dark blue call-out box with white text on top."""
    return Page(text(72, 720, BODY) + box(60, 640, 552, 700, "0.1 0.2 0.5 rg")
                + text(72, 680, "Key finding: forced labour", colour="1 1 1 rg"))


def semi_transparent_box() -> Page:
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME}")
                + "q /Half gs 0 g 118 676 78 16 re f Q\n")


def light_background_image() -> Page:
    """A light image drawn first over the whole page, the text on top."""
    light = Image(2, 2, bytes([240, 240, 230] * 4))
    return Page(f"q {WIDTH} 0 0 {HEIGHT} 0 0 cm /Bg Do Q\n" + text(72, 700, BODY)
                + text(72, 680, f"Witness: {NAME}"), images={"Bg": light})


def image_over_text() -> Page:
    """An opaque black image pasted over the name after the text was drawn."""
    black = Image(2, 2, bytes(12))
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME}")
                + "q 78 0 0 16 118 676 cm /Im Do Q\n", images={"Im": black})


def scanned_page() -> Page:
    """A page image with invisible OCR text (render mode 3) drawn after it, as OCR tools do."""
    grey = Image(2, 2, bytes([250, 250, 250, 20, 20, 20, 20, 20, 20, 250, 250, 250]))
    return Page(f"q {WIDTH} 0 0 {HEIGHT} 0 0 cm /Scan Do Q\n" + text(72, 700, BODY, mode=3)
                + text(72, 680, f"Witness: {NAME}", mode=3), images={"Scan": grey})


def ocr_under_image() -> Page:
    """Invisible OCR text drawn first, then the page image over it (some scanners' order)."""
    grey = Image(2, 2, bytes([250, 250, 250] * 4))
    return Page(text(72, 700, BODY, mode=3) + f"q {WIDTH} 0 0 {HEIGHT} 0 0 cm /Scan Do Q\n",
                images={"Scan": grey})


def box_in_form() -> Page:
    """The black box drawn inside a form XObject placed after the text."""
    return Page(text(72, 700, BODY) + text(72, 680, f"Witness: {NAME} (Kashgar)")
                + "q /Fm Do Q\n", forms={"Fm": box(118, 676, 196, 692)})
