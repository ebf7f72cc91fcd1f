"""The fixed cost of a command: `list`, `show` and `search` import only what they use.

Each command runs in a fresh interpreter, as the `workbench` command line does, on a tiny
library; afterwards the process reports which modules it had loaded. The heavy packages a
command does not need (the PDF, web, office and OCR readers, WeasyPrint, Qt, Alembic, and for
`list`/`show` Whoosh, numpy, SQLAlchemy and the facade too, for `search` the facade) must not
be among them: each costs tens to hundreds of milliseconds of start-up on every call
(tests/bench/bench_cli.py measures the whole).
No timing here: the mechanism is tested, so the test cannot flake on a loaded machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What any of the three read commands must not load (top-level packages).
NEVER = {
    "weasyprint", "PySide6", "shiboken6", "pypdf", "pypdfium2", "lxml", "trafilatura", "PIL",
    "alembic", "docx", "odf", "warcio", "brotli", "pytesseract", "py3langid",
    "charset_normalizer", "confusable_homoglyphs", "cryptography", "sqlcipher3",
}
# The search engine: only `search` needs it.
SEARCH_ONLY = {"whoosh", "numpy", "workbench.search.whoosh.hook", "workbench.search.whoosh.engine"}
# The facade, SQLAlchemy and its ORM (≈ 0.3 s idle): `list`, `show` and `search` read a plain
# library through workbench/fast_read.py instead (`search`: workbench/search/read_only.py).
FACADE = {"sqlalchemy", "workbench.services", "workbench.models", "workbench.store",
          "workbench.library"}
# Workbench's own heavy parts no read command needs: the import pipeline and its
# extractors, export, the index writer, the leak check's scanner, the encryption.
NEVER_OURS = {
    "workbench.ingest", "workbench.extract", "workbench.export", "workbench.search.whoosh.writer",
    "workbench.search.whoosh.rebuild", "workbench.redact.scan", "workbench.backup",
    "workbench.crypto.keys", "workbench.crypto.sealed",
}

DRIVER = (
    "import json, sys\n"
    "from workbench.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as fh:\n"
    "    json.dump({'code': code, 'modules': sorted(sys.modules)}, fh)\n"
)


@pytest.fixture(scope="module")
def tiny_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.services import Workbench

    where = tmp_path_factory.mktemp("cli-imports")
    text = where / "report.txt"
    text.write_text("Forced labour in the region, said the rapporteur's report.\n",
                    encoding="utf-8")
    (where / "second.txt").write_text("The rapporteur heard of labour camps.\n",
                                      encoding="utf-8")
    lib = where / "lib"
    with Workbench.open(lib, create=True, program="tests") as wb:
        report, _changes = wb.import_paths([text, where / "second.txt"])
        assert [o.document_id for o in report.imported] == [1, 2]
        assert wb.wait_for_index(60)
    return lib


def loaded_by(library: Path, *args: str, tmp_path: Path) -> set[str]:
    out = tmp_path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out), "--library", str(library), *args, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["code"] == 0
    return set(found["modules"])


def heavy(modules: set[str], names: set[str]) -> list[str]:
    """The modules of ``names`` (packages and their submodules) that were loaded."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize("command", [["list"], ["show", "1"]], ids=["list", "show"])
def test_list_and_show_load_no_search_engine_nor_readers(
        tiny_library: Path, tmp_path: Path, command: list[str]) -> None:
    modules = loaded_by(tiny_library, *command, tmp_path=tmp_path)
    assert "workbench.fast_read" in modules  # it really opened the library
    assert heavy(modules, NEVER | SEARCH_ONLY) == []
    assert heavy(modules, NEVER_OURS) == []
    assert heavy(modules, FACADE) == []


def test_search_loads_the_engine_but_no_readers_nor_writers_nor_the_facade(
        tiny_library: Path, tmp_path: Path) -> None:
    modules = loaded_by(tiny_library, "search", "labour", tmp_path=tmp_path)
    assert "whoosh" in modules  # it really searched
    assert "workbench.search.read_only" in modules  # on the read path without the facade
    assert heavy(modules, NEVER) == []
    assert heavy(modules, NEVER_OURS) == []  # a reader searches: it writes no index
    assert heavy(modules, {"workbench.services"}) == []


def test_search_loads_no_sqlalchemy(tiny_library: Path, tmp_path: Path) -> None:
    modules = loaded_by(tiny_library, "search", "labour", tmp_path=tmp_path)
    assert "workbench.search.read_only" in modules
    assert heavy(modules, FACADE) == []


@pytest.mark.parametrize("query", [
    "labour", '"forced labour" OR rapport* -camps', '"the rapporteur"~2 labour',
], ids=["term", "phrase-prefix-not", "proximity"])
def test_search_of_a_small_library_loads_no_numpy(
        tiny_library: Path, tmp_path: Path, query: str) -> None:
    # numpy costs ~0.1 s of start-up: a small index is searched in plain Python
    # (workbench/search/whoosh/plain_eval.py), whatever the query's shape.
    modules = loaded_by(tiny_library, "search", query, tmp_path=tmp_path)
    assert "whoosh" in modules and "workbench.search.read_only" in modules
    assert heavy(modules, {"numpy"}) == []


@pytest.fixture(scope="module")
def rebuilt_library(tiny_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny library with its index rebuilt by the bulk writer (a repair, an upgrade):
    its segment keeps the positions in a sidecar only."""
    import shutil

    from workbench.services import Workbench

    lib = tmp_path_factory.mktemp("cli-imports-rebuilt") / "lib"
    shutil.copytree(tiny_library, lib, ignore=shutil.ignore_patterns("*.lock"))
    with Workbench.open(lib, program="tests") as wb:
        wb.reindex()
        assert wb.wait_for_index(60)
    assert list((lib / "index").rglob("*.wbx")), "the rebuild wrote no sidecar"
    return lib


@pytest.mark.parametrize("query", [
    "labour", '"forced labour" OR rapport* -camps', '"the rapporteur"~2 labour',
    "rapp?rteur", "labor~",
], ids=["term", "phrase-prefix-not", "proximity", "wildcard", "fuzzy"])
def test_search_of_a_small_rebuilt_library_loads_no_numpy(
        rebuilt_library: Path, tmp_path: Path, query: str) -> None:
    # A rebuilt index has sidecars (the positions live only there): a small one's are read
    # in plain Python too (workbench/search/whoosh/sidecar_plain.py).
    modules = loaded_by(rebuilt_library, "search", query, tmp_path=tmp_path)
    assert "whoosh" in modules and "workbench.search.read_only" in modules
    assert heavy(modules, {"numpy"}) == []
