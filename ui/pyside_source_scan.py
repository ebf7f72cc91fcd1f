"""PySide's look at every module imported after it, without the source it leaves in memory.

PySide 6 decides, for each module imported once it is loaded, whether that module's
``from __feature__ import …`` switches apply, by reading the module's whole source with
``inspect.getsource`` and looking for "PySide6" (``shibokensupport.feature._mod_uses_pyside``).
That read goes through ``linecache``, which keeps every file's lines: about 20 MB for the
window's ~770 modules, held for as long as the window is open (issue 16: idle memory). The
scan's answer is kept as PySide gives it; only the lines it alone put in the cache are
dropped (a traceback reads them again when it needs them).
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

_WRAPPED = "_workbench_drops_cached_source"


def install() -> bool:
    """Wrap PySide's scan once it is loaded; False when this PySide has no such scan."""
    feature = sys.modules.get("shibokensupport.feature")
    scan: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or scan is None or getattr(scan, _WRAPPED, False):
        return False

    def scan_leaving_no_cache(module: ModuleType) -> bool:
        before = set(linecache.cache)
        try:
            return scan(module)
        finally:
            for name in linecache.cache.keys() - before:
                linecache.cache.pop(name, None)

    setattr(scan_leaving_no_cache, _WRAPPED, True)
    feature._mod_uses_pyside = scan_leaving_no_cache  # type: ignore[attr-defined]
    linecache.clearcache()  # what the scan cached before this call
    return True
