"""The extraction worker: a separate process that runs extractors under resource limits.

Protocol (one JSON object per line): the parent writes ``{"path", "kind", "options"}`` to
stdin; the worker answers ``{"ok": true, "result": {...}}`` or
``{"ok": false, "status": ..., "error": ...}`` on its own stdout. The memory limit is set by
the worker on itself (RLIMIT_AS), so no code runs between fork and exec in a threaded parent.
The time limit is the parent's job: it kills a worker that does not answer in time.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from ..errors import ExtractionError
from .base import (
    CRASHED,
    PAGE_SEPARATOR,
    PRELOAD_OPTION,
    TOO_LARGE,
    UNSUPPORTED,
    Extraction,
    ExtractOptions,
)
from .formats import by_kind

_cache: dict[str, Any] = {}


def _limit_memory(limit_bytes: int) -> None:
    if limit_bytes <= 0:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    except (ImportError, ValueError, OSError):
        pass  # not enforceable on this platform; the time limit still holds


def _extractor(kind: str) -> Any:
    spec = by_kind(kind).extractor
    if spec not in _cache:
        module, _, cls = spec.partition(":")
        _cache[spec] = getattr(importlib.import_module(module), cls)()
    return _cache[spec]


def handle(request: dict[str, Any]) -> dict[str, Any]:
    try:
        opts = ExtractOptions(**request["options"])
        try:
            extractor = _extractor(opts.kind)
        except KeyError:
            return {"ok": False, "status": UNSUPPORTED, "error": f"no extractor for {opts.kind}"}
        result = extractor.extract(Path(request["path"]), opts)
        _sign(result)
        return {"ok": True, "result": result.to_json()}
    except ExtractionError as exc:
        return {"ok": False, "status": exc.status, "error": exc.message}
    except MemoryError:
        return {"ok": False, "status": TOO_LARGE,
                "error": "extraction exceeded the memory limit"}
    except RecursionError:
        return {"ok": False, "status": TOO_LARGE, "error": "the file is nested too deeply"}
    except Exception as exc:
        # Log the type and location only: the message may quote document content.
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        return {"ok": False, "status": CRASHED,
                "error": f"the extractor failed ({type(exc).__name__} at {where})"}


def _sign(result: Extraction) -> None:
    """The text's shingle hashes for its copies (``Extraction.signing``), here where the text
    is and in parallel, not in the importing process after the import. A failure only
    leaves them out: the importing process then signs the text itself, as it always could."""
    if result.container or not any(page.strip() for page in result.pages):
        return
    from ..copies.signature import encode_hashes, shingle_hashes, text_sha256

    try:
        text = PAGE_SEPARATOR.join(result.pages)
        result.signing = {"text_sha256": text_sha256(text),
                          "hashes": encode_hashes(shingle_hashes(text))}
    except (MemoryError, RecursionError, ValueError):
        result.signing = {}


def preload(kinds: list[str]) -> None:
    """Import the extractors of ``kinds``, and what signing a text needs, before the first
    file arrives: a prepared worker (``ingest_prepared``) is started while the person still
    chooses files, so the import's first file does not wait for PDFium's bindings. A kind
    that cannot load here fails its files as it always did, when they ask for it."""
    for kind in kinds:
        try:
            _extractor(kind)
        except Exception:  # the file's own request meets and reports the same error
            continue
    if kinds:
        from ..copies import signature  # noqa: F401
        from ..search import analysis  # noqa: F401


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    kinds = [a.removeprefix(PRELOAD_OPTION) for a in sys.argv[2:]
             if a.startswith(PRELOAD_OPTION)]
    for module in sys.argv[2:]:
        if not module.startswith(PRELOAD_OPTION):
            importlib.import_module(module)  # plug-ins that register extra formats
    # Keep the protocol channel private: anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    _limit_memory(limit)
    preload(kinds)
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = handle(json.loads(line))
        try:
            text = json.dumps(reply, ensure_ascii=False)
        except MemoryError:
            text = json.dumps({"ok": False, "status": TOO_LARGE,
                               "error": "the extracted text exceeded the memory limit"})
        out.write(text + "\n")
        out.flush()
    # The parent closed the channel: every answer is written. Exit handlers (a plug-in's
    # clean-up) run, but not the interpreter's teardown of its modules, which takes a
    # worker that has loaded numpy ~0.15 s, and the import waits for it.
    atexit._run_exitfuncs()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
