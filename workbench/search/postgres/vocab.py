"""The vocabulary table (``wbsearch.terms``): what prefix, wildcard and fuzzy terms expand to.

One row per term and field (``body``, ``title``) with the number of documents holding it, kept
by the writer in the same transaction as the documents' rows. An expansion keeps the
``MAX_EXPANSION`` most frequent terms (ties alphabetical), as the Whoosh backend does.
Wildcards are ``LIKE`` over the terms, served by a ``pg_trgm`` trigram index when revision
0007 could create the extension; without it the vocabulary is scanned (slower on a large
archive, same answers) and the first such search says so once.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..query_values import within

MAX_EXPANSION = 64

NO_TRIGRAMS = ("Wildcard searches scan the whole vocabulary here: the PostgreSQL server has no "
               "pg_trgm extension in this database (ask its administrator to run CREATE "
               "EXTENSION pg_trgm, then open the library for writing once).")
# As revision 0007 makes it (when it can).
TRIGRAM_INDEX = ("CREATE INDEX IF NOT EXISTS ix_wbsearch_terms_trgm ON wbsearch.terms "
                 "USING gin (term gin_trgm_ops)")


class Vocabulary:
    def __init__(self) -> None:
        self.trigrams: bool | None = None  # None: not yet looked up
        self.told = False  # the missing trigram index was mentioned once
        self.notices: list[str] = []

    def _top(self, session: Session, where: str, params: dict[str, object]) -> set[str]:
        rows = session.execute(text(
            f"SELECT term FROM wbsearch.terms WHERE field = :f AND {where} "
            "ORDER BY df DESC, term LIMIT :n"), {**params, "n": MAX_EXPANSION})
        return {str(t) for (t,) in rows}

    def prefix(self, session: Session, fname: str, prefix: str) -> set[str]:
        """The most frequent terms starting with ``prefix``."""
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self._top(session, "term LIKE :p", {"f": fname, "p": like})

    def like(self, session: Session, fname: str, pattern: str) -> set[str]:
        """The most frequent terms matching the ``LIKE`` ``pattern``."""
        self._check_trigrams(session, pattern)
        return self._top(session, "term LIKE :p", {"f": fname, "p": pattern})

    def near(self, session: Session, fname: str, word: str, dist: int) -> set[str]:
        """The most frequent terms at most ``dist`` edits from ``word`` (insert, delete,
        substitute, swap two neighbours) that share its first letters (one for a word of
        fewer than five, else two), as the Whoosh backend bounds its scan."""
        if not dist:
            return set()
        keep = word[:1 if len(word) < 5 else 2]
        like = keep.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = session.execute(text(
            "SELECT term, df FROM wbsearch.terms WHERE field = :f AND term LIKE :p "
            "AND char_length(term) BETWEEN :lo AND :hi"),
            {"f": fname, "p": like, "lo": len(word) - dist, "hi": len(word) + dist})
        found = {str(t): int(n) for t, n in rows if within(word, str(t), dist)}
        return set(sorted(found, key=lambda t: (-found[t], t))[:MAX_EXPANSION])

    def _check_trigrams(self, session: Session, pattern: str) -> None:
        if self.trigrams is None:
            self.trigrams = session.execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'wbsearch' "
                "AND indexname = 'ix_wbsearch_terms_trgm')")).scalar_one() is True
        if not self.trigrams and not self.told and pattern.startswith(("%", "_")):
            self.told = True
            self.notices.append(NO_TRIGRAMS)


