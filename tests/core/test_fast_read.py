"""`list` and `show` read a plain library without SQLAlchemy (workbench/fast_read.py), and say
exactly what the facade says.

The same command line runs twice over a varied library — many documents, titles in CJK and
Arabic and with a bidi override, deleted documents, corrected records, collections, an OCR
layer with its reading, a failed-redaction finding, a child document, times with and without
microseconds — once on the fast path and once with it switched off (the facade), and stdout,
stderr and the exit code must be the same bytes. The fast reader's methods are compared with
the facade's for every document, so a field the facade adds to `show` later fails here until
the fast path gives it too. Unusual libraries (not found, needs an upgrade, encrypted) are
checked to be served, or handed to the facade, with the same words.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from workbench import cli
from workbench.fast_read import FastReader, Unsupported

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
TITLES = ["新疆强迫劳动报告", "تقرير عن العمل القسري", "Report \u202eevil\u202c title",
          "Tab\there and a very long title " + "x" * 80, "Ümlaut ĳ ﬁ", "Plain"]
PASSPHRASE = "correct horse battery staple 42"


def _texts(where: Path, n: int) -> list[Path]:
    paras = [p.strip() for f in sorted(CORPUS.glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    where.mkdir()
    out = []
    for i in range(n):
        path = where / f"doc-{i:02d}.txt"
        path.write_text("\n\n".join(paras[(i * 3 + k) % len(paras)] for k in range(3)),
                        encoding="utf-8")
        out.append(path)
    return out


def _varied(lib: Path, files: Path) -> None:
    from workbench.ingest import ImportOptions
    from workbench.models import Collection, CollectionMember, Document, Page, TextLayer
    from workbench.services import Workbench

    with Workbench.open(lib, create=True, program="tests") as wb:
        paths = _texts(files, 12)
        wb.import_paths(paths[:8], ImportOptions(collection="案件 A"))
        wb.import_paths(paths[8:], ImportOptions(source_url="https://example.org/a?b=1"))
        for doc_id, title in zip((1, 2, 3, 4, 5, 9), TITLES, strict=True):
            wb.edit_document(doc_id, title=title)
        wb.edit_document(2, author="مؤلف", published="2022-08", site="Site", language="ar")
        wb.edit_document(9, source_url="https://example.org/corrected")
        wb.add_to_collection([2, 9, 10], "Second")
        wb.delete_document(6)
        wb.delete_document(11)
        with wb.library.transaction() as s:
            doc = s.get(Document, 3)
            assert doc is not None
            doc.extra = {**doc.extra, "xray": [{"page": 1}], "ocr_readings": {
                "2": {"ocr_languages_chosen": "eng+ara", "ocr_confidence": 71.5}}}
            doc.problems = ["a page could not be read"]
            doc.parent_id = 1
            layer = TextLayer(document_id=3, version=2, extractor="tesseract",
                              extractor_version="5", method="text+ocr", languages="eng+ara",
                              text="Page one.\fPage two ✓", text_sha256=None)
            s.add(layer)
            s.flush()
            s.add_all([Page(layer_id=layer.id, number=1, start=0, end=9),
                       Page(layer_id=layer.id, number=2, start=10, end=20)])
            rec = s.get(Document, 4)
            assert rec is not None and rec.collection_record is not None
            rec.collection_record.captured_at = datetime(2022, 1, 2, 3, 4, 5, tzinfo=UTC)
            s.add(Collection(name="Empty"))
            s.flush()
            assert s.get(CollectionMember, (1, 1)) is not None


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("fast-read")
    _varied(where / "lib", where / "files")
    return where / "lib"


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each command was served by the fast path (True) or handed to the facade."""
    served: list[bool] = []
    real = cli._run_fast

    def spy(args: Any, secret: str | None) -> Any:
        result = real(args, secret)
        served.append(result is not None)
        return result
    monkeypatch.setattr(cli, "_run_fast", spy)
    return served


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _both(argv: list[str], capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    fast = _run(argv, capsys)
    with monkeypatch.context() as m:
        def refuse(*_a: Any, **_k: Any) -> FastReader:
            raise Unsupported("switched off by the test")
        m.setattr(FastReader, "open", refuse)
        facade = _run(argv, capsys)
    return fast, facade


def _commands(sha: str) -> Iterator[list[str]]:
    # Each runs twice on each path: the few that cover every branch of the output (every
    # document's answer is compared in the next test, without the command line's cost).
    yield from (["list"], ["list", "--collection", "案件 A", "--limit", "3"],
                ["list", "--collection", "Empty"], ["list", "--failed-redactions"])
    for doc in ("2", "3", "4", "9", sha[:8]):
        yield ["show", doc]
    yield from (["show", "3", "--text"], ["show", "3", "--page", "2"])


def test_every_list_and_show_prints_the_same_bytes_on_both_paths(
        library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool]) -> None:
    con = sqlite3.connect(library / "library.sqlite")
    sha = con.execute("SELECT sha256 FROM documents WHERE id = 4").fetchone()[0]
    con.close()
    checked = 0
    for command in _commands(sha):
        for json_flag in ([], ["--json"]):
            argv = ["--library", str(library), *command, *json_flag]
            fast, facade = _both(argv, capsys, monkeypatch)
            assert fast == facade, argv
            assert fast[0] == 0 and fast[1], argv
            checked += 1
    assert spied == [True, False] * checked  # each ran once on each path


def test_the_fast_readers_answers_are_the_facades_for_every_document(library: Path) -> None:
    from workbench.services import Workbench

    with Workbench.open(library, writable=False) as wb, FastReader.open(library) as fast:
        assert fast.list_documents() == wb.list_documents()
        for failed in (False, True):
            for collection in (None, "案件 A", "Second"):
                assert fast.list_documents(collection=collection, failed_redactions=failed) \
                    == wb.list_documents(collection=collection, failed_redactions=failed)
        ids = [d["id"] for d in wb.list_documents()]
        assert {3, 9} <= set(ids) and 6 not in ids and len(ids) == 10
        for doc_id in ids:
            shown = wb.show_document(doc_id)
            assert json.dumps(fast.show_document(doc_id), ensure_ascii=False) == \
                json.dumps(shown, ensure_ascii=False)
            assert fast.document_record(doc_id) == wb.document_record(doc_id)
            text = wb.document_text(doc_id)
            assert (fast.document_text(doc_id).text, fast.document_text(doc_id).pages) == \
                (text.text, text.pages)
        ocr = wb.show_document(3)["text_layers"][1]["ocr"]
        assert ocr == {"languages_chosen": "eng+ara", "confidence": 71.5}  # really compared


@pytest.mark.parametrize("command", [["show", "6"], ["show", "99999"], ["show", "3", "--page",
                                                                         "7"],
                                     ["show", "0000000"]])
def test_what_the_fast_path_does_not_serve_the_facade_words(
        library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool], command: list[str]) -> None:
    argv = ["--library", str(library), *command]
    fast, facade = _both(argv, capsys, monkeypatch)
    assert fast == facade
    assert fast[0] != 0 and fast[2].startswith("workbench: error: ") and "Traceback" not in fast[2]
    assert spied == [False, False]


def test_a_library_that_needs_an_upgrade_is_left_to_the_facade(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        spied: list[bool]) -> None:
    old = tmp_path / "old"
    shutil.copytree(library, old, ignore=shutil.ignore_patterns("index", "*.lock"))
    con = sqlite3.connect(old / "library.sqlite")
    con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.commit()
    con.close()
    code, out, err = _run(["--library", str(old), "list"], capsys)
    assert (code, out) == (1, "") and "needs an upgrade" in err
    assert spied == [False]


def test_an_encrypted_library_is_read_on_the_fast_path_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool]) -> None:
    from workbench.services import Workbench

    lib = tmp_path / "sealed"
    with Workbench.open(lib, create=True, passphrase=PASSPHRASE) as wb:
        wb.import_paths(_texts(tmp_path / "files", 2))
        wb.edit_document(1, title=TITLES[0])
    read, write = os.pipe()
    os.write(write, (PASSPHRASE + "\n").encode() * 2)
    os.close(write)
    try:  # one command: each open derives the key (Argon2id, deliberately slow)
        argv = ["--library", str(lib), "--passphrase-fd", str(read), "show", "1", "--json"]
        fast, facade = _both(argv, capsys, monkeypatch)
        assert fast == facade and fast[0] == 0 and TITLES[0] in fast[1]
    finally:
        os.close(read)
    assert spied == [True, False]


def test_the_fast_path_names_the_library_files_as_the_library_does() -> None:
    from workbench import fast_read, library

    assert (fast_read.MARKER, fast_read.DB_NAME, fast_read.FORMAT_VERSION) == (
        library.MARKER, library.DB_NAME, library.FORMAT_VERSION)


def test_the_revision_files_are_read_from_their_header_with_the_same_answer(
        tmp_path: Path) -> None:
    """The revision graph is read from each file's lines before its first function (where
    Alembic writes `revision` and `down_revision`: a tenth of the file, ~10 ms less on every
    command), and from the whole file when the header does not say."""
    import ast

    from workbench import schema_files
    from workbench.bundled import data_dir

    versions = data_dir("migrations") / "versions"
    files = sorted(versions.glob("*.py"))
    whole: dict[str, Any] = {}
    for path in files:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in (
                    "revision", "down_revision"):
                whole.setdefault(path.name, {})[node.targets[0].id] \
                    = ast.literal_eval(node.value)
    expected = ({v["revision"] for v in whole.values()},
                {v["down_revision"] for v in whole.values() if v["down_revision"]})
    assert schema_files._read_graph(files) == expected
    assert [schema_files._header(p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")
            for p in files] == [True] * len(files)  # really only the header was parsed
    late = tmp_path / "0099_late.py"
    late.write_text('"""a revision named after a function"""\n\ndef upgrade() -> None:\n'
                    '    pass\n\n\nrevision = "0099"\ndown_revision = "0001"\n',
                    encoding="utf-8")
    assert schema_files._read_graph([late]) == ({"0099"}, {"0001"})
