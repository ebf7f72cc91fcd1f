"""The Whoosh the index's format code is verified against, and the check that refuses another.

The engine does not only call Whoosh's API: ``bulk.py`` writes its segment files (posting
blocks, pickles, term infos) itself, ``bulkquery.py`` cuts ids and weights out of its pickled
blocks by pattern, ``sidecar.py`` is derived from its segments, and ``engine.py`` works
around 2.7.5's bugs through private calls. Another Whoosh could change any of these without
an error: searches would then answer wrongly. So every open or creation of an index checks
the version first (``engine.open_current``, ``engine.new_generation``) and a library's search
index refuses to read or write anything (``hook.SearchIndex``) until the verified version is
installed again. Why refuse rather than rebuild with Whoosh's own writer: docs/SEARCH_ENGINE.md.

The version is read from the ``whoosh`` package actually imported (``versionstring``), not
from installed distribution metadata: it is the code that runs, whatever installed it, and
the standalone build carries no metadata for it.
"""

from __future__ import annotations

from ...errors import SearchEngineMismatch

DISTRIBUTION = "whoosh-reloaded"  # pinned exactly in pyproject.toml
VERIFIED = "2.7.5"


def installed() -> str:
    """The version of the ``whoosh`` package this process imports."""
    import whoosh

    return str(whoosh.versionstring())


def problem() -> SearchEngineMismatch | None:
    """The error to raise when the installed Whoosh is not the verified one, else None."""
    version = installed()
    if version == VERIFIED:
        return None
    return SearchEngineMismatch(
        f"Search is turned off: the installed Whoosh is version {version}, and Workbench's "
        f"search index is verified only with {DISTRIBUTION} {VERIFIED}",
        f"install that version: pip install '{DISTRIBUTION}=={VERIFIED}', or reinstall "
        "Workbench; the index on disk is left as it is and needs no rebuild")


def check() -> None:
    """Raise ``SearchEngineMismatch`` unless the installed Whoosh is the verified one."""
    error = problem()
    if error is not None:
        raise error
