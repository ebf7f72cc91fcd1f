"""Backup benchmark: `workbench backup` and `restore` against a plain copy of the library folder.

Usage: .venv/bin/python tests/bench/bench_backup.py [--docs 10000] [--seed 7] [--dest DIR]
           [--out FILE] [--keep DIR]

A deterministic synthetic library (the search benchmark's corpus: texts log-normal around
8 KB, 8 % Chinese and Uyghur) is written straight into a new library: each document's text is
also its original, stored content-addressed under ``originals/`` by its real SHA-256, and each
has its ingestion audit event in a valid hash chain, so the backup's verification does real
work. Then, each from a cold start of the step (the page cache is not dropped):

- ``backup``: the production path (read-only open, online backup, originals hard-linked,
  verification: every original re-hashed, the chain walked, integrity check, counts);
- ``backup_copying``: the same with hard links refused, as onto another filesystem;
- ``restore``: from the second backup into a new folder (originals linked from the backup);
- references: ``cp -a`` and ``shutil.copytree`` of the library folder (no verification).

``--dest`` puts the backups and copies on another disk. Prints one JSON object; figures go
to docs/PERFORMANCE.md ("## Backup and restore"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_search import Corpus  # noqa: E402


def write_library(path: Path, corpus: Corpus, n: int) -> dict[str, int]:
    """A library of ``n`` documents whose originals and audit chain verify."""
    from workbench.audit import GENESIS, canonical_json, event_hash
    from workbench.library import Library

    Library.create(path, program="bench").close()
    con = sqlite3.connect(path / "library.sqlite")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    at = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    prev = con.execute("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = prev[0] if prev else GENESIS
    seq = con.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    originals = path / "originals"
    total = 0
    for start in range(0, n, 1000):
        docs, layers, pages, events = [], [], [], []
        for i in range(start, min(n, start + 1000)):
            title, text, lang = corpus.document(i)
            data = text.encode("utf-8")
            total += len(data)
            sha = hashlib.sha256(data).hexdigest()
            blob = originals / sha[:2] / sha[2:4] / sha
            blob.parent.mkdir(parents=True, exist_ok=True)
            blob.write_bytes(data)
            os.chmod(blob, stat.S_IRUSR | stat.S_IRGRP)
            doc_id = i + 1
            docs.append((doc_id, sha, title, "text", "text/plain", lang, len(data), f"d{i}.txt",
                         now, now, "ok", "[]", 1, "{}"))
            layers.append((doc_id, doc_id, 1, "bench", "1", "text", text, now))
            pages.append((doc_id, 1, 0, len(text), 1))
            seq += 1
            details = canonical_json({"sha256": sha, "title": title})
            h = event_hash(seq=seq, at=at, actor="bench", event_type="ingestion",
                           object_type="document", object_id=str(doc_id), details=details,
                           prev_hash=prev_hash)
            events.append((seq, at, "bench", "ingestion", "document", str(doc_id), details,
                           prev_hash, h))
            prev_hash = h
        con.executemany("INSERT INTO documents (id, sha256, title, kind, media_type, language, "
                        "size, original_filename, created_at, modified_at, status, problems, "
                        "page_count, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
        con.executemany("INSERT INTO text_layers (id, document_id, version, extractor, "
                        "extractor_version, method, text, created_at) VALUES (?,?,?,?,?,?,?,?)",
                        layers)
        con.executemany("INSERT INTO pages (layer_id, number, start, \"end\", has_text) "
                        "VALUES (?,?,?,?,?)", pages)
        con.executemany("INSERT INTO audit_events (id, at, actor, event_type, object_type, "
                        "object_id, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
                        events)
        con.commit()
    con.close()
    # One writable open brings any file kept beside the database up to date (the audit head).
    Library.open(path, attach_index=False, program="bench").close()
    return {"text_bytes": total}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t, 2), out


def run_backup(lib: Path, dest: Path, links: bool) -> dict[str, Any]:
    from workbench import backup
    from workbench.library import Library

    real_link = os.link
    if not links:
        def refuse(*_a: Any, **_k: Any) -> None:
            raise OSError(18, "Invalid cross-device link")
        backup.os.link = refuse  # type: ignore[assignment]
    try:
        with Library.open(lib, writable=False, attach_index=False) as ro:
            seconds, result = timed(lambda: backup.backup(ro, dest))
    finally:
        backup.os.link = real_link
    assert result["verified"]["ok"], result["verified"]["problems"][:3]
    return {"seconds": seconds, "bytes": result["bytes"], "linked": result["linked"],
            "copied": result["copied"], "recorded": result["recorded"],
            "new_disk_bytes": disk_usage(lib, dest) - disk_usage(lib)}


def disk_usage(*folders: Path) -> int:
    """Bytes the folders take together (a file linked into two of them counts once)."""
    out = subprocess.run(["du", "-s", "-c", "--block-size=1", *map(str, folders)],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[-2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dest", type=Path, help="where backups and copies go (default: beside)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it")
    args = ap.parse_args()
    from workbench import backup

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-backup-"))
    base.mkdir(parents=True, exist_ok=True)
    out_base = args.dest or base
    out_base.mkdir(parents=True, exist_ok=True)
    lib = base / "lib"
    try:
        gen_s, info = timed(lambda: write_library(lib, Corpus(args.seed), args.docs))
        result: dict[str, Any] = {
            "docs": args.docs, "generate_seconds": gen_s, **info,
            "library_bytes": folder_bytes(lib),
            "database_bytes": (lib / "library.sqlite").stat().st_size,
            "same_filesystem": os.stat(lib).st_dev == os.stat(out_base).st_dev,
        }
        result["backup"] = run_backup(lib, out_base / "b1", links=True)
        result["backup_copying"] = run_backup(lib, out_base / "b2", links=False)
        seconds, restored = timed(lambda: backup.restore(out_base / "b2", out_base / "r"))
        result["restore"] = {"seconds": seconds, "linked": restored["linked"],
                             "copied": restored["copied"]}
        cp_s, _ = timed(lambda: subprocess.run(["cp", "-a", str(lib), str(out_base / "cp")],
                                               check=True))
        tree_s, _ = timed(lambda: shutil.copytree(lib, out_base / "tree"))
        result["cp_a_seconds"] = cp_s
        result["copytree_seconds"] = tree_s
        text = json.dumps(result, indent=2)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
    finally:
        if not args.keep:  # only what this run made, never the --dest folder itself
            for name in ("b1", "b2", "r", "cp", "tree"):
                shutil.rmtree(out_base / name, ignore_errors=True)
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
