"""The error types a user can meet, with messages a person can act on.

Every error the UI shows or the CLI prints is a ``WorkbenchError``; anything else is a bug.
Per-file import failures are values (see ``ingest.FileOutcome``), not exceptions, so that one
bad file never stops a batch.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Root of all errors Workbench reports to a person."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UserError(WorkbenchError):
    """The request cannot be done as asked: wrong id, bad argument, conflicting state."""


class NotFound(UserError):
    """A document, highlight, tag, dossier or file that was named does not exist."""


class ConflictError(UserError):
    """Someone else changed what is being edited since the editor last read it (a shared
    library's optimistic concurrency, ``shared/versions.py``): nothing was written. Names who
    and when, from the audit log, and the row's version now, so the caller can reload or
    overwrite."""

    def __init__(self, message: str, hint: str | None = None, *, author: str = "",
                 at: str = "", version: int = 0) -> None:
        super().__init__(message, hint)
        self.author, self.at, self.version = author, at, version


class LibraryError(WorkbenchError):
    """The library folder cannot be opened, upgraded or written."""


class LibraryLocked(LibraryError):
    """Another process holds the library's writer lock."""


class LibraryReadOnly(LibraryError):
    """The library's folder cannot be written (a read-only disk, share or permissions): it
    can be opened read-only, and every change is refused with this error."""


class LibraryFull(LibraryError):
    """The disk (or quota) holding the library is full: a change could not be written.
    ``detail`` is what failed, in words ("no space left on device while storing the
    original"); an import stops its batch on it (``ingest``)."""

    def __init__(self, message: str, hint: str | None = None, detail: str = "") -> None:
        super().__init__(message, hint)
        self.detail = detail


class PassphraseRequired(LibraryError):
    """The library is encrypted and was opened without its passphrase."""


class WrongPassphrase(LibraryError):
    """The passphrase given does not open the encrypted library's key."""


class LibraryDamaged(LibraryError):
    """The library's database is damaged, empty, or not the one its audit head describes
    (truncated, replaced by an older copy, swapped): writing is refused, ``verify`` reports."""


class IntegrityProblem(WorkbenchError):
    """Stored data failed a check (hash mismatch, broken audit chain, corrupt database)."""


class Cancelled(WorkbenchError):
    """The user cancelled a long-running task; callers treat it as a quiet stop."""

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)


class ExtractionError(WorkbenchError):
    """Text extraction from one file failed; ``status`` says how, for the per-file report."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class MissingTool(WorkbenchError):
    """A feature needs an optional system tool that is not installed (Tesseract for OCR,
    Pango for PDF export): the message names it and what still works, the hint how to add
    it (``workbench.system_tools``)."""


class SearchEngineMismatch(WorkbenchError):
    """The installed Whoosh is not the version the index's format code is verified against
    (``index/whoosh_pin.py``): search is refused rather than risk wrong answers, and the index
    on disk is left as it is."""


class ExportError(WorkbenchError):
    """An export could not be written or failed its own post-write check."""


class RedactionLeak(ExportError):
    """A redacted string was found in an export; the file has been deleted."""


def bug_report(exc: BaseException) -> str:
    """A bug's traceback for a log file: the stack and the exception types, never their
    messages (a message can quote a document, which must not end up in a log on disk)."""
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        stack = traceback.extract_tb(current.__traceback__)
        parts.insert(0, "".join(stack.format()) + f"{type(current).__qualname__}\n")
        current = current.__cause__ or current.__context__
    return "Traceback (messages left out):\n" + "\n".join(parts)
