"""A document's language as a person reads it: its name with its code kept, "English (en)".

The core stores a short code (``workbench.language``: ISO 639-1 where one exists, otherwise
the detector's three-letter code), and the search's ``lang:`` filter and facet work on that
code, so the window shows the name and keeps the code beside it: whoever types ``lang:ary``
or corrects the record's language sees the code they type. Names come from Qt's own table
(``QLocale``); the detector also gives a few codes Qt has no name for, named here
(``EXTRA``, checked against the detector's list by tests/ui/test_language_names.py). A code
neither knows (one typed by hand) is shown as it is.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QLocale

# Codes the language detector (py3langid) can give that Qt 6 does not name, and "no", which
# Qt reads as Norwegian Bokmål although the code names Norwegian as a whole.
EXTRA = {
    "ace": "Acehnese", "ary": "Moroccan Arabic", "arz": "Egyptian Arabic",
    "bcl": "Central Bikol", "crh": "Crimean Tatar", "ext": "Extremaduran",
    "fuv": "Nigerian Fulfulde", "gcf": "Guadeloupean Creole", "gcr": "Guianese Creole",
    "gom": "Goan Konkani", "gug": "Paraguayan Guaraní", "guw": "Gun",
    "hbo": "Ancient Hebrew", "ltg": "Latgalian", "no": "Norwegian", "uzs": "Southern Uzbek",
    "wuu": "Wu Chinese", "zxx": "No linguistic content",
}
_UNNAMED = (QLocale.Language.AnyLanguage, QLocale.Language.C)


@lru_cache(maxsize=512)
def _name(code: str) -> str | None:
    key = code.lower()
    if key in EXTRA:
        return EXTRA[key]
    if not key.isalpha() or not 2 <= len(key) <= 3:
        return None  # "C", a tag such as "zh-Hans": not for Qt's code lookup
    language = QLocale.codeToLanguage(key)
    if language in _UNNAMED:
        return None
    return QLocale.languageToString(language) or None


def language_name(code: str | None) -> str:
    """"English (en)" for ``en``; the code alone when no name is known; "" for none."""
    code = (code or "").strip()
    if not code:
        return ""
    name = _name(code)
    return f"{name} ({code})" if name else code
