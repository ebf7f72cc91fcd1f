"""The values the import pipeline hands around: plan, per-file outcomes, progress, options.

Kept apart from the pipeline itself so a UI can build, show and confirm a plan, and read a
report, with nothing but plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Cancelled
from .extract import Limits
from .extract.formats import Format

# Outcome statuses
IMPORTED = "imported"
IMPORTED_WITH_PROBLEMS = "imported with problems"
DUPLICATE = "duplicate"
CANCELLED = "cancelled"


@dataclass
class PlanItem:
    path: Path
    status: str  # new | duplicate | failed
    sha256: str | None = None
    size: int = 0
    format: Format | None = None
    duplicate_of: int | None = None  # document id already in the library
    duplicate_in_batch: Path | None = None  # earlier file of this batch with the same bytes
    error: str | None = None
    failure: str | None = None  # a status from extract.base when status == "failed"


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

    @property
    def failed(self) -> bool:
        return self.status not in (IMPORTED, IMPORTED_WITH_PROBLEMS, DUPLICATE)


@dataclass
class ImportReport:
    outcomes: list[FileOutcome]

    @property
    def imported(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in (IMPORTED, IMPORTED_WITH_PROBLEMS)]

    @property
    def duplicates(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == DUPLICATE]

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.failed]

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
        }


@dataclass
class Progress:
    done: int
    total: int
    current: str
    stage: str


class CancelToken:
    """A flag the UI sets; the pipeline checks it between files and raises ``Cancelled``."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled()


@dataclass
class ImportOptions:
    collection: str | None = None
    source_url: str | None = None
    ocr_languages: str | None = None
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None


ProgressFn = Callable[[Progress], None]
