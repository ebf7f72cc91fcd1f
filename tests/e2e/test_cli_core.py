"""The `workbench` command line end to end, in a separate process, on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.files import make_pdf, split_pages

ROOT = Path(__file__).resolve().parents[2]


def wb(lib: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WORKBENCH_LIBRARY=str(lib))
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def test_import_list_show_verify_audit(tmp_path: Path, corpus_dir: Path) -> None:
    lib = tmp_path / "lib"
    assert wb(lib, "init", "--json").returncode == 0
    pdf = make_pdf(tmp_path / "report.pdf",
                   split_pages((corpus_dir / "un-report-crimes-against-humanity.txt")
                               .read_text(encoding="utf-8")), title="OHCHR reactions")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    dash = tmp_path / "-dash.txt"
    dash.write_text("a file whose name starts with a dash", encoding="utf-8")
    run = wb(lib, "import", "--json", "--collection", "Case", str(corpus_dir), str(pdf),
             str(bad), "--", "-dash.txt", cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # one file failed
    out = json.loads(run.stdout)
    # 3 articles + the corpus README + the PDF + the dash-named file
    assert len(out["imported"]) == 6 and len(out["failed"]) == 1
    assert any(o["path"] == "-dash.txt" for o in out["imported"])
    assert out["failed"][0]["path"] == str(bad)
    assert "broken.pdf" in run.stderr and "Traceback" not in run.stderr
    assert set(out["imported"][0]) >= {"id", "sha256", "title", "path", "pages", "status",
                                       "problems"}

    listed = json.loads(wb(lib, "list", "--json").stdout)
    assert len(listed) == 6
    assert set(listed[0]) == {"id", "title", "kind", "pages", "sha256", "imported_at"}

    pdf_id = next(o["id"] for o in out["imported"] if o["path"] == str(pdf))
    sha = next(o["sha256"] for o in out["imported"] if o["path"] == str(pdf))
    shown = json.loads(wb(lib, "show", sha[:10], "--json", "--page", "1").stdout)
    assert shown["id"] == pdf_id and shown["title"] == "OHCHR reactions"
    assert "Bachelet" in shown["text"]
    assert shown["collection_record"]["original_path"] == str(pdf)

    again = json.loads(wb(lib, "import", "--json", str(pdf)).stdout)
    counts = again.pop("counts")
    assert again.pop("stopped") is None  # the batch ran to its end
    assert again == {"imported": [], "duplicates": [{"path": str(pdf), "id": pdf_id}],
                     "failed": []}
    assert (counts["to_import"], counts["duplicates"]) == (0, 1)

    ok = wb(lib, "verify", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"]
    events = json.loads(wb(lib, "audit", "--json").stdout)
    assert [e["type"] for e in events].count("ingestion") == 6


def test_errors_are_one_sentence_with_exit_codes(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    missing = wb(lib, "list")
    assert missing.returncode == 2 and "No Workbench library" in missing.stderr
    assert "Traceback" not in missing.stderr
    wb(lib, "init")
    unknown = wb(lib, "show", "424242")
    assert unknown.returncode == 2 and unknown.stderr.startswith("workbench: error: No document")
    usage = wb(lib, "frobnicate")
    assert usage.returncode == 2


def test_verify_fails_on_tampering(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    wb(lib, "init")
    note = tmp_path / "note.txt"
    note.write_text("Original testimony.", encoding="utf-8")
    doc = json.loads(wb(lib, "import", "--json", str(note)).stdout)["imported"][0]
    stored = next((lib / "originals").glob("*/*/" + doc["sha256"]))
    os.chmod(stored, 0o600)
    stored.write_text("Altered testimony.", encoding="utf-8")
    import sqlite3

    con = sqlite3.connect(lib / "library.sqlite")
    con.execute("UPDATE audit_events SET actor = 'someone-else' WHERE id = 1")
    con.commit()
    con.close()
    run = wb(lib, "verify")
    assert run.returncode == 1
    assert f"document {doc['id']}: original file is altered" in run.stdout
    assert "audit event 1: contents were altered" in run.stdout


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    wb(lib, "init")
    odd = tmp_path / "evil\x1b[31mred.txt"
    odd.write_text("text", encoding="utf-8")
    run = wb(lib, "import", str(odd))
    assert "\x1b" not in run.stdout and "\\x1b" in run.stdout
