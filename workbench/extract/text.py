"""Plain text and Markdown: detect the encoding, keep the text as the author wrote it."""

from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from ..errors import ExtractionError
from .base import UNREADABLE, Extraction, ExtractOptions

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


PREFERRED = ["utf_8", "cp1252", "latin_1", "cp1251", "gb18030", "big5", "shift_jis", "cp1256"]


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name): BOM, then strict UTF-8, then charset-normalizer's best guess."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise ExtractionError(UNREADABLE, "the file is not text in any encoding Workbench knows")
    # On a tie, prefer the most widespread legacy code pages: short Western European text
    # decodes equally "well" as cp1250 or cp1257, and guessing those garbles accents.
    top = min((m.chaos, -m.coherence) for m in matches)
    tied = [m for m in matches if (m.chaos, -m.coherence) == top]
    best = min(tied, key=lambda m: PREFERRED.index(m.encoding)
               if m.encoding in PREFERRED else len(PREFERRED))
    return str(best), best.encoding


def first_line_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


class TextExtractor:
    name = "text"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        data = path.read_bytes()
        text, encoding = decode_text(data)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\x00" in text:
            raise ExtractionError(UNREADABLE, "the file holds binary data, not text")
        return Extraction(
            pages=[text],
            extractor=self.name,
            extractor_version=f"{self.version}+charset-normalizer-{charset_normalizer.__version__}",
            metadata={"title": first_line_title(text, ""), "encoding": encoding},
        )
