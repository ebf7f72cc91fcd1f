"""How a long job reports progress and learns it was cancelled: ``Progress``, ``CancelToken``.

Shared by every long job of the core (import, export, OCR, backup and restore, the leak
check) and the UI's task runner, which polls the latest ``Progress`` and sets the token; so
they live here, apart from any one job, and load nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import Cancelled


@dataclass
class Progress:
    """``done`` of ``total`` steps, the one under way named in ``current``, in ``stage``.

    While importing: ``done`` of the plan's ``total`` files to import are finished,
    ``imported`` and ``failed`` of them so far (a UI shows only the latest report, so the
    running counts travel with it). Items found inside a file report the same counts, their
    own name in ``current`` and their place among the file's items in ``inside_done`` of
    ``inside_total`` (an mbox can hold thousands). While planning: ``done`` of ``total``
    files checked."""

    done: int
    total: int
    current: str
    stage: str
    imported: int = 0
    failed: int = 0
    inside_done: int = 0
    inside_total: int = 0


class CancelToken:
    """A flag the UI sets; a long job checks it between steps and raises ``Cancelled``."""

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


ProgressFn = Callable[[Progress], None]
