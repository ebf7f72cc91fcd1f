"""The ``Workbench`` facade: the one API the GUI and the command line both call.

Each domain contributes a mixin (documents, search, annotations, dossiers); every mutation is
one transaction that writes its audit event and returns a ``Changes`` value.
"""

from __future__ import annotations

from pathlib import Path

from .annotate.links import LinksMixin
from .annotate.service import AnnotationsMixin
from .changes import Changes
from .chronology.service import ChronologyMixin
from .copies.service import CopiesMixin
from .documents import DocumentsMixin
from .dossier.service import DossiersMixin
from .entities.service import EntitiesMixin
from .history import HistoryMixin
from .library import Library
from .pages.service import PagesMixin
from .search.service import SearchMixin
from .shared.feed import SharedChangesMixin
from .shared.roles import RolesMixin
from .xray_service import XrayMixin

__all__ = ["Changes", "Workbench"]


class Workbench(DocumentsMixin, SearchMixin, AnnotationsMixin, DossiersMixin, PagesMixin,
                XrayMixin, LinksMixin, EntitiesMixin, ChronologyMixin, CopiesMixin,
                SharedChangesMixin, RolesMixin, HistoryMixin):
    def __init__(self, library: Library) -> None:
        self.library = library

    @classmethod
    def open(cls, path: str | Path, *, writable: bool = True, create: bool = False,
             program: str = "workbench", passphrase: str | None = None,
             index_on_first_use: bool = False) -> Workbench:
        """Open (or with ``create``, create) the library at ``path``; an encrypted library
        needs its ``passphrase`` (``PassphraseRequired``, ``WrongPassphrase``).
        ``index_on_first_use``: the search index is attached by the first call that needs it
        or by ``attach_index``, not during the open (the desktop app, issue 16)."""
        from .malloc_arenas import limit_arenas

        limit_arenas()  # before the library's threads start
        if create:
            return cls(Library.create(Path(path), program=program, passphrase=passphrase,
                                      index_on_first_use=index_on_first_use))
        return cls(Library.open(Path(path), writable=writable, program=program,
                                passphrase=passphrase, index_on_first_use=index_on_first_use))

    def attach_index(self) -> None:
        """Attach the search index now if it is not yet: its writer then checks it against
        the database and repairs any drift, as an open that attaches at once does."""
        self.library.index  # noqa: B018 - the property attaches it

    def close(self) -> None:
        self.stop_listening()  # no word of others' changes to a library that is closed
        self.close_prepared_import()
        self.library.close()

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
