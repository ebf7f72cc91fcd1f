"""Checking the audit chain alone, a batch at a time, with progress and cancel.

``integrity.verify`` checks everything (originals, texts, the database) and loads every event
at once; the history view asks only "does the chain hold, and where does it not?", on
libraries of 100k events and more, without freezing and with a way to stop. So this walks
the chain in id order in batches (keyset paging: each batch one indexed range read), feeding
``audit.verify_chain``'s own test event by event, and compares the chain's end with the head
kept outside the database (a library whose newest events were cut off still links up).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .. import audit
from ..models import AuditEvent
from ..progress import Progress

if TYPE_CHECKING:
    from ..library import Library
    from ..progress import CancelToken, ProgressFn

BATCH = 5000
STAGE = "Checking the audit chain"


@dataclass(frozen=True)
class ChainCheck:
    """The chain's state: ``events`` checked, every ``problems`` found (by event), the
    head's ``head_problems`` and the ``authors`` whose events it holds."""

    events: int
    problems: list[audit.ChainProblem] = field(default_factory=list)
    head_problems: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.head_problems

    @property
    def first_broken(self) -> int | None:
        return self.problems[0].event_id if self.problems else None

    @property
    def sentence(self) -> str:
        n = f"{self.events:,} event{'s' if self.events != 1 else ''}"
        if self.ok:
            who = ", ".join(self.authors) or "no one named"
            return f"The audit chain of {n} is intact (written by {who})."
        if self.problems:
            first = self.problems[0]
            more = len(self.problems) - 1 + len(self.head_problems)
            return (f"The audit chain of {n} is broken at event {first.event_id}: "
                    f"{first.problem}" + (f" (and {more} more problem{'s' if more != 1 else ''})"
                                          if more else "") + ".")
        return f"The audit chain of {n} links up, but {self.head_problems[0]}."

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "events": self.events, "first_broken": self.first_broken,
                "problems": [{"event_id": p.event_id, "problem": p.problem}
                             for p in self.problems],
                "head_problems": self.head_problems, "authors": self.authors,
                "sentence": self.sentence}


# Plain rows, not ORM objects (which cost most of the time at 100k events): verify_chain
# reads only these attributes, by name.
_COLUMNS = (AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.event_type,
            AuditEvent.object_type, AuditEvent.object_id, AuditEvent.details,
            AuditEvent.prev_hash, AuditEvent.hash, AuditEvent.author)


def _batches(library: Library, cancel: CancelToken | None) -> Iterator[list[Any]]:
    last = 0
    while True:
        if cancel is not None:
            cancel.check()
        with library.read() as s:
            rows = list(s.execute(select(*_COLUMNS).where(AuditEvent.id > last)
                                  .order_by(AuditEvent.id).limit(BATCH)).all())
        if not rows:
            return
        yield rows
        last = rows[-1].id


def check_chain(library: Library, progress: ProgressFn | None = None,
                cancel: CancelToken | None = None) -> ChainCheck:
    from ..integrity import head_problems

    with library.read() as s:
        total = int(s.execute(select(func.count()).select_from(AuditEvent)).scalar() or 0)
    # verify_chain walks one iterable; giving it every batch in turn keeps its state (the
    # previous hash, the expected number) across batches while only one batch is in memory
    done = 0
    authors: set[str] = set()

    def events() -> Iterator[Any]:
        nonlocal done
        for batch in _batches(library, cancel):
            for ev in batch:
                if ev.author:
                    authors.add(ev.author)
                yield ev
            done += len(batch)
            if progress is not None:
                progress(Progress(done, max(total, done), f"event {done:,}", STAGE))

    problems = audit.verify_chain(events())
    if progress is not None and done == 0:
        progress(Progress(0, 0, "", STAGE))
    if cancel is not None:
        cancel.check()
    return ChainCheck(done, problems, head_problems(library),
                      sorted(authors, key=str.casefold))
