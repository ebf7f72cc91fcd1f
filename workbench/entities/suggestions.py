"""Names the library suggests for the register; the user confirms each one.

Three sources, each minus the names already registered (compared folded, as the redaction
matcher compares them):

- ``capitalised``: runs of two to four capitalised words (``Human Rights Watch``, ``EKPAR
  ASAT``) found in at least two documents. Only the newest ``MAX_DOCUMENTS`` documents are
  read, each up to ``MAX_CHARS``: suggestions are a starting point, and a register built by
  hand over years must not wait for a read of every text at 100k documents;
- ``alias-group``: the name of each search alias group (its spellings come as ``aliases``);
- ``tag``: tag leaf names under a parent that names a kind (``people/Tursun Ekpar``), or that
  look like a name (every word capitalised).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AliasGroup, DocumentTag, Highlight, HighlightTag, Tag, TextLayer
from ..redact.fold import fold

MAX_DOCUMENTS = 5000
MAX_CHARS = 50_000
MIN_DOCUMENTS = 2

# A word that starts a sentence or a clause, capitalised for that reason only.
_LEADING = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "in", "on", "at", "by", "for", "from", "to",
    "of", "and", "but", "or", "as", "after", "before", "when", "while", "if", "his", "her", "their",
    "its", "our", "my", "your", "he", "she", "it", "they", "we", "i", "mr", "mrs", "ms", "dr",
    "there", "here", "during", "under", "over", "with"
))
_ORGANISATION = frozenset((
    "watch", "department", "ministry", "committee", "council", "bureau", "office", "party", "court",
    "project", "organisation", "organization", "association", "union", "nations", "agency",
    "institute", "university", "company", "group", "bank", "police", "government", "commission",
    "foundation", "network", "centre", "center", "amnesty", "times", "news", "post", "daily"
))
_PLACE = frozenset((
    "province", "region", "county", "city", "prefecture", "camp", "autonomous", "district",
    "village", "town", "river", "mountain", "valley", "island", "republic"
))
_PARENT_KINDS = {
    "person": {
        "people",
        "persons",
        "person",
        "individuals",
        "witnesses",
        "victims",
        "detainees",
        "officials",
        "names",
    },
    "organisation": {"organisations", "organizations", "orgs", "companies", "institutions"},
    "place": {"places", "locations", "sites", "cities", "camps", "regions"},
}
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def _capitalised(word: str) -> bool:
    return word[0].isupper() and (
        len(word) > 1
        and (word.isupper() or word[1:].islower() or any(c.islower() for c in word[1:]))
    )


def capitalised_names(text: str) -> set[str]:
    """The runs of 2-4 capitalised words in ``text`` (leading function words dropped)."""
    text = unicodedata.normalize("NFKC", text)
    found: set[str] = set()
    run: list[str] = []
    last_end = -1

    def close() -> None:
        while run and run[0].lower() in _LEADING:
            run.pop(0)
        if 2 <= len(run) <= 4:
            found.add(" ".join(run))
        run.clear()

    for m in _WORD.finditer(text):
        word = m.group()
        gap = text[last_end : m.start()] if last_end >= 0 else ""
        if run and (gap.strip() or "\n" in gap):  # punctuation or a line ends the name
            close()
        if _capitalised(word):
            run.append(word)
        else:
            close()
        last_end = m.end()
    close()
    return found


def kind_guess(name: str) -> str:
    words = [w.lower() for w in name.split()]
    if any(w in _ORGANISATION for w in words):
        return "organisation"
    if any(w in _PLACE for w in words):
        return "place"
    return "person" if 2 <= len(words) <= 3 else "other"


def _from_texts(s: Session) -> list[dict[str, Any]]:
    latest = select(TextLayer.document_id, TextLayer.text).order_by(
        TextLayer.document_id.desc(), TextLayer.version.desc()
    )
    seen: set[int] = set()
    docs: dict[str, set[int]] = defaultdict(set)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for doc_id, text in s.execute(latest.execution_options(yield_per=100)):
        if doc_id in seen:
            continue  # an older layer of a document already read
        seen.add(doc_id)
        if len(seen) > MAX_DOCUMENTS:
            break
        for name in capitalised_names((text or "")[:MAX_CHARS]):
            key = fold(name)
            docs[key].add(doc_id)
            spelled[key][name] += 1
    out = []
    for key, ids in docs.items():
        if len(ids) < MIN_DOCUMENTS:
            continue
        # The spelling most used, mixed case before capitals (``Ekpar Asat``, not ``EKPAR``).
        name = max(spelled[key].items(), key=lambda kv: (not kv[0].isupper(), kv[1]))[0]
        out.append(
            {
                "name": name,
                "kind_guess": kind_guess(name),
                "documents": len(ids),
                "source": "capitalised",
                "aliases": [],
            }
        )
    return out


def _from_alias_groups(s: Session) -> list[dict[str, Any]]:
    return [
        {
            "name": g.name,
            "kind_guess": "other",
            "documents": 0,
            "source": "alias-group",
            "aliases": [t for t in (g.terms or []) if fold(t) != fold(g.name)],
        }
        for g in s.execute(select(AliasGroup).order_by(AliasGroup.name)).scalars()
    ]


def _tag_documents(s: Session, tag_id: int) -> int:
    ids = set(
        s.execute(select(DocumentTag.document_id).where(DocumentTag.tag_id == tag_id)).scalars()
    )
    ids |= set(
        s.execute(
            select(Highlight.document_id)
            .join(HighlightTag, HighlightTag.highlight_id == Highlight.id)
            .where(HighlightTag.tag_id == tag_id)
        ).scalars()
    )
    return len(ids)


def _from_tags(s: Session) -> list[dict[str, Any]]:
    tags = {t.id: t for t in s.execute(select(Tag)).scalars()}
    parents = {t.parent_id for t in tags.values()}
    out = []
    for t in tags.values():
        if t.id in parents:
            continue  # a branch groups names; it is not one
        parent = tags.get(t.parent_id) if t.parent_id else None
        under = next(
            (
                k
                for k, names in _PARENT_KINDS.items()
                if parent is not None and parent.name.strip().lower() in names
            ),
            None,
        )
        words = t.name.split()
        looks = bool(words) and all(_capitalised(w) for w in words if w[0].isalpha())
        if under is None and not looks:
            continue
        out.append(
            {
                "name": t.name.strip(),
                "kind_guess": under or kind_guess(t.name),
                "documents": _tag_documents(s, t.id),
                "source": "tag",
                "aliases": [],
            }
        )
    return out


def suggestions(s: Session, registered: set[str], limit: int = 50) -> list[dict[str, Any]]:
    """Suggested names, most documents first; ``registered`` holds folded names to leave out."""
    seen = set(registered)
    out = []
    for item in (*_from_tags(s), *_from_alias_groups(s), *_from_texts(s)):
        key = fold(item["name"])
        if not key.strip() or key in seen:
            continue
        seen.add(key)
        out.append(item)
    order = {"tag": 0, "alias-group": 1, "capitalised": 2}
    out.sort(key=lambda x: (-x["documents"], order[x["source"]], x["name"].casefold()))
    return out[: max(0, limit)]
