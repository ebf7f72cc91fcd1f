"""`workbench backup` and `workbench restore` end to end: JSON and text, a library held open by
another process, another filesystem and a full one, errors in one line."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def lib(tmp_path: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "lib"
    assert run(capsys, "--library", str(path), "init")[0] == 0
    assert run(capsys, "--library", str(path), "import", str(corpus_dir))[0] == 0
    assert run(capsys, "--library", str(path), "highlight", "add", "1", "--quote",
               "the", "--occurrence", "1", "--tag", "Findings")[0] == 0
    return path


def test_backup_and_restore_json_and_text(lib: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--library", str(lib), "backup", str(tmp_path / "b"), "--json")
    assert code == 0, err
    made = json.loads(out)
    assert set(made) >= {"destination", "created_at", "backup_id", "documents", "audit_events",
                         "highlights", "dossiers", "originals", "bytes", "linked", "copied",
                         "with_index", "database_sha256", "verified", "recorded", "event_id",
                         "seconds"}
    assert made["documents"] == 4 and made["highlights"] == 1 and made["verified"]["ok"]
    assert made["recorded"] == "event" and made["with_index"] is False
    manifest = json.loads((tmp_path / "b" / "backup.json").read_text(encoding="utf-8"))
    assert set(manifest) >= {"format", "backup_id", "created_at", "source", "library_id",
                             "tool", "counts", "bytes", "with_index", "database", "originals"}
    assert manifest["database"]["sha256"] == made["database_sha256"]

    code, out, err = run(capsys, "--library", str(lib), "backup", str(tmp_path / "b2"),
                         "--with-index")
    assert code == 0, err
    assert out.startswith("Backed up 4 documents, 1 highlight, 0 dossiers")
    assert "Verified: 4 originals match their SHA-256" in out
    assert "search index included" in out and "Recorded as audit event" in out
    audit = json.loads(run(capsys, "--library", str(lib), "audit", "--json")[1])
    assert [e["details"]["destination"] for e in audit if e["type"] == "replication"] == [
        str(tmp_path / "b"), str(tmp_path / "b2")]

    target = tmp_path / "restored"
    code, out, err = run(capsys, "restore", str(tmp_path / "b"), str(target), "--json")
    assert code == 0, err
    back = json.loads(out)
    assert set(back) >= {"target", "source", "backup_created_at", "documents", "audit_events",
                         "highlights", "dossiers", "originals", "bytes", "linked", "copied",
                         "index", "verified", "replaced", "event_id", "seconds"}
    assert back["documents"] == 4 and back["verified"]["ok"] and back["replaced"] is None
    listed = json.loads(run(capsys, "--library", str(target), "list", "--json")[1])
    original = json.loads(run(capsys, "--library", str(lib), "list", "--json")[1])
    assert listed == original
    assert run(capsys, "--library", str(target), "reindex")[0] == 0
    code, out, err = run(capsys, "--library", str(target), "search", "forced labour",
                         "--json")
    assert code == 0 and json.loads(out)["total"] > 0, err

    code, out, err = run(capsys, "restore", str(tmp_path / "b2"), str(target), "--force")
    assert code == 0, err
    assert "moved aside to" in out and "search index is rebuilt" not in out


HOLDER = """
import sys, time
from pathlib import Path
from workbench.services import Workbench
with Workbench.open(Path(sys.argv[1]), program="Workbench desktop app"):
    print("ready", flush=True)
    while not Path(sys.argv[2]).exists():
        time.sleep(0.05)
"""


def test_backup_while_the_app_holds_the_library(lib: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    stop = tmp_path / "stop"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lib), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, out, err = run(capsys, "--library", str(lib), "backup", str(tmp_path / "b"))
        assert code == 0, err
        assert "open for writing elsewhere" in out and "Verified" in out
    finally:
        stop.touch()
        holder.wait(60)
    # The next backup (or the app, when it opens the library) records the first one too.
    code, out, err = run(capsys, "--library", str(lib), "backup", str(tmp_path / "c"), "--json")
    assert code == 0, err
    audit = json.loads(run(capsys, "--library", str(lib), "audit", "--json")[1])
    events = [e["details"] for e in audit if e["type"] == "replication"]
    assert [(e["destination"], e.get("recorded_late", False)) for e in events] == [
        (str(tmp_path / "b"), True), (str(tmp_path / "c"), False)]


def test_errors_are_one_line(lib: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("x", encoding="utf-8")
    cases = [
        (["--library", str(lib), "backup", str(full)], 2, "the folder is not empty"),
        (["--library", str(lib), "backup", str(lib / "inside")], 2, "inside the library"),
        (["restore", str(full), str(tmp_path / "r")], 2, "is not a Workbench backup"),
        (["--library", str(tmp_path / "none"), "backup", str(tmp_path / "x")], 2,
         "No Workbench library"),
    ]
    for argv, want, words in cases:
        code, _out, err = run(capsys, *argv)
        assert code == want and words in err, (argv, err)
        assert err.count("\n") == 1 and "Traceback" not in err
    assert run(capsys, "--library", str(lib), "backup", str(tmp_path / "b"))[0] == 0
    code, _out, err = run(capsys, "restore", str(tmp_path / "b"), str(full))
    assert code == 2 and "--force" in err and err.count("\n") == 1
    # A backup whose database was changed after it was made is refused (exit 1).
    db = tmp_path / "b" / "library.sqlite"
    data = bytearray(db.read_bytes())
    data[-1] ^= 1
    db.write_bytes(bytes(data))
    code, _out, err = run(capsys, "restore", str(tmp_path / "b"), str(tmp_path / "r"))
    assert code == 1 and "not the one its manifest names" in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=240)


def test_backup_onto_another_filesystem_and_a_full_one(lib: Path, tmp_path: Path) -> None:
    probe = _in_namespace(f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(tmp_path))}")
    if probe.returncode != 0:
        pytest.skip(f"needs `unshare -m` as root: {probe.stderr.strip()}")
    big = tmp_path / "big.txt"
    big.write_bytes(os.urandom(600_000).hex().encode())  # 1.2 MB of text
    assert subprocess.run([sys.executable, "-m", "workbench.cli", "--library", str(lib),
                           "import", str(big)], cwd=ROOT, capture_output=True).returncode == 0
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cli = f"{shlex.quote(sys.executable)} -m workbench.cli --library {shlex.quote(str(lib))}"
    m = shlex.quote(str(mnt))
    other = _in_namespace(f"mount -t tmpfs -o size=16m tmpfs {m} && "
                          f"{cli} backup {m}/b --json && ls {m}/b")
    assert other.returncode == 0, other.stderr
    out = json.loads(other.stdout[:other.stdout.rindex("}") + 1])
    assert out["linked"] == 0 and out["copied"] == 5 and out["verified"]["ok"]
    db_kib = (lib / "library.sqlite").stat().st_size // 1024
    for size in ("64k", f"{db_kib + 300}k"):  # full at the database, then at the originals
        full = _in_namespace(f"mount -t tmpfs -o size={size} tmpfs {m} && "
                             f"{cli} backup {m}/b; echo code=$?; ls -A {m}")
        # Exit 1 and nothing left on the full disk.
        assert full.stdout.strip() == "code=1", full.stdout + full.stderr
        err = full.stderr.strip()
        assert err.startswith("workbench: error: Could not"), err
        assert "No space left on device" in err or "disk is full" in err, err
        assert "free some space" in err and "\n" not in err and "Traceback" not in err
