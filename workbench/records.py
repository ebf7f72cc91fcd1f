"""A document's record as a user can correct it: title, author, published, source URL, site,
language — each with its current value and the value as captured.

Importers guess these fields from file metadata and web pages, and guesses are sometimes wrong
(a CMS's site-wide title, a byline missing, a date in the wrong field). A researcher must be
able to correct them without losing what was captured: a court may ask what the page said it
was, and what the researcher changed. So:

- the ``Document`` columns (``title``, ``author``, ``published``, ``site``, ``language``) hold
  the current, possibly corrected value — search, lists and every older reader see it;
- the value as captured is copied once, at the first correction of a field, into
  ``Document.extra["corrections"]["captured"][field]`` (a second correction keeps it);
- the source URL as captured stays in ``CollectionRecord.source_url`` (the chain of custody
  is never rewritten); a corrected one lives in ``Document.extra["corrections"]["source_url"]``.

Setting a field back to its captured value (or reverting it) removes the correction.
``record_of`` is the one reader of this layout: the record tab, the command line, citations,
CSL-JSON, the provenance appendix and the search index all ask it, so they cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import UserError
from .language import normalise_code

if TYPE_CHECKING:  # the command line's parser reads FIELDS without loading the ORM
    from .models import CollectionRecord, Document

FIELDS = ("title", "author", "published", "source_url", "site", "language")
DOCUMENT_FIELDS = ("title", "author", "published", "site", "language")  # Document columns
LABELS = {"title": "Title", "author": "Author", "published": "Published",
          "source_url": "Source URL", "site": "Site", "language": "Language"}
INDEXED = frozenset({"title", "published", "source_url", "site", "language"})  # not author

KEY = "corrections"  # the one key of Document.extra this module owns
MAX_TEXT = 1000  # the importer cuts titles here too
MAX_URL = 8000

_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class RecordField:
    """One field of the record: what it says now and what was captured."""

    name: str
    value: str | None
    captured: str | None
    corrected: bool  # the value differs from the captured one because a user changed it

    @property
    def label(self) -> str:
        return LABELS[self.name]

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "captured": self.captured, "corrected": self.corrected}


@dataclass(frozen=True)
class Record:
    fields: tuple[RecordField, ...]

    def __getitem__(self, name: str) -> RecordField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def value(self, name: str) -> str | None:
        return self[name].value

    @property
    def corrections(self) -> list[RecordField]:
        return [f for f in self.fields if f.corrected]

    def to_json(self) -> dict[str, dict[str, Any]]:
        return {f.name: f.to_json() for f in self.fields}


@dataclass(frozen=True)
class FieldChange:
    """One field changed by one edit, as the audit event records it."""

    field: str
    old: str | None
    new: str | None
    reverted: bool  # the field is back to its captured value

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "reverted": self.reverted}


_UNSET: Any = object()


def _corrections(doc: Document) -> dict[str, Any]:
    value = (doc.extra or {}).get(KEY)
    return value if isinstance(value, dict) else {}


def record_of(doc: Document, rec: CollectionRecord | None = _UNSET) -> Record:
    """Each editable field's current and captured value (``rec`` defaults to the document's
    collection record; pass it when it is already loaded)."""
    if rec is _UNSET:
        rec = doc.collection_record
    corr = _corrections(doc)
    captured = corr.get("captured")
    captured = captured if isinstance(captured, dict) else {}
    out: list[RecordField] = []
    for name in FIELDS:
        if name == "source_url":
            was = rec.source_url if rec is not None else None
            now = corr.get("source_url", was)
        else:
            now = getattr(doc, name)
            was = captured.get(name, now)
        out.append(RecordField(name, now, was, now != was))
    return Record(tuple(out))


# --- validation ---------------------------------------------------------------------------


def _plain_text(name: str, value: str) -> str:
    text = value.strip()
    # Line breaks and tabs are kept as given (a title captured from a file may hold them
    # too); other control characters are terminal escapes or NULs, never a real title.
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        raise UserError(f"The {LABELS[name].lower()} contains control characters",
                        "type it again as plain text")
    if len(text) > MAX_TEXT:
        raise UserError(f"The {LABELS[name].lower()} is {len(text)} characters long",
                        f"shorten it to at most {MAX_TEXT}")
    return text


def clean_language(value: str) -> str:
    text = value.strip()
    code = normalise_code(text)
    if not _LANGUAGE_RE.match(text) or code is None:
        raise UserError(f"“{text}” is not a language code",
                        "give an ISO 639 code such as en, zh, ar or ug; a region may follow "
                        "(en-GB), and is stored as the language alone (en)")
    return code


def clean_date(value: str) -> str:
    text = value.strip()
    m = _DATE_RE.match(text)
    ok = m is not None
    if m is not None:
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        try:
            date(year, int(month or 1), int(day or 1))
        except ValueError:
            ok = False
    if not ok:
        raise UserError(f"“{text}” is not a publication date",
                        "write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2022-08-31")
    return text


def clean_url(value: str) -> str:
    text = value.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    bad_chars = any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text)
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host or bad_chars:
        raise UserError(f"“{text}” is not a web address",
                        "give the full address, starting with http:// or https://")
    if len(text) > MAX_URL:
        raise UserError(f"The source URL is {len(text)} characters long",
                        f"shorten it to at most {MAX_URL}")
    return text


def clean_value(name: str, value: str | None) -> str | None:
    """The value to store for ``name``, or a ``UserError`` saying how to write it.

    An empty value clears the field (there is no author, the page has no date); only the
    title cannot be empty. Going back to the captured value is a revert, not an empty value.
    """
    if name not in FIELDS:
        raise UserError(f"Cannot edit {name}", f"editable fields: {', '.join(FIELDS)}")
    if value is None or not value.strip():
        if name == "title":
            raise UserError("A title cannot be empty",
                            "type a title, or revert the title to the one captured")
        return None
    if name == "language":
        return clean_language(value)
    if name == "published":
        return clean_date(value)
    if name == "source_url":
        return clean_url(value)
    return _plain_text(name, value)


# --- applying an edit ---------------------------------------------------------------------


def _target(field: RecordField, raw: str | None) -> str | None:
    """The value an edit asks for. Typing the captured value back is a revert, and is taken
    as it is: an importer may have captured a date or code in a form we would not accept
    from a person ("August 31, 2022"), and going back to it must still be possible."""
    if raw is not None and field.captured is not None and raw.strip() == field.captured.strip():
        return field.captured
    return clean_value(field.name, raw)


def apply_edit(doc: Document, rec: CollectionRecord | None, values: Mapping[str, str | None],
               revert: Iterable[str] = ()) -> list[FieldChange]:
    """Validate every value first, then change ``doc`` (inside the caller's transaction).

    ``values`` sets fields (empty clears); ``revert`` names fields to put back as captured.
    Fields whose value would not change are left out of the result; nothing is written when
    any value is invalid.
    """
    reverts = list(dict.fromkeys(revert))
    for name in [*values, *reverts]:
        if name not in FIELDS:
            raise UserError(f"Cannot edit {name}", f"editable fields: {', '.join(FIELDS)}")
    both = sorted(set(values) & set(reverts))
    if both:
        raise UserError(f"Both a new value and a revert were given for {', '.join(both)}",
                        "give one or the other")
    current = record_of(doc, rec)
    targets = {name: _target(current[name], raw) for name, raw in values.items()}
    targets.update({name: current[name].captured for name in reverts})

    corr = dict(_corrections(doc))
    captured = dict(corr.get("captured") or {})
    changes: list[FieldChange] = []
    for name, new in targets.items():
        field = current[name]
        if new == field.value:
            continue
        if name == "source_url":
            if new == field.captured:
                corr.pop("source_url", None)
            else:
                corr["source_url"] = new
        else:
            captured.setdefault(name, field.captured)  # kept once, from the first correction
            if new == captured[name]:
                del captured[name]
            setattr(doc, name, new)
        changes.append(FieldChange(name, field.value, new, new == field.captured))
    if not changes:
        return changes
    if captured:
        corr["captured"] = captured
    else:
        corr.pop("captured", None)
    extra = {k: v for k, v in (doc.extra or {}).items() if k != KEY}
    if corr:
        extra[KEY] = corr
    doc.extra = extra  # a new dict: the JSON column only notices assignment
    return changes
