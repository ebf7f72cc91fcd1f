"""Query equivalence, per backend: every search backend finds exactly the documents a naive scan
finds, for each kind of query the language has.

The ``backend`` fixture names the backends to run: ``whoosh`` (a personal library) and
``postgres`` (a shared library on a throwaway PostgreSQL cluster, searched by the server's own
index, issue 19; it skips without the PostgreSQL binaries and fails without them under
WORKBENCH_REQUIRE_POSTGRES=1, as tests/pg do). A small seeded multilingual corpus
(English with stems, accented Latin, Arabic with harakat, Chinese, tags, collections) is
imported once per backend; each query goes through the facade *and* straight through the
backend protocol (``SearchBackend.search`` of the parsed tree), and both must give the ids the
test computes itself by scanning the texts with the shared analysis (the tokens are the part
of the contract every backend shares; matching is evaluated here, independently of any
engine).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from workbench.search.analysis import fold, keyword, stem, terms

BACKENDS = ["whoosh", "postgres"]
SEED = 16

ENGLISH = ["detention", "detained", "detainees", "camp", "camps", "witness", "witnesses",
           "testimony", "forced", "labour", "transfer", "transfers", "region", "report",
           "council", "evidence", "surveillance", "family", "families", "interview",
           "village", "factory", "policy", "court", "investigation", "prison", "cotton"]
LATIN = ["Ürümqi", "Kashgar", "São", "Paulo", "café", "naïve", "Zürich", "Łódź"]
ARABIC = ["مُحَمَّد", "شَهَادَة", "سجن", "قرية", "تقرير"]
HAN = "新疆维吾尔自治区乌鲁木齐喀什棉花工厂"
TAGS = ["Forced labour", "Forced labour/Transfers", "Detention", "Witnesses"]
COLLECTIONS = ["Case A", "Case B"]


class Doc:
    def __init__(self, n: int, rng: random.Random) -> None:
        self.name = f"doc{n:02d}"
        words = rng.choices(ENGLISH, k=rng.randint(8, 30)) + rng.sample(LATIN, 2)
        if n % 4 == 0:
            words += rng.sample(ARABIC, 2)
        rng.shuffle(words)
        self.title = " ".join(rng.sample(ENGLISH, 2)).capitalize()
        self.text = " ".join(words)
        if n % 5 == 0:  # a Chinese run: its bigrams are its terms
            start = rng.randrange(0, len(HAN) - 4)
            self.text += " " + HAN[start:start + rng.randint(3, 6)] + "。"
        self.tags = rng.sample(TAGS, rng.randint(0, 2))
        self.collection = COLLECTIONS[n % 2] if n % 3 else None
        self.id = 0

    @property
    def body(self) -> list[list[str]]:
        """The token runs of the body field (title and text: no phrase spans both)."""
        return [terms(self.title), terms(self.text)]


@pytest.fixture(scope="module")
def corpus() -> list[Doc]:
    return _make_corpus()


@pytest.fixture(scope="module", params=[
    pytest.param(b, marks=pytest.mark.postgres) if b == "postgres" else b for b in BACKENDS])
def backend(request: pytest.FixtureRequest, corpus: list[Doc],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A facade whose library's index is the backend under test, holding ``corpus``."""
    from workbench.services import Workbench

    where = tmp_path_factory.mktemp(f"equivalence-{request.param}")
    files = []
    for d in corpus:
        path = where / f"{d.name}.txt"
        path.write_text(f"{d.text}\n", encoding="utf-8")
        files.append(path)
    with ExitStack() as stack:
        if request.param == "postgres":
            lib = _shared_library(stack, where)
            opened = Workbench.open(lib, program="tests")
            assert type(opened.library.index).__name__ == "PostgresBackend"
        else:
            opened = Workbench.open(where / "lib", create=True, program="tests")
        wb = stack.enter_context(opened)
        report, _changes = wb.import_paths(files)
        by_name = {Path(o.path).stem: o.document_id for o in report.imported}
        assert len(by_name) == len(corpus)
        for d in corpus:
            d.id = by_name[d.name]
            wb.edit_document(d.id, title=d.title)
            for tag in d.tags:
                wb.tag_document(d.id, tag)
        for name in COLLECTIONS:
            members = [d.id for d in corpus if d.collection == name]
            wb.add_to_collection(members, name)
        assert wb.wait_for_index(120)
        yield wb


def _shared_library(stack: ExitStack, where: Path) -> Path:
    """A new shared library on a throwaway cluster (closed with ``stack``); its marker."""
    from tests.support.postgres import start_cluster
    from workbench.shared import create

    cluster = start_cluster()
    stack.callback(cluster.stop)
    patch = stack.enter_context(pytest.MonkeyPatch.context())
    patch.setenv("XDG_CACHE_HOME", str(where / "cache"))
    patch.delenv("WORKBENCH_SHARED_SEARCH", raising=False)
    create(where / "shared", cluster.url(cluster.new_database()), where / "store")
    return where / "shared"


# --- the naive evaluation ------------------------------------------------------------------


Pred = Callable[[Doc], bool]


def has_word(word: str) -> Pred:
    """A plain word: its stem, exact or as the stem of an indexed word."""
    ts = terms(word)
    if len(ts) > 1:
        return has_phrase(word)
    s = stem(ts[0])
    return lambda d: any(t == s or stem(t) == s for run in d.body for t in run)


def has_phrase(phrase: str) -> Pred:
    want = terms(phrase)
    return lambda d: any(run[i:i + len(want)] == want for run in d.body
                         for i in range(len(run)))


def has_near(first: str, second: str, slop: int) -> Pred:
    """The two words at most ``slop`` words apart, in either order."""
    a, b = fold(first), fold(second)

    def ok(d: Doc) -> bool:
        for run in d.body:
            pa = [i for i, t in enumerate(run) if t == a]
            pb = [i for i, t in enumerate(run) if t == b]
            if any(0 < abs(i - j) <= slop for i in pa for j in pb):
                return True
        return False
    return ok


def has_prefix(prefix: str) -> Pred:
    p = fold(prefix)
    return lambda d: any(t.startswith(p) for run in d.body for t in run)


def has_pattern(pattern: str) -> Pred:
    import re

    rx = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(fold(c))
                            for c in pattern) + r"\Z")
    return lambda d: any(rx.match(t) for run in d.body for t in run)


def within_one(word: str) -> Pred:
    w = fold(word)

    def close(t: str) -> bool:
        if abs(len(t) - len(w)) > 1:
            return False
        prev = list(range(len(w) + 1))
        for i, a in enumerate(t, 1):
            cur = [i]
            for j, b in enumerate(w, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
            prev = cur
        return prev[-1] <= 1
    return lambda d: any(close(t) for run in d.body for t in run)


def in_title(word: str) -> Pred:
    s = stem(terms(word)[0])
    return lambda d: any(t == s or stem(t) == s for t in terms(d.title))


def tagged(path: str) -> Pred:
    k = keyword(path)
    return lambda d: any(keyword(t) == k or keyword(t).startswith(k + "/") for t in d.tags)


def both(a: Pred, b: Pred) -> Pred:
    return lambda d: a(d) and b(d)


def either(a: Pred, b: Pred) -> Pred:
    return lambda d: a(d) or b(d)


def but_not(a: Pred, b: Pred) -> Pred:
    return lambda d: a(d) and not b(d)


def _make_corpus() -> list[Doc]:
    rng = random.Random(SEED)
    return [Doc(n, rng) for n in range(1, 41)]


def _cases() -> list[tuple[str, str, Pred]]:
    rng = random.Random(SEED + 1)
    docs = _make_corpus()
    eng = rng.sample(ENGLISH, 12)
    cases: list[tuple[str, str, Pred]] = []
    for w in eng[:6]:
        cases.append(("term", w, has_word(w)))
    for w in ("Urumqi", "URUMQI", "Sao", "ŁÓDŹ", "naive", "zurich"):
        cases.append(("folded", w, has_word(w)))
    for w in ("محمد", "شهادة", "سجن"):
        cases.append(("arabic", w, has_word(w)))
    runs = [d.text.split()[-1].rstrip("。") for d in docs if d.text.endswith("。")]
    for w in (runs[0][:2], runs[1][1:4], runs[2], "新疆"):  # a bigram, a run, a longer run
        cases.append(("cjk", w, has_phrase(w)))
    for d in docs[:4]:  # two and three words that do stand together somewhere
        words = d.text.split()
        for phrase in (" ".join(words[1:3]), " ".join(words[3:6])):
            cases.append(("phrase", f'"{phrase}"', has_phrase(phrase)))
    cases.append(("phrase", '"camp camp"', has_phrase("camp camp")))
    for a, b in zip(eng[2:5], eng[6:9], strict=True):
        cases.append(("near", f'"{a} {b}"~3', has_near(a, b, 3)))
    for p in ("det", "wit", "tran", "fam", "kas"):
        cases.append(("prefix", f"{p}*", has_prefix(p)))
    for pat in ("w?tness*", "*ness", "c*p", "fa?il*"):
        cases.append(("wildcard", pat, has_pattern(pat)))
    # One edit after the first two letters (the engine keeps those fixed to bound the scan).
    for w in ("survaillance", "vilage", "cottin", "prisen", "testimany"):
        cases.append(("fuzzy", f"{w}~1", within_one(w)))
    for a, b in zip(eng[:4], eng[8:12], strict=True):
        cases.append(("and", f"{a} AND {b}", both(has_word(a), has_word(b))))
        cases.append(("or", f"{a} OR {b}", either(has_word(a), has_word(b))))
        cases.append(("not", f"{a} NOT {b}", but_not(has_word(a), has_word(b))))
    cases.append(("group", f"({eng[0]} OR {eng[1]}) -{eng[2]}",
                  but_not(either(has_word(eng[0]), has_word(eng[1])), has_word(eng[2]))))
    for w in eng[:3]:
        cases.append(("title", f"title:{w}", in_title(w)))
    for t in ("Forced labour", "Detention", "Forced labour/Transfers"):
        cases.append(("tag", f'tag:"{t}"', tagged(t)))
    cases.append(("collection", 'collection:"Case A"', lambda d: d.collection == "Case A"))
    return cases


CASES = _cases()


def _expected(corpus: list[Doc], pred: Pred) -> list[int]:
    return sorted(d.id for d in corpus if pred(d))


@pytest.mark.parametrize(("kind", "query"), [(k, q) for k, q, _p in CASES],
                         ids=[f"{k}:{q}" for k, q, _p in CASES])
def test_a_query_finds_what_a_scan_finds(backend: Any, corpus: list[Doc], kind: str,
                                         query: str) -> None:
    pred = next(p for k, q, p in CASES if (k, q) == (kind, query))
    expected = _expected(corpus, pred)
    result = backend.search(query, limit=100, facets=False)
    assert result.notice is None or "plain words" not in result.notice
    assert sorted(h.document_id for h in result.hits) == expected, query
    assert result.total == len(expected)


def test_the_cases_cover_every_kind_of_query(corpus: list[Doc]) -> None:
    kinds = {k for k, _q, _p in CASES}
    assert kinds >= {"term", "folded", "arabic", "cjk", "phrase", "near", "prefix", "wildcard",
                     "fuzzy", "and", "or", "not", "group", "title", "tag", "collection"}
    assert len(CASES) >= 30
    # The scan must tell documents apart, or a backend finding everything would pass.
    for d in corpus:
        d.id = d.id or int(d.name[3:])
    sizes = [len(_expected(corpus, p)) for _k, _q, p in CASES]
    assert sum(0 < n < len(corpus) for n in sizes) >= 0.8 * len(sizes), sizes


def test_the_backend_answers_a_parsed_tree_with_filters(backend: Any,
                                                        corpus: list[Doc]) -> None:
    """Through the protocol itself: ids, total, facet counts and marks of a parsed query."""
    from workbench.search.backend import Filters, SearchBackend
    from workbench.search.parse import parse

    idx = backend.library.index
    assert isinstance(idx, SearchBackend)
    word = ENGLISH[0]
    node, _notice = parse(word)
    wanted = Filters(collections=("Case A",), tags=("Detention",))
    found = idx.search(node, wanted, want=100, facets=True, aliases={})
    pred = both(has_word(word), lambda d: d.collection == "Case A"
                and any(keyword(t).startswith("detention") for t in d.tags))
    assert sorted(found.ids) == _expected(corpus, pred)
    assert found.total == len(found.ids) and len(found.scores) == len(found.ids)
    assert list(found.scores) == sorted(found.scores, reverse=True)
    assert found.total > 0
    assert dict(found.facets["collection"]) == {"Case A": found.total}
    assert dict(found.facets["tag"])["Detention"] == found.total  # facet values as written
    assert stem(word) in found.marks.stems
    few = idx.search(node, Filters(), want=2, facets=False, aliases={})
    assert len(few.ids) == 2 and few.total == len(_expected(corpus, has_word(word)))
