"""Search benchmark: Workbench's Whoosh index against a plain SQLite FTS5 table, same corpus.

Usage: .venv/bin/python tests/bench/bench_search.py [--docs 10000] [--seed 7] [--out FILE]
           [--keep DIR]   (build in DIR and keep the library)
       .venv/bin/python tests/bench/bench_search.py --queries-only DIR/lib   (queries again)

A deterministic synthetic archive (seeded; lengths log-normal around 8 KB; Zipf vocabulary of
pseudo-words plus real English; 4 % Chinese and 4 % Uyghur documents) is written straight into
a new library's database (bypassing extraction), then the library is opened and its index is
built by the production path (the writer thread's rebuild). Queries run in a separate,
read-only process, so its peak RSS is the search process's own. Prints one JSON object.
Not part of the test suite; figures go to docs/PERFORMANCE.md ("## Search").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ENGLISH = ["detention", "camp", "witness", "testimony", "forced", "labour", "transfer",
           "region", "report", "council", "rapporteur", "evidence", "surveillance", "family",
           "separation", "interview", "village", "factory", "policy", "commission", "court",
           "investigation", "enforced", "disappearance", "prison", "cotton", "xinjiang"]
HAN = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家"
       "学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经"
       "头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向")
UYGHUR = ["ئۇيغۇر", "ئاپتونوم", "رايونى", "ھەققىدە", "دوكلات", "ئۈرۈمچى", "شەھىرىدىكى",
          "ئادەملەر", "مەجبۇرىي", "ئەمگەك", "لاگېر", "گۇۋاھچى", "ھۆكۈمەت", "تۇتۇپ", "تۇرۇش"]
CLASSES = ("term", "boolean", "field", "phrase", "fuzzy", "prefix", "wildcard")


# --- corpus -----------------------------------------------------------------------------------


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    syll = ["ba", "ko", "ri", "tu", "me", "sha", "lin", "gor", "pe", "da", "vi", "zen", "ul",
            "an", "er", "os", "ki", "mo", "ra", "te", "ny", "qa", "ji", "ho", "wu", "fe"]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(1, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


class Corpus:
    def __init__(self, seed: int, vocab: int = 60_000) -> None:
        self.rng = random.Random(seed)
        words = ENGLISH + pseudo_words(self.rng, vocab)
        self.rng.shuffle(words)
        self.words = words
        self.cum = _cumulative([1.0 / (r + 1) ** 1.07 for r in range(len(words))])

    def english(self, n: int) -> str:
        ws = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        for i in range(0, n, self.rng.randint(12, 25)):
            ws[i] = ws[i].capitalize()
        return " ".join(ws)

    def document(self, i: int) -> tuple[str, str, str]:
        """(title, text, language) of document ``i`` (deterministic in the seed)."""
        size = min(60_000, max(800, int(self.rng.lognormvariate(8.9, 0.45))))
        kind = i % 25
        if kind == 3:
            chars = self.rng.choices(HAN, k=size // 3)
            chars.insert(self.rng.randrange(len(chars)), "新疆维吾尔自治区")
            return f"报告 {i}", "".join(chars), "zh"
        if kind == 7:
            return f"دوكلات {i}", " ".join(self.rng.choices(UYGHUR, k=size // 12)), "ug"
        return f"Report {i} " + self.english(5), self.english(size // 6), "en"


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def write_library(path: Path, corpus: Corpus, n: int) -> tuple[int, list[tuple[str, str]]]:
    """Create a library and insert ``n`` documents with one text layer each; bytes of text."""
    from workbench.library import Library

    Library.create(path, program="bench").close()
    con = sqlite3.connect(path / "library.sqlite")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    total = 0
    sample: list[tuple[str, str]] = []
    for start in range(0, n, 1000):
        docs, layers, pages, recs = [], [], [], []
        for i in range(start, min(n, start + 1000)):
            title, text, lang = corpus.document(i)
            total += len(text.encode("utf-8"))
            if len(sample) < 2000:
                sample.append((title, text))
            doc_id = i + 1
            sha = hashlib.sha256(f"{i}".encode()).hexdigest()
            published = f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            docs.append((doc_id, sha, title, "text", "text/plain", lang, len(text), f"d{i}.txt",
                         published, now, now, "ok", "[]", 1, "{}"))
            layers.append((doc_id, doc_id, 1, "bench", "1", "text", text, now))
            pages.append((doc_id, 1, 0, len(text), 1))
            recs.append((doc_id, f"https://news{i % 40}.example.org/{i}", now, "bench", "1",
                         "bench", "{}"))
        con.executemany("INSERT INTO documents (id, sha256, title, kind, media_type, language, "
                        "size, original_filename, published, created_at, modified_at, status, "
                        "problems, page_count, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        docs)
        con.executemany("INSERT INTO text_layers (id, document_id, version, extractor, "
                        "extractor_version, method, text, created_at) VALUES (?,?,?,?,?,?,?,?)",
                        layers)
        con.executemany("INSERT INTO pages (layer_id, number, start, \"end\", has_text) "
                        "VALUES (?,?,?,?,?)", pages)
        con.executemany("INSERT INTO collection_records (document_id, source_url, imported_at, "
                        "importer, importer_version, os_user, extra) VALUES (?,?,?,?,?,?,?)",
                        recs)
        con.commit()
    con.close()
    return total, sample


# --- queries ----------------------------------------------------------------------------------


def make_queries(corpus: Corpus, seed: int,
                 sample: list[tuple[str, str]]) -> dict[str, list[str]]:
    rng = random.Random(seed + 1)
    mid = [w for w in corpus.words[50:3000] if w.isascii() and len(w) >= 5]
    rare = [w for w in corpus.words[3000:30000] if w.isascii() and len(w) >= 6]
    pick = lambda pool, k: rng.sample(pool, k)  # noqa: E731
    q: dict[str, list[str]] = {
        "term": pick(mid, 10) + pick(rare, 10),
        "boolean": [f"{a} AND {b}" for a, b in zip(pick(mid, 7), pick(mid, 7), strict=True)]
        + [f"{a} OR {b}" for a, b in zip(pick(rare, 7), pick(rare, 7), strict=True)]
        + [f"{a} NOT {b}" for a, b in zip(pick(mid, 6), pick(mid, 6), strict=True)],
        "field": [f"title:{w}" for w in pick(mid, 10)] + [f"lang:{x}" for x in ("zh", "ug")]
        + [f"source:news{i}.example.org" for i in range(4)]
        + [f"date:{2015 + i}" for i in range(4)],
        "phrase": [], "fuzzy": [f"{w[:-1]}x~1" for w in pick(mid, 10) + pick(rare, 10)],
        "prefix": [f"{w[:3]}*" for w in pick(mid, 10)] + [f"{w[:4]}*" for w in pick(rare, 10)],
        "wildcard": [f"{w[:2]}?{w[3:5]}*" for w in pick(mid, 10)]
        + [f"*{w[-4:]}" for w in pick(rare, 5)] + [f"{w[0]}*{w[-3:]}" for w in pick(rare, 5)],
    }
    english = [t for _title, t in sample if t.isascii()]
    for _ in range(20):  # phrases taken from the archive's text, so they occur
        ws = rng.choice(english).lower().split()
        j = rng.randrange(0, len(ws) - 4)
        q["phrase"].append('"' + " ".join(ws[j:j + rng.choice((2, 3))]) + '"')
    q["phrase"].append('"新疆维吾尔"')
    return q


def percentiles(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {"p50_ms": round(statistics.median(xs), 2),
            "p95_ms": round(xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))], 2),
            "max_ms": round(xs[-1], 2)}


def run_queries(lib: str, queries: dict[str, list[str]], repeat: int) -> dict[str, Any]:
    """In a read-only process: latency per class, snippets, facets, open time, RSS."""
    from workbench.services import Workbench

    t0 = time.perf_counter()
    wb = Workbench.open(lib, writable=False)
    first = wb.search("report", limit=20, facets=False, snippets=False)
    out: dict[str, Any] = {"open_and_first_query_ms": round((time.perf_counter() - t0) * 1e3, 1),
                           "classes": {}}
    for cls, qs in queries.items():
        times, totals = [], []
        for _ in range(repeat):
            for q in qs:
                t = time.perf_counter()
                r = wb.search(q, limit=20, facets=False, snippets=False)
                times.append((time.perf_counter() - t) * 1e3)
                totals.append(r.total)
        out["classes"][cls] = {**percentiles(times), "median_hits": statistics.median(totals)}
    snip, facet, full = [], [], []
    for q in queries["term"] + queries["phrase"]:
        t = time.perf_counter()
        wb.search(q, limit=20, facets=False, snippets=False)
        bare = time.perf_counter() - t
        t = time.perf_counter()
        wb.search(q, limit=20, facets=False, snippets=True)
        snip.append((time.perf_counter() - t - bare) * 1e3)
        t = time.perf_counter()
        wb.search(q, limit=20, facets=True, snippets=False)
        facet.append((time.perf_counter() - t - bare) * 1e3)
        t = time.perf_counter()
        wb.search(q, limit=20)
        full.append((time.perf_counter() - t) * 1e3)
    out["top20_snippets"] = percentiles(snip)
    out["facets"] = percentiles(facet)
    out["full_search_with_snippets_and_facets"] = percentiles(full)
    out["first_total"] = first.total
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    wb.close()
    return out


# --- FTS5 peer --------------------------------------------------------------------------------


def fts5_query(q: str) -> str | None:
    """The same query in FTS5 syntax; None where FTS5 has no equivalent (fuzzy, wildcards)."""
    if "~" in q or "?" in q or q.startswith("*") or ("*" in q[:-1]):
        return None
    if q.startswith(("lang:", "source:", "date:")):
        return None
    return q


def bench_fts5(path: Path, lib: Path, queries: dict[str, list[str]], repeat: int,
               total_bytes: int) -> dict[str, Any]:
    src = sqlite3.connect(lib / "library.sqlite")
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, "
                "tokenize='unicode61 remove_diacritics 2')")
    load0 = loadavg()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    rows = src.execute("SELECT d.id, d.title, t.text FROM documents d JOIN text_layers t "
                       "ON t.document_id = d.id")
    n = 0
    while batch := rows.fetchmany(500):
        con.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", batch)
        n += len(batch)
    con.commit()
    build = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    out: dict[str, Any] = {"documents": n, "build_s": round(build, 1),
                           "docs_per_s": round(n / build, 1),
                           "build_cpu_s": round(cpu, 1),
                           "build_cpu_s_per_1000_docs": round(cpu / max(1, n) * 1000, 2),
                           "build_loadavg_before_after": [load0, loadavg()],
                           "mb_per_s": round(total_bytes / 1e6 / build, 2),
                           "index_mb": round(path.stat().st_size / 1e6, 1), "classes": {}}
    for cls, qs in queries.items():
        times = []
        for _ in range(repeat):
            for q in qs:
                fq = fts5_query(q)
                if fq is None:
                    continue
                t = time.perf_counter()
                try:
                    con.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
                                (fq,)).fetchall()
                    con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (fq,)).fetchone()
                except sqlite3.OperationalError:
                    continue
                times.append((time.perf_counter() - t) * 1e3)
        out["classes"][cls] = percentiles(times) if times else None
    snip = []
    for q in queries["term"] + queries["phrase"]:
        t = time.perf_counter()
        con.execute("SELECT snippet(fts, 1, '[', ']', '…', 30) FROM fts WHERE fts MATCH ? "
                    "ORDER BY rank LIMIT 20", (q,)).fetchall()
        snip.append((time.perf_counter() - t) * 1e3)
    out["top20_snippets"] = percentiles(snip)
    con.close()
    src.close()
    return out


# --- main -------------------------------------------------------------------------------------


def loadavg() -> float:
    """The 1-minute load average: on a shared machine, beside every time measured."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return -1.0


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the build's workers):
    what a build costs, which the load of a shared machine disturbs far less than its wall
    time."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def newly_imported(lib: Path, tmp: Path) -> dict[str, float]:
    """Seconds from the end of an import (commit + hook call) until a search finds the doc."""
    from workbench.services import Workbench

    doc = tmp / "fresh.txt"
    doc.write_text("Qwertzuiop marks the freshly imported witness statement.\n" * 20)
    with Workbench.open(lib) as wb:
        wb.wait_for_index(600)
        wb.search("report", limit=1, facets=False)  # an open app has its searcher already
        wb.import_paths([doc])
        t0 = time.perf_counter()
        while not wb.search("qwertzuiop", limit=1, facets=False).total:
            time.sleep(0.005)
        return {"searchable_after_import_s": round(time.perf_counter() - t0, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="build in DIR (must not exist) and keep the library for --queries-only")
    ap.add_argument("--queries-only", metavar="LIB", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.queries_only:
        queries = json.loads((Path(args.queries_only) / "bench-queries.json").read_text())
        print(json.dumps(run_queries(args.queries_only, queries, args.repeat)))
        return
    corpus = Corpus(args.seed)
    from workbench.services import Workbench

    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        if args.keep:
            args.keep.mkdir(parents=True)
            tmp = args.keep
        lib = tmp / "lib"
        t0 = time.perf_counter()
        total_bytes, sample = write_library(lib, corpus, args.docs)
        queries = make_queries(corpus, args.seed, sample)
        (lib / "bench-queries.json").write_text(json.dumps(queries))
        result: dict[str, Any] = {"documents": args.docs, "seed": args.seed,
                                  "corpus_mb": round(total_bytes / 1e6, 1),
                                  "generate_and_insert_s": round(time.perf_counter() - t0, 1)}
        load0 = loadavg()
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        with Workbench.open(lib) as wb:  # the writer's check finds every document missing
            assert wb.wait_for_index(24 * 3600)
            status = wb.index_status()
        build = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
        size = sum(p.stat().st_size for p in (lib / "index").rglob("*") if p.is_file())
        result["whoosh"] = {
            "indexed": status["indexed_documents"], "build_s": round(build, 1),
            "docs_per_s": round(args.docs / build, 1),
            "mb_per_s": round(total_bytes / 1e6 / build, 2), "index_mb": round(size / 1e6, 1),
            "build_cpu_s": round(cpu, 1),
            "build_cpu_s_per_1000_docs": round(cpu / args.docs * 1000, 2),
            "build_loadavg_before_after": [load0, loadavg()],
            "build_peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        result["whoosh"].update(newly_imported(lib, tmp))
        proc = subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--seed",
                               str(args.seed), "--repeat", str(args.repeat),
                               "--queries-only", str(lib)],
                              capture_output=True, text=True, check=True)
        result["whoosh"].update(json.loads(proc.stdout.strip().splitlines()[-1]))
        result["fts5"] = bench_fts5(tmp / "fts.sqlite", lib, queries, args.repeat, total_bytes)
        result["ratio_whoosh_over_fts5_p95"] = {
            cls: (round(result["whoosh"]["classes"][cls]["p95_ms"]
                        / max(0.01, result["fts5"]["classes"][cls]["p95_ms"]), 1)
                  if result["fts5"]["classes"].get(cls) else None)
            for cls in CLASSES}
        result["ratio_fts5_over_whoosh_build_speed"] = round(
            result["fts5"]["docs_per_s"] / result["whoosh"]["docs_per_s"], 1)
        result["ratio_whoosh_over_fts5_build_cpu"] = round(
            result["whoosh"]["build_cpu_s"] / max(0.01, result["fts5"]["build_cpu_s"]), 1)
        result["queries"] = queries
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
