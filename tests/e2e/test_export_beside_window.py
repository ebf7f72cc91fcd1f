"""A dossier, a chronology and a check run from the command line while the desktop app holds
the library: they run on the library opened read-only, and their audit events are left for
the next writer, which appends them marked ``recorded_late`` (session 15's walk: `dossier
export` beside the open window was refused, "the library is open for writing in Workbench
desktop app"; a lawyer's export script must not need the window closed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_backup_cli import HOLDER, ROOT, run
from workbench.services import Workbench


def _library(tmp_path: Path) -> tuple[Path, int]:
    lib = tmp_path / "lib"
    src = tmp_path / "statement.txt"
    src.write_text("The witness Ayshe described the camp near Urumqi in detail.",
                   encoding="utf-8")
    with Workbench.open(lib, create=True, program="tests") as wb:
        wb.import_paths([src])
        hid = wb.add_highlight(1, "described the camp").highlight_ids[0]
        dossier = wb.create_dossier("Case file").dossier_ids[0]
        wb.add_item(dossier, highlight=hid)
        wb.redact_term(dossier, "Ayshe", "a witness")
    return lib, dossier


def _late_events(lib: Path) -> list[tuple[str, dict[str, object]]]:
    with Workbench.open(lib, writable=False) as wb:
        return [(e["type"], e["details"]) for e in wb.audit_events()
                if isinstance(e["details"], dict) and e["details"].get("recorded_late")]


def test_exports_beside_the_window_are_audited_when_it_closes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib, dossier = _library(tmp_path)
    stop = tmp_path / "stop"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lib), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        out = tmp_path / "case.pdf"
        code, stdout, err = run(capsys, "--library", str(lib), "dossier", "export",
                                str(dossier), "--format", "pdf", "-o", str(out), "--json")
        assert code == 0, err
        result = json.loads(stdout)
        assert out.is_file() and result["recorded"] is False and result["pending"] is True
        assert "next opened for writing" in err and "read-only" not in err
        code, stdout, err = run(capsys, "--library", str(lib), "event", "export",
                                "--format", "csv", "--out", str(tmp_path / "events.csv"),
                                "--json")
        assert code == 0, err
        code, stdout, err = run(capsys, "--library", str(lib), "verify", "--json")
        assert code == 0, err
        assert json.loads(stdout)["pending"] is True
        assert _late_events(lib) == []  # nothing appended while the window holds it
    finally:
        stop.touch()
        holder.wait(timeout=30)
    # the next writer (here the command line; the window on its next open) appends them
    code, _out, err = run(capsys, "--library", str(lib), "tag", "add", "Findings")
    assert code == 0, err
    late = _late_events(lib)
    assert [t for t, _d in late] == ["dissemination", "dissemination", "fixity check"]
    export = late[0][1]
    assert export["sha256"] == result["sha256"] and export["format"] == "pdf"
    assert export["happened_at"] and export["pending_id"]
    assert not list((lib / "audit-pending").glob("*"))
    code, stdout, err = run(capsys, "--library", str(lib), "verify", "--json")
    assert code == 0 and json.loads(stdout)["ok"], stdout  # the chain holds
