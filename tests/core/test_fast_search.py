"""`workbench search` reads a plain library without the facade, and says exactly what the
facade says (issue 16, the fixed cost of a command).

The same command line runs twice over a varied library (English, Chinese and Arabic texts,
titles in CJK, Arabic and with a bidi override, deleted documents, an OCR layer with pages, an
alias group, tags, collections): once on the fast path (`workbench.fast_read` and
`workbench.search.read_only`) and once with it switched off (the facade). For many queries —
words, stems, phrases, proximity, fields, prefixes, wildcards, fuzzy words, CJK, Arabic, an
alias, no hit, broken syntax, queries that cannot be read — stdout, stderr and the exit code
must be the same bytes (the JSON's `elapsed_ms`, a clock reading, aside). What the fast path
leaves to the facade (a filter, copies folded, find-in-document, an index that lags behind
the database or is missing) is checked to be handed over, with the facade's words.

The library is small, so the fast path evaluates queries without numpy
(``whoosh/plain_eval.py``); the facade's run is made to use the numpy evaluator (``BulkEval``),
so the bytes compared come from both evaluators, and every query the plain evaluator answers
is also answered by ``BulkEval`` on the same searcher: the same documents and the same floats.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_fast_read import _varied
from workbench import cli
from workbench.fast_read import FastReader, Unsupported
from workbench.search.whoosh import plain_eval

CHINESE = ("新疆维吾尔自治区的强迫劳动问题。联合国人权事务高级专员办事处发布了关于新疆的报告，"
           "报告说可能构成危害人类罪。")
ARABIC = ("أصدرت الأمم المتحدة تقريرا عن العمل القسري في شينجيانغ. وقال التقرير إن الانتهاكات "
          "الجسيمة قد تشكل جرائم ضد الإنسانية.")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.services import Workbench

    where = tmp_path_factory.mktemp("fast-search")
    lib = where / "lib"
    _varied(lib, where / "files")
    (where / "zh.txt").write_text(CHINESE, encoding="utf-8")
    (where / "ar.txt").write_text(ARABIC, encoding="utf-8")
    with Workbench.open(lib, program="tests") as wb:
        wb.import_paths([where / "zh.txt", where / "ar.txt"])
        wb.add_alias_group("Urumqi", ["Urumqi", "Ürümqi", "Wulumuqi", "乌鲁木齐"])
        wb.add_alias_group("Forced", ["forced labour", "forced labor"])
        wb.tag_document(2, "Forced labour/Findings")
        wb.tag_document(4, "Forced labour")
        # passages tagged, so a tag search's snippets mark them on both paths
        longest = max((len(wb.document_text(d["id"]).text), d["id"])
                      for d in wb.list_documents())[1]
        middle = len(wb.document_text(longest).text) // 2
        assert middle > 100
        wb.add_highlight(longest, start=middle, end=middle + 40,
                         tags=["Forced labour/Findings", "Witness"])
        wb.add_highlight(longest, start=0, end=12, tags=["Witness"])
        assert wb.wait_for_index(120)
    return lib


QUERIES = [
    "report", "reports", "Xinjiang report", "labour", "labor", "forced labour",
    '"forced labor"', '"crimes against humanity"~3', '"human rights" AND Bachelet',
    "Bachelet OR Obokata", "report NOT Bachelet", "-Xinjiang report", "title:新疆强迫劳动报告",
    "title:plain", 'tag:"Forced labour"', "tag:forced*", "tag:witness",
    "tag:findings report", "report -tag:witness", 'tag:"forced labour/findings"',
    'collection:"案件 A"',
    "collection:second", "kind:text", "lang:ar", "lang:en report", "source:example.org",
    "date:2022", "date:[2022-01-01 TO *]", "detain*", "humanit*", "lab?r", "Obokatta~",
    "Urumqi", "新疆", "强迫劳动", "新", "العمل القسري", "الإنسانية", "تقرير",
    "Ümlaut", "nothingmatchesthisword", '"human rights', "(report AND", "AND",
    "*", "", "x" * 1001, "word:x", "page two",
]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, _steady(out), err


def _steady(out: str) -> str:
    """The output with the JSON's clock reading (``elapsed_ms``) set to 0."""
    try:
        value = json.loads(out)
    except ValueError:
        return out
    if isinstance(value, dict) and "elapsed_ms" in value:
        value["elapsed_ms"] = 0
        return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    return out


@pytest.fixture
def evaluators(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which evaluator answered each query ("plain" or "numpy"); every plain answer is
    checked against ``BulkEval``'s on the same searcher, float for float."""
    from workbench.search.whoosh.bulkquery import BulkEval

    used: list[str] = []
    real_plain, real_bulk = plain_eval.PlainEval.matches, BulkEval.matches

    def plain(self: Any, q: Any) -> Any:
        docs, scores = real_plain(self, q)
        used.append("plain")
        numpy_docs, numpy_scores = real_bulk(BulkEval(self.searcher, self.lengths), q)
        assert (docs, scores) == (numpy_docs.tolist(), numpy_scores.tolist()), q
        return docs, scores

    def bulk(self: Any, q: Any) -> Any:
        used.append("numpy")
        return real_bulk(self, q)
    monkeypatch.setattr(plain_eval.PlainEval, "matches", plain)
    monkeypatch.setattr(BulkEval, "matches", bulk)
    return used


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


def _both(argv: list[str], capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    fast = _run(argv, capsys)
    with monkeypatch.context() as m:
        def refuse(*_a: Any, **_k: Any) -> FastReader:
            raise Unsupported("switched off by the test")
        m.setattr(FastReader, "open", refuse)
        m.setattr(plain_eval, "SMALL_DOCS", 0)  # the facade's run: numpy's evaluator
        facade = _run(argv, capsys)
    return fast, facade


def test_every_search_prints_the_same_bytes_on_both_paths(
        library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool], evaluators: list[str]) -> None:
    outcomes: list[tuple[int, int]] = []
    refused = set()
    for i, query in enumerate(QUERIES):
        # JSON for each (it holds everything); the text and a page without facets for some:
        # every run costs a facade open, and the suite must stay fast.
        variants = [["--json"], *([[]] if i % 2 else []),
                    *([["--limit", "2", "--offset", "1", "--no-facets", "--json"]]
                      if i % 5 == 0 else [])]
        for extra in variants:
            argv = ["--library", str(library), "search", *extra, "--", query]
            before = len(spied)
            fast, facade = _both(argv, capsys, monkeypatch)
            assert fast == facade, argv
            assert "Traceback" not in fast[2]
            total = json.loads(fast[1])["total"] if fast[1].startswith("{") else -1
            if query == "tag:witness" and "--json" in extra:  # the tagged passages marked
                hit, = json.loads(fast[1])["hits"]
                assert len([s for sn in hit["snippets"] for s in sn["spans"]]) == 2
            outcomes.append((fast[0], total))
            if fast[0] == 2:
                refused.add(query)
            # Served by the fast path, then by the facade; a query that cannot be read was
            # refused by the fast path itself (it raised: no answer to count), then the facade.
            assert spied[before:] == ([True, False] if fast[0] == 0 else [False]), argv
    # Really varied: hits, no hits and refused queries (exit 2, one line) were all compared.
    assert refused == {"AND", "*", "", "x" * 1001}
    assert (0, 0) in outcomes and max(total for _code, total in outcomes) >= 5
    # Both evaluators really ran: the plain one on the fast path, numpy's for the facade
    # (the queries they cannot take, such as proximity, go to Whoosh's own collector).
    assert evaluators.count("plain") >= 30 and evaluators.count("numpy") >= 30


def test_the_fast_path_found_what_the_queries_ask_for(
        library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def ids(query: str) -> list[int]:
        assert cli.main(["--library", str(library), "search", "--json", "--", query]) == 0
        return [h["document_id"] for h in json.loads(capsys.readouterr().out)["hits"]]
    assert set(ids("新疆")) == {1, 13} and set(ids("العمل القسري")) == {2, 14}
    assert ids("Wulumuqi") == ids("Urumqi") and 4 in ids('tag:"Forced labour"')
    assert ids("nothingmatchesthisword") == [] and 6 not in ids("report")


@pytest.mark.parametrize("extra", [["--collection", "案件 A"], ["--collapse-copies"],
                                   ["--in", "2"]], ids=["filter", "collapse", "in"])
def test_what_the_fast_path_leaves_to_the_facade_reads_the_same(
        library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool], extra: list[str]) -> None:
    argv = ["--library", str(library), "search", *extra, "report", "--json"]
    fast, facade = _both(argv, capsys, monkeypatch)
    assert fast == facade and fast[0] == 0
    assert spied == [False, False]


@pytest.mark.parametrize("damage", ["lagging", "missing"])
def test_an_index_behind_the_database_or_missing_is_left_to_the_facade(
        library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, spied: list[bool], damage: str) -> None:
    from workbench.services import Workbench

    lib = tmp_path / "lib"
    shutil.copytree(library, lib, ignore=shutil.ignore_patterns("*.lock"))
    if damage == "lagging":  # a document the index has not seen: the reader's notice
        from workbench.library import NullIndex

        (tmp_path / "new.txt").write_text("A report nobody indexed yet.", encoding="utf-8")
        with Workbench.open(lib, program="tests", index_on_first_use=True) as wb:
            wb.library.index = NullIndex()  # as a writer that stopped before indexing
            wb.import_paths([tmp_path / "new.txt"])
    else:
        shutil.rmtree(lib / "index")
    argv = ["--library", str(lib), "search", "report", "--json"]
    fast, facade = _both(argv, capsys, monkeypatch)
    assert fast == facade
    if damage == "lagging":
        assert fast[0] == 0 and "The search index is incomplete: 1 of" in fast[1]
    else:
        assert fast[0] != 0 and fast[2].startswith("workbench: error: ")
    assert spied == [False, False]


@pytest.fixture(scope="module")
def rebuilt(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same library with its index rebuilt by the bulk writer (a repair, an upgrade):
    every segment has a sidecar, the only place its positions are kept."""
    from workbench.services import Workbench

    lib = tmp_path_factory.mktemp("fast-search-rebuilt") / "lib"
    shutil.copytree(library, lib, ignore=shutil.ignore_patterns("*.lock"))
    with Workbench.open(lib, program="tests") as wb:
        wb.reindex()
        assert wb.wait_for_index(120)
    assert list((lib / "index").rglob("*.wbx"))
    return lib


def test_a_rebuilt_index_prints_the_same_bytes_on_both_paths(
        rebuilt: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        spied: list[bool], evaluators: list[str]) -> None:
    # The fast path reads the sidecars in plain Python (whoosh/sidecar_plain.py), the
    # facade's run with numpy (BulkEval, sidecar.FieldPostings): same bytes, same floats.
    from workbench.search.whoosh import sidecar, sidecar_plain

    read: list[str] = []
    real_plain = sidecar_plain.PlainFieldPostings.positions_in
    real_numpy = sidecar.FieldPostings.positions_of

    def plain(self: Any, *a: Any) -> Any:
        read.append("plain")
        return real_plain(self, *a)

    def numpy(self: Any, *a: Any) -> Any:
        read.append("numpy")
        return real_numpy(self, *a)
    monkeypatch.setattr(sidecar_plain.PlainFieldPostings, "positions_in", plain)
    monkeypatch.setattr(sidecar.FieldPostings, "positions_of", numpy)
    for query in QUERIES:
        argv = ["--library", str(rebuilt), "search", "--json", "--", query]
        fast, facade = _both(argv, capsys, monkeypatch)
        assert fast == facade, argv
        assert "Traceback" not in fast[2]
    assert evaluators.count("plain") >= 30 and evaluators.count("numpy") >= 30
    # the phrases' positions really came from the sidecars, through both readers
    assert "plain" in read and "numpy" in read
