"""The history of a library of 100k audit events: pages, filters and the chain check.

Usage: .venv/bin/python tests/bench/bench_history.py [--events 100000] [--runs 5]

A new library gets ``--events`` valid, chained audit events written straight into its table
(five authors, one of them rare, every kind of change), then, in this process:

- ``history`` first page (200 newest), a page 50,000 events back, a page of the rare author
  (1 event in 100), a page of one kind (exports), and ``history_authors``: the median of
  ``--runs``; the reference is the same first page read by plain sqlite3 (``SELECT * ...
  ORDER BY id DESC LIMIT 200``) in the same run;
- ``verify_audit_chain`` (batches of 5,000, with progress) against the reference of the chain
  part of ``verify`` (every event loaded at once, then ``audit.verify_chain``).

Prints one JSON object with the load average; figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from workbench import audit
from workbench.services import Workbench

AUTHORS = ["alice", "bob", "chen", "dina"]
KINDS = [("ingestion", "document"), ("modification", "dossier"), ("creation", "highlight"),
         ("dissemination", "dossier"), ("modification", "tag"), ("modification", "document")]


def fill(db: Path, n: int) -> None:
    con = sqlite3.connect(db)
    last = con.execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    seq, prev = (last[0], last[1]) if last else (0, audit.GENESIS)
    rows = []
    for i in range(n):
        seq += 1
        author = "eve" if i % 100 == 0 else AUTHORS[i % len(AUTHORS)]
        etype, otype = KINDS[i % len(KINDS)]
        at = f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z"[:27] + "Z"
        details = audit.canonical_json({"format": "pdf"} if etype == "dissemination"
                                        else {"document_id": i % 500 + 1})
        oid = str(i % 500 + 1)
        h = audit.event_hash(seq=seq, at=at, actor="bench", event_type=etype,
                             object_type=otype, object_id=oid, details=details,
                             prev_hash=prev, author=author)
        rows.append((seq, at, "bench", etype, otype, oid, details, prev, h, author))
        prev = h
    con.executemany("INSERT INTO audit_events (id, at, actor, event_type, object_type, "
                    "object_id, details, prev_hash, hash, author) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()


def median_ms(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    where = Path(tempfile.mkdtemp(prefix="bench-history-")) / "lib"
    Workbench.open(where, create=True, program="bench").close()
    db = where / "library.sqlite3"
    if not db.exists():
        db = next(p for p in where.iterdir() if p.suffix in (".db", ".sqlite3", ".sqlite"))
    t = time.perf_counter()
    fill(db, args.events)
    filled = time.perf_counter() - t
    out: dict[str, Any] = {"events": args.events, "fill_s": round(filled, 1),
                           "loadavg_before": Path("/proc/loadavg").read_text().split()[:3]}
    with Workbench.open(where, writable=False) as wb:
        con = sqlite3.connect(db)
        ref = median_ms(lambda: con.execute(
            "SELECT * FROM audit_events ORDER BY id DESC LIMIT 200").fetchall(), args.runs)
        out["reference_sqlite3_first_page_ms"] = ref
        deep = args.events // 2
        cases = {
            "first_page": lambda: wb.history(limit=200),
            "page_50k_back": lambda: wb.history(limit=200, before=deep),
            "rare_author_page": lambda: wb.history(limit=200, author="eve"),
            "kind_export_page": lambda: wb.history(limit=200, kind="export"),
            "authors": lambda: wb.history_authors(),
        }
        for name, fn in cases.items():
            fn()  # warm
            ms = median_ms(fn, args.runs)
            out[f"{name}_ms"] = ms
            out[f"{name}_ratio"] = round(ms / ref, 1) if ref else None
        t = time.perf_counter()
        reports: list[Any] = []
        check = wb.verify_audit_chain(progress=reports.append)
        out["verify_chain_s"] = round(time.perf_counter() - t, 2)
        out["verify_chain_progress_reports"] = len(reports)
        out["verify_chain_events"] = check.events
        out["verify_chain_links_ok"] = not check.problems
        from sqlalchemy import select

        from workbench.models import AuditEvent

        t = time.perf_counter()
        with wb.library.read() as s:
            events = s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
            audit.verify_chain(events)
        out["reference_verify_all_at_once_s"] = round(time.perf_counter() - t, 2)
        out["verify_ratio"] = round(out["verify_chain_s"] / out["reference_verify_all_at_once_s"],
                                    2)
    out["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(out, indent=1))
    shutil.rmtree(where.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
