"""The values the import pipeline hands around: plan, per-file outcomes, options.

Kept apart from the pipeline itself so a UI can build, show and confirm a plan, and read a
report, with nothing but plain data.

The counts, and the words for them, are the same in every step (the GUI's plan, progress and
summary, and the command line): the plan sorts the files given into N **to import**, D
**duplicates skipped** and U that **cannot be imported**; progress (``progress.Progress``)
counts k files imported of those N; the report counts k imported, F failed and C cancelled of
the same N, with the same D and U. Items found inside a file (attachments, mailbox messages)
are counted apart: the plan cannot know them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .extract import Limits
from .extract.formats import Format

if TYPE_CHECKING:
    from .copies.signature import Signature

# Outcome statuses
IMPORTED = "imported"
IMPORTED_WITH_PROBLEMS = "imported with problems"
DUPLICATE = "duplicate"
CANCELLED = "cancelled"
# The library itself could not be written (its disk is full, or it became read-only): the
# file the import stopped on, and the files of the batch it then did not try.
LIBRARY_FULL = "library disk full"
LIBRARY_READ_ONLY = "library read-only"
NOT_ATTEMPTED = "not attempted"


@dataclass
class PlanItem:
    path: Path
    status: str  # new | duplicate | failed
    sha256: str | None = None
    size: int = 0
    format: Format | None = None
    duplicate_of: int | None = None  # document id already in the library
    duplicate_title: str | None = None  # and its title, to name it to a person
    duplicate_in_batch: Path | None = None  # earlier file of this batch with the same bytes
    error: str | None = None
    failure: str | None = None  # a status from extract.base when status == "failed"
    link_target: Path | None = None  # what the path (a symbolic link) pointed to


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass
class ImportPlan:
    items: list[PlanItem]

    @property
    def new(self) -> list[PlanItem]:
        return [i for i in self.items if i.status == "new"]

    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.status] = out.get(item.status, 0) + 1
        return out

    def counts(self) -> dict[str, int]:
        """Files given, and how the plan sorts them (the report's keys of the same name)."""
        summary = self.summary()
        return {"files": len(self.items), "to_import": summary.get("new", 0),
                "duplicates": summary.get("duplicate", 0),
                "cannot_import": summary.get("failed", 0)}

    def headline(self) -> list[str]:
        """The plan in words, one phrase per count: "12 files to import", "1 duplicate
        skipped", "1 cannot be imported" (joined with " · " by the GUI and the CLI)."""
        c = self.counts()
        out = [f"{_n(c['to_import'], 'file')} to import" if c["to_import"]
               else "Nothing new to import"]
        if c["duplicates"]:
            out.append(f"{_n(c['duplicates'], 'duplicate')} skipped")
        if c["cannot_import"]:
            out.append(f"{c['cannot_import']} cannot be imported")
        return out


@dataclass
class FileOutcome:
    path: str
    status: str
    document_id: int | None = None
    sha256: str | None = None
    title: str | None = None
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    parent_id: int | None = None
    # For a file given to the import: the plan's verdict on it (PlanItem.status), which
    # decides where the report counts it. None for an item found inside a file.
    planned: str | None = None
    # The imported text layer's id and text hash, and its text's signature, finished from the
    # shingle hashes of the worker that read it, for finding its copies without reading and
    # shingling the text again (copies.finder).
    signing: tuple[int, str, Signature] | None = field(default=None, repr=False,
                                                       compare=False)

    @property
    def failed(self) -> bool:
        return self.status not in (IMPORTED, IMPORTED_WITH_PROBLEMS, DUPLICATE)


@dataclass
class ImportReport:
    outcomes: list[FileOutcome]
    # Why the batch stopped before its end (the library's disk is full...), else None.
    stopped: str | None = None

    @property
    def imported(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in (IMPORTED, IMPORTED_WITH_PROBLEMS)]

    @property
    def duplicates(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == DUPLICATE]

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.failed]

    def counts(self) -> dict[str, int]:
        """The plan's counts and what became of the files to import: ``imported`` +
        ``failed`` + ``cancelled`` + ``not_attempted`` = ``to_import``. A file is counted
        where the plan put it (a duplicate of a file of the batch that failed stays a skipped
        duplicate; its row says why). Items found inside files are counted apart
        (``inside_*``)."""
        given = [o for o in self.outcomes if o.parent_id is None]
        inside = [o for o in self.outcomes if o.parent_id is not None]
        new = [o for o in given if (o.planned or "new") == "new"]

        def ok(o: FileOutcome) -> bool:
            return o.status in (IMPORTED, IMPORTED_WITH_PROBLEMS)
        return {
            "files": len(given), "to_import": len(new),
            "imported": sum(ok(o) for o in new),
            "failed": sum(o.failed and o.status not in (CANCELLED, NOT_ATTEMPTED)
                          for o in new),
            "cancelled": sum(o.status == CANCELLED for o in new),
            "not_attempted": sum(o.status == NOT_ATTEMPTED for o in new),
            "duplicates": sum(o.planned == "duplicate" for o in given),
            "cannot_import": sum(o.planned == "failed" for o in given),
            "inside_imported": sum(ok(o) for o in inside),
            "inside_failed": sum(o.failed for o in inside),
            "inside_duplicates": sum(o.status == DUPLICATE for o in inside),
        }

    def headline(self) -> list[str]:
        """The result in the plan's words: "12 of 13 files imported", "1 failed",
        "1 duplicate skipped", "1 cannot be imported" (see ``ImportPlan.headline``)."""
        c = self.counts()
        first = (f"{c['imported']} of {_n(c['to_import'], 'file')} imported"
                 if c["to_import"] else "Nothing new imported")
        if c["inside_imported"]:
            first += f", plus {_n(c['inside_imported'], 'item')} found inside them"
        out = [first]
        for key, words in (("failed", "failed"), ("cancelled", "cancelled"),
                           ("not_attempted", "not attempted")):
            if c[key]:
                out.append(f"{c[key]} {words}")
        if c["duplicates"]:
            out.append(f"{_n(c['duplicates'], 'duplicate')} skipped")
        if c["cannot_import"]:
            out.append(f"{c['cannot_import']} cannot be imported")
        if c["inside_failed"]:
            out.append(f"{_n(c['inside_failed'], 'item')} inside could not be imported")
        if c["inside_duplicates"]:
            out.append(f"{_n(c['inside_duplicates'], 'item')} inside already in the library")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": [
                {"id": o.document_id, "sha256": o.sha256, "title": o.title, "path": o.path,
                 "pages": o.pages, "status": o.status, "problems": o.problems,
                 **({"parent_id": o.parent_id} if o.parent_id else {})}
                for o in self.imported
            ],
            "duplicates": [{"path": o.path, "id": o.document_id} for o in self.duplicates],
            "failed": [{"path": o.path, "status": o.status, "error": o.error}
                       for o in self.failed],
            "counts": self.counts(),
            "stopped": self.stopped,
        }


@dataclass
class ImportOptions:
    collection: str | None = None
    source_url: str | None = None
    ocr_languages: str | None = None
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None
    follow_links: bool = False  # read what links in a folder point to outside it
