"""Search from the command line, each command in its own process: import, then search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.files import make_pdf, split_pages

ROOT = Path(__file__).resolve().parents[2]


def wb(lib: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WORKBENCH_LIBRARY=str(lib))
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def ok(lib: Path, *args: str) -> object:
    run = wb(lib, *args, "--json")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)


def test_search_cli_end_to_end(tmp_path: Path, corpus_dir: Path) -> None:
    lib = tmp_path / "lib"
    ok(lib, "init")
    article = (corpus_dir / "un-special-rapporteur-forced-labour.txt").read_text(encoding="utf-8")
    pdf = make_pdf(tmp_path / "rapporteur.pdf", split_pages(article), title="Rapporteur")
    imported = ok(lib, "import", "--collection", "Case A", str(pdf),
                  str(corpus_dir / "un-report-crimes-against-humanity.txt"))
    pdf_id = next(o["id"] for o in imported["imported"]  # type: ignore[index]
                  if o["path"] == str(pdf))

    # a separate, read-only process finds what the import process indexed before it exited
    out = ok(lib, "search", '"forced labor"', "--limit", "5")
    assert isinstance(out, dict)
    assert set(out) >= {"total", "hits", "facets"}
    assert out["total"] >= 1
    hit = next(h for h in out["hits"] if h["document_id"] == pdf_id)
    assert set(hit) >= {"document_id", "title", "score", "page", "snippet", "spans"}
    shown = ok(lib, "show", str(pdf_id), "--text")
    text = shown["text"]  # type: ignore[index]
    marked = [" ".join(text[s:e].split()).lower() for s, e in hit["spans"]]
    assert marked and marked == ["forced labor"] * len(marked)
    assert hit["page"] >= 1
    assert out["facets"]["collection"] == [["Case A", out["total"]]]

    inside = ok(lib, "search", "--in", str(pdf_id), "Obokata")
    assert isinstance(inside, dict) and inside["count"] >= 3
    assert all(text[s:e] == "Obokata" for s, e in inside["spans"])

    ok(lib, "alias", "add", "Obokata", "Obokata", "小保方")
    assert ok(lib, "alias", "list")[0]["terms"] == ["Obokata", "小保方"]  # type: ignore[index]
    ok(lib, "saved-search", "add", "labour", '"forced labor"')
    assert ok(lib, "saved-search", "list")[0]["query"] == '"forced labor"'  # type: ignore[index]

    bad = wb(lib, "search", "AND")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "query" in bad.stderr
    broken = wb(lib, "search", '"forced labor')
    assert broken.returncode == 0 and "plain words" in broken.stderr

    shutil.rmtree(lib / "index")
    missing = wb(lib, "search", "Obokata")
    assert missing.returncode == 2 and "reindex" in missing.stderr
    status = ok(lib, "reindex")
    assert status["indexed_documents"] == 2  # type: ignore[index]
    assert ok(lib, "search", "小保方")["total"] == 1  # type: ignore[index]
    assert ok(lib, "index-status")["state"] == "read-only"  # type: ignore[index]
