"""The search engine sits behind one boundary (issue 16): ``workbench/search/backend.py``.

Whoosh is imported only inside the engine's own package, ``workbench/search/whoosh/``; the
UI never reaches into that package (it goes through the facade); the shared analysis loads
no engine; the facade's search methods return typed values; and the Whoosh backend offers
every method of the protocol with the protocol's own signature, so a second backend written
against ``backend.py`` can be swapped in. The import checks read the source with ``ast``.
"""

from __future__ import annotations

import ast
import functools
import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_type_hints

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "workbench" / "search" / "whoosh"


@functools.cache
def _imports(tree: str) -> tuple[tuple[Path, str], ...]:
    """``(file, absolute module)`` for every import in ``tree`` (relative ones resolved), read
    once per tree for the module's tests (parsing is most of their time)."""
    return tuple(_walk(tree))


def _walk(tree: str) -> Iterator[tuple[Path, str]]:
    for path in sorted((ROOT / tree).rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts if path.name == "__init__.py" else parts[:-1]
        if path.name == "__init__.py":
            package = parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[:len(package) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                    for alias in node.names:  # "from . import x" imports the module x too
                        yield path, f"{module}.{alias.name}"
                else:
                    module = node.module or ""
                yield path, module


def test_the_walk_resolves_relative_imports() -> None:
    found = {(p.relative_to(ROOT).as_posix(), m) for p, m in _imports("workbench")}
    assert ("workbench/services.py", "workbench.search.service") in found
    assert any(p.startswith("workbench/search/whoosh/") and m.startswith("whoosh")
               for p, m in found)


def test_nothing_outside_the_engine_package_imports_whoosh() -> None:
    wrong = sorted(f"{p.relative_to(ROOT)}: {m}" for tree in ("workbench", "ui")
                   for p, m in _imports(tree)
                   if (m == "whoosh" or m.startswith("whoosh.")) and ENGINE not in p.parents)
    assert not wrong, wrong


def test_the_old_index_package_is_gone() -> None:
    assert not (ROOT / "workbench" / "index").exists() or \
        not list((ROOT / "workbench" / "index").glob("*.py"))
    wrong = sorted(f"{p.relative_to(ROOT)}: {m}" for tree in ("workbench", "ui")
                   for p, m in _imports(tree) if m.startswith("workbench.index"))
    assert not wrong, wrong


def test_the_ui_never_imports_the_engine_package() -> None:
    wrong = sorted(f"{p.relative_to(ROOT)}: {m}" for p, m in _imports("ui")
                   if m.startswith("workbench.search.whoosh") or m == "whoosh"
                   or m.startswith("whoosh."))
    assert not wrong, wrong


def test_the_core_outside_search_reaches_search_through_its_public_modules() -> None:
    """Callers outside ``workbench/search/`` use the boundary (``workbench.search`` and its
    ``backend``, ``results``, ``analysis`` and ``service``), never the engine."""
    public = {"workbench.search", "workbench.search.backend", "workbench.search.results",
              "workbench.search.analysis", "workbench.search.service"}
    search = ROOT / "workbench" / "search"

    def is_module(name: str) -> bool:
        rel = Path(*name.split(".")[2:])
        return (search / rel).with_suffix(".py").is_file() or (search / rel).is_dir()

    wrong = sorted(f"{p.relative_to(ROOT)}: {m}" for p, m in _imports("workbench")
                   if search not in p.parents and m.startswith("workbench.search.")
                   and is_module(m) and m not in public)
    assert not wrong, wrong


def test_the_shared_analysis_and_parser_load_no_engine() -> None:
    code = ("import sys\n"
            "import workbench.search.analysis, workbench.search.parse, workbench.search.backend\n"
            "import workbench.search.snippets, workbench.search.results\n"
            "print(sorted(m for m in sys.modules if m == 'whoosh' or m.startswith('whoosh.')"
            " or m.startswith('workbench.search.whoosh')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]", out


def test_the_stemmer_is_whooshs_porter_word_for_word() -> None:
    """The index holds Porter stems written by Whoosh's stemmer before the move: the shared
    copy must give the same stem for every word, or plain-word queries would miss."""
    from whoosh.lang.porter import stem as whoosh_stem

    from workbench.search.analysis import stem

    words = ["detention", "detained", "testimonies", "camps", "forced", "labouring",
             "generalization", "relational", "conditional", "rational", "valency",
             "hesitancy", "digitizer", "conformabli", "radicalli", "differentli", "vileli",
             "analogousli", "vietnamization", "predication", "operator", "feudalism",
             "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti",
             "sensibiliti", "triplicate", "formative", "formalize", "electriciti",
             "electrical", "hopeful", "goodness", "revival", "allowance", "inference",
             "airliner", "gyroscopic", "adjustable", "defensible", "irritant",
             "replacement", "adjustment", "dependent", "adoption", "homologou",
             "communism", "activate", "angulariti", "homologous", "effective",
             "bowdlerize", "probate", "rate", "cease", "controll", "roll", "sky", "happy",
             "agreed", "disabled", "matting", "mating", "meeting", "milling", "messing",
             "meetings", "caresses", "ponies", "ties", "caress", "cats", "feed", "plastered",
             "bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping",
             "tanned", "falling", "hissing", "fizzed", "failing", "filing", "xinjiang"]
    assert [stem(w) for w in words] == [whoosh_stem(w) for w in words]


def _public(cls: type) -> list[tuple[str, Any]]:
    return [(n, f) for n, f in inspect.getmembers(cls, inspect.isfunction)
            if not n.startswith("_")]


def test_the_facades_search_methods_return_typed_values() -> None:
    from workbench.search.service import SearchMixin

    untyped = []
    for name, fn in _public(SearchMixin):
        hints = get_type_hints(fn)
        if "return" not in hints or hints["return"] is Any:
            untyped.append(name)
    assert not untyped, untyped


def test_the_whoosh_backend_implements_the_protocol() -> None:
    from workbench.search.backend import SearchBackend
    from workbench.search.whoosh import WhooshBackend

    wanted = {n for n, _f in _public(SearchBackend)}
    assert {"search", "document_matches", "documents_changed", "documents_removed",
            "rebuild", "check", "status", "activity", "wait_idle", "close"} <= wanted
    for name in sorted(wanted):
        ours = inspect.signature(getattr(WhooshBackend, name))
        theirs = inspect.signature(getattr(SearchBackend, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        assert get_type_hints(getattr(WhooshBackend, name)) == \
            get_type_hints(getattr(SearchBackend, name)), name


def test_a_library_search_goes_through_the_protocol(wb: Any) -> None:
    from workbench.search.backend import SearchBackend

    assert isinstance(wb.library.index, SearchBackend)


def test_an_index_written_before_the_move_still_opens() -> None:
    """Whoosh pickles the schema, and with it our tokenizer's module path, into each index's
    table of contents: an index written when the engine lived in ``workbench/index/`` names
    ``workbench.index.schema`` and must open without a rebuild."""
    import pickle

    from workbench.search.whoosh.schema import WorkbenchTokenizer, build_schema

    old = pickle.dumps(build_schema(), protocol=2).replace(  # names as text: replaceable
        b"workbench.search.whoosh.schema", b"workbench.index.schema")
    assert b"workbench.index.schema" in old
    schema = pickle.loads(old)
    assert isinstance(schema["body"].analyzer, WorkbenchTokenizer)
