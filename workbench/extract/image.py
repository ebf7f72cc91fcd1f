"""Images and scans (PNG, JPEG, TIFF incl. multi-page, WebP, BMP): OCR text per page.

Each frame of a multi-page TIFF is a page. The text comes from Tesseract (see ``ocr.py``) and
the text layer carries OCR provenance: method "ocr", the languages (chosen per page from its
script unless set) and the engine version; how they were chosen and the mean word confidence
become metadata.
Without Tesseract the image still imports, with the problem "no text layer — install
tesseract to OCR". EXIF date, artist and description become metadata.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import TOO_LARGE, UNREADABLE, Extraction, ExtractOptions
from .ocr import NO_TESSERACT, OcrRun, available, budget_for, resolve_languages

MAX_PAGES = 5_000
EXIF_FIELDS = {0x010E: "description", 0x013B: "author", 0x010F: "camera_make",
               0x0110: "camera_model", 0x0132: "modified"}
EXIF_IFD, DATE_ORIGINAL = 0x8769, 0x9003


def _open(path: Path) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(path)
        image.size  # noqa: B018 - header parsed
        return image
    except Image.DecompressionBombError as exc:
        raise ExtractionError(TOO_LARGE, "the image is too large to read safely "
                                         f"({exc.__class__.__name__})") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, TypeError) as exc:
        raise ExtractionError(UNREADABLE, "not a readable image") from exc


def _frame_count(image: Any, problems: list[str]) -> int:
    """Pages in the file; for a damaged multi-page file, the pages before the damage."""
    try:
        return int(getattr(image, "n_frames", 1) or 1)
    except (TypeError, OSError, ValueError, EOFError):
        pass
    count = 0
    try:
        while count < MAX_PAGES:
            image.seek(count)
            count += 1
    except (TypeError, OSError, ValueError, EOFError):
        pass
    problems.append(f"the file is damaged after page {count}; later pages are missing")
    if count == 0:
        raise ExtractionError(UNREADABLE, "not a readable image (damaged)")
    return count


def _frame(image: Any, index: int) -> Any:
    from PIL import ImageOps

    image.seek(index)
    frame = image.convert("L") if image.mode not in ("L", "RGB") else image.copy()
    # A phone photo stored sideways with an EXIF orientation: Tesseract needs it upright.
    return ImageOps.exif_transpose(frame) if index == 0 else frame


def _exif(image: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    try:
        exif = image.getexif()
    except Exception:
        return meta
    for tag, key in EXIF_FIELDS.items():
        value = exif.get(tag)
        if isinstance(value, str) and value.strip("\x00 "):
            meta[key] = value.strip("\x00 ")
    try:
        original = exif.get_ifd(EXIF_IFD).get(DATE_ORIGINAL)
    except Exception:
        original = None
    date = original or meta.get("modified")
    if isinstance(date, str) and len(date) >= 10 and date[:4].isdigit():
        meta["published"] = date[:10].replace(":", "-")
    if meta.get("description"):
        meta["title"] = meta["description"][:200]
    return meta


class ImageExtractor:
    name = "tesseract"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        from PIL import Image

        image = _open(path)
        problems: list[str] = []
        with image:
            count = _frame_count(image, problems)
            meta: dict[str, Any] = {
                "media_type": Image.MIME.get(image.format or "", "image/*"),
                "width": image.size[0], "height": image.size[1],
            }
            meta.update(_exif(image))
            if count > 1:
                meta["frames"] = count
            numbers = list(range(1, min(count, MAX_PAGES) + 1))
            if count > MAX_PAGES:
                problems.append(f"only the first {MAX_PAGES} of {count} pages were read")
            if not available():
                return Extraction(pages=[""] * len(numbers), extractor=self.name,
                                  extractor_version=self.version, metadata=meta,
                                  problems=[NO_TESSERACT, *problems])
            languages, lang_problems = resolve_languages(options.ocr_languages)
            run = OcrRun(languages, budget_for(options.extra))
            try:
                texts = run.run((n, partial(_frame, image, n - 1)) for n in numbers)
            except Image.DecompressionBombError as exc:
                raise ExtractionError(TOO_LARGE, "a page of the image is too large to read "
                                                 "safely") from exc
            except (OSError, ValueError, EOFError) as exc:
                raise ExtractionError(UNREADABLE, "the image is damaged "
                                                  f"({type(exc).__name__})") from exc
        problems = lang_problems + problems + run.summary(numbers)
        meta.update(run.metadata())
        return Extraction(pages=[texts.get(n, "") for n in numbers], extractor=self.name,
                          extractor_version=f"{self.version}+{run.provenance()}",
                          metadata=meta, problems=problems, method="ocr",
                          languages=run.layer_languages(), ocr_words=_word_boxes(run.words))


def _word_boxes(words: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """OCR's word boxes as ``Extraction.ocr_words``: an image page is one point per pixel, which
    is how the page viewer sizes it, so the pixels read are the page's points."""
    return [{"page": number, "width": float(read["width"]), "height": float(read["height"]),
             "words": read["words"]} for number, read in sorted(words.items())]
