"""Shared plumbing lives in a module of its own, and every importer reaches it there.

``Progress`` and ``CancelToken`` serve import, export, OCR, backups and the UI's task runner,
so they live in ``workbench.progress``, not among the import pipeline's types. The document
queries that ``annotate/``, ``dossier/``, ``ocr`` and the index share (find a document by
reference, its latest text layer...) live below the facade in ``workbench.document_queries``,
so ``workbench.documents`` is the facade's mixin only. The check reads the source (every
``from ... import`` of workbench/, ui/ and tests/, relative imports resolved), so an import
left behind fails here, not at someone's desk.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("workbench", "ui", "tests")
PLUMBING = {"Progress", "CancelToken", "ProgressFn"}
QUERIES = {"resolve_document", "latest_layer", "iso", "document_summary", "DocumentText",
           "SORT_KEYS", "document_query"}


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _imports() -> tuple[tuple[str, str, frozenset[str]], ...]:
    """``(file, absolute module, names)`` for every ``from X import names`` in the trees, read
    once for the module's tests (parsing the three trees is most of their time)."""
    return tuple(_walk())


def _walk() -> Iterator[tuple[str, str, frozenset[str]]]:
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            here = _module_of(path)
            package = here.split(".") if path.name == "__init__.py" else here.split(".")[:-1]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom):
                    continue
                if node.level:
                    base = package[:len(package) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                yield (str(path.relative_to(ROOT)), module,
                       frozenset(a.name for a in node.names))


def test_the_walk_sees_relative_and_absolute_imports() -> None:
    found = {(f, m) for f, m, _names in _imports()}
    assert ("workbench/services.py", "workbench.documents") in found  # from .documents
    assert ("ui/app.py", "workbench.paths") in found  # from workbench.paths


def test_progress_and_cancel_are_imported_from_their_own_module() -> None:
    wrong = [(f, m, sorted(n & PLUMBING)) for f, m, n in _imports()
             if m in ("workbench.ingest_types", "workbench.ingest") and n & PLUMBING]
    assert not wrong, wrong


def test_the_import_types_no_longer_hold_progress_or_cancel() -> None:
    import workbench.ingest as ingest
    import workbench.ingest_types as ingest_types
    import workbench.progress as progress

    for name in PLUMBING:
        assert not hasattr(ingest_types, name), name
        assert name not in ingest.__all__, name
        assert hasattr(progress, name), name


def test_document_queries_are_imported_below_the_facade() -> None:
    wrong = [(f, sorted(n & QUERIES)) for f, m, n in _imports()
             if m == "workbench.documents" and n & QUERIES]
    assert not wrong, wrong
    # The facade's mixin is imported by the facade alone.
    users = sorted(f for f, m, _n in _imports() if m == "workbench.documents")
    assert users == ["workbench/services.py"], users


def test_the_facade_mixin_defines_no_document_queries() -> None:
    tree = ast.parse((ROOT / "workbench" / "documents.py").read_text(encoding="utf-8"))
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    defined |= {t.id for n in tree.body if isinstance(n, ast.Assign)
                for t in n.targets if isinstance(t, ast.Name)}
    assert not defined & QUERIES, sorted(defined & QUERIES)
    assert "DocumentsMixin" in defined  # really read the module
    from workbench import document_queries

    for name in QUERIES:
        assert hasattr(document_queries, name), name


def test_sqlalchemys_sqlite_dialect_is_spoken_only_in_store() -> None:
    """SQLite-only SQL (an upsert's ON CONFLICT, a PRAGMA) lives in ``workbench.store``, so a
    shared PostgreSQL can serve through the same models (the design's sixth principle)."""
    users = sorted(f for f, m, n in _imports()
                   if f.startswith("workbench/") and (m.startswith("sqlalchemy.dialects.sqlite")
                                                       or (m == "sqlalchemy.dialects"
                                                           and "sqlite" in n)))
    assert users == ["workbench/store.py"], users
