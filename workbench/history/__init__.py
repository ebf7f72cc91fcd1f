"""The library's history: who did what, newest first (issue 19, "who did what").

Every change is an audit event naming its author; this reads them back a page at a time
(newest first, keyed by event id, so a library of 100k events opens its history as fast as
one of ten), filtered by author and by kind, as ``HistoryRow`` values whose ``what`` is a
sentence a person reads (``sentences.py``). The chain itself is checked by ``chain.py``.

Shown: what the event records (ids, counts, formats, a redaction's label) with the names,
titles and highlight quotes the library holds now. Never shown: a note's or a commentary's
text, a redaction's reason or its term (``PRIVATE_NOTICE`` says so in the view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..library import Library
    from ..progress import CancelToken, ProgressFn
    from .chain import ChainCheck

__all__ = ["KINDS", "PRIVATE_NOTICE", "HistoryMixin", "HistoryPage", "HistoryRow", "kind_of",
           "local_time"]

PRIVATE_NOTICE = ("Notes, commentary and the reasons and terms of redactions are never shown "
                  "here (a redaction's label is); titles and quotes are as the library holds "
                  "them now, and times are this computer's.")
# The kinds a person filters by, in the order a menu lists them, with their labels.
KINDS: dict[str, str] = {
    "import": "Imports", "document": "Documents", "highlight": "Highlights", "tag": "Tags",
    "dossier": "Dossiers", "export": "Exports", "chronology": "Chronology",
    "entity": "Entities", "check": "Checks", "library": "Library and settings",
}
# Kinds named by the event's type, whatever it is about
# (audit.INGESTION, DISSEMINATION, FIXITY_CHECK: spelt out, as the command line loads this
# module to list the kinds and must not load audit.py's SQLAlchemy for it)
_BY_TYPE = {"ingestion": "import", "dissemination": "export", "fixity check": "check"}
# the rest by what the event is about; anything else is "library"
_BY_OBJECT: dict[str, tuple[str, ...]] = {
    "document": ("document", "collection", "document_copy", "originals"),
    "highlight": ("highlight", "highlights", "highlight_link"),
    "tag": ("tag",), "dossier": ("dossier",), "chronology": ("event", "events"),
    "entity": ("entity",),
}
_OBJECT_KIND = {ot: kind for kind, ots in _BY_OBJECT.items() for ot in ots}


def kind_of(event_type: str, object_type: str) -> str:
    return _BY_TYPE.get(event_type) or _OBJECT_KIND.get(object_type, "library")


def local_time(at: str) -> str:
    """An event's UTC time (as recorded) in this computer's time zone, to the second."""
    from ..timeutil import parse_iso_utc

    when = parse_iso_utc(at)
    return at if when is None else when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class HistoryRow:
    """One change: when (``at``, ISO-8601 UTC as recorded), who, which kind, and ``what``
    was done, as a sentence without its subject."""

    id: int
    at: str
    author: str | None  # None for events written before authors were recorded (0006)
    actor: str  # the account the program ran under
    kind: str
    event_type: str
    object_type: str
    object_id: str | None
    what: str

    @property
    def who(self) -> str:
        return self.author or f"{self.actor} (no author recorded)"

    @property
    def sentence(self) -> str:
        return f"{self.author or self.actor} {self.what}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "author": self.author, "actor": self.actor,
                "kind": self.kind, "type": self.event_type, "object_type": self.object_type,
                "object_id": self.object_id, "what": self.what, "sentence": self.sentence}


@dataclass(frozen=True)
class HistoryPage:
    rows: list[HistoryRow] = field(default_factory=list)
    # pass as ``before`` for the next, older page; None when there is none
    before: int | None = None


class HistoryMixin:
    """The facade's part: the history a window or ``workbench history`` shows."""

    library: Library

    def history(self, limit: int = 100, before: int | None = None, author: str | None = None,
                kind: str | None = None) -> HistoryPage:
        """Up to ``limit`` changes older than event ``before`` (None: the newest), newest
        first, of ``author`` and of ``kind`` (a key of ``KINDS``) when given."""
        from .query import history

        return history(self.library, limit=limit, before=before, author=author, kind=kind)

    def history_authors(self) -> list[str]:
        """Everyone who wrote an event, in alphabetical order."""
        from .query import authors

        return authors(self.library)

    def record_left_events(self) -> int:
        """Append the audit events left by exports and checks run while this process held
        the library (``pending_events``); how many. Nothing on a library opened read-only."""
        from ..pending_events import record_left

        return record_left(self.library) if self.library.writable else 0

    def verify_audit_chain(self, progress: ProgressFn | None = None,
                           cancel: CancelToken | None = None) -> ChainCheck:
        """Walk the whole audit chain (every author's events), a batch at a time, reporting
        ``progress`` and stopping with ``Cancelled`` when ``cancel`` is set. A read: it
        records nothing (``verify`` also re-hashes the originals and records its check)."""
        from .chain import check_chain

        return check_chain(self.library, progress, cancel)
