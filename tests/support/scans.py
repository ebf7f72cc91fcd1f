"""Rendered "scans" in the scripts users collect: English, Chinese, Arabic and Uyghur.

The fonts are the ones the repository bundles for PDF export (``resources/fonts``: Noto Sans,
Noto Sans CJK SC for GB 2312, Noto Naskh Arabic), so the tests need no font package. Arabic
letters join only with Pillow's complex text layout (libraqm, which loads the system's
fribidi); ``ARABIC_SHAPING`` says whether it is there.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.formats import text_image

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
LATIN_FONT = FONTS / "NotoSans-Regular.ttf"
CJK_FONT = FONTS / "NotoSansCJKsc-Regular-GB2312.otf"
ARABIC_FONT = FONTS / "NotoNaskhArabic-Regular.ttf"

# Two short lines per script: enough words for Tesseract's script detection and confidence,
# few enough to keep each OCR well under a second.
TEXTS = {
    "en": "Report on human rights\nForced labour in the region",
    "zh": "新疆人权状况报告\n强迫劳动问题的调查结果",
    "ar": "تقرير عن حقوق الإنسان\nالعمل القسري في المنطقة",
    "ug": "كىشىلىك ھوقۇق دوكلاتى\nمەجبۇرىي ئەمگەك مەسىلىسى",
}
FONT = {"en": LATIN_FONT, "zh": CJK_FONT, "ar": ARABIC_FONT, "ug": ARABIC_FONT}


def arabic_shaping() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


def scan(language: str, text: str | None = None, *, size: int = 44, width: int = 720) -> object:
    """A white page with ``text`` (else the sample text of ``language``) in black."""
    return text_image(text or TEXTS[language], font=FONT[language], size=size, width=width)


def make_scan(path: Path, language: str, text: str | None = None, **kwargs: int) -> Path:
    scan(language, text, **kwargs).save(str(path))  # type: ignore[attr-defined]
    return path


def make_multipage_tiff(path: Path, languages: list[str]) -> Path:
    """One page per language, each with that language's sample text."""
    frames = [scan(lang) for lang in languages]
    frames[0].save(str(path), save_all=True, append_images=frames[1:],  # type: ignore[attr-defined]
                   compression="tiff_deflate")
    return path
