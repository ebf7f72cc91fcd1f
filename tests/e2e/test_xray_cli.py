"""``workbench xray`` and ``list --failed-redactions`` end to end: the import's summary names the
problem, the JSON shape, and the hidden text printed only with ``--show``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import xray_pdfs as X
from workbench.cli import main


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--library", str(lib), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict[str, Any]]:
    lib = tmp_path / "lib"
    files = tmp_path / "files"
    files.mkdir()
    X.write(files / "leaky.pdf", [X.ordinary_page(), X.black_box_over_text()])
    X.write(files / "clean.pdf", [X.shaded_table_header()])
    (files / "note.txt").write_text(X.BODY, encoding="utf-8")
    assert run(capsys, lib, "init")[0] == 0
    code, out, _err = run(capsys, lib, "import", str(files))
    assert code == 0
    assert "leaky.pdf: imported with problems — possible failed redaction: page 2 (1 area)" in out
    code, out, _err = run(capsys, lib, "list", "--json")
    ids = {d["title"] if d["kind"] == "pdf" else "note": d["id"] for d in json.loads(out)}
    return lib, ids


def test_xray_json_lists_the_areas_without_the_hidden_text(library, capsys):
    lib, ids = library
    code, out, err = run(capsys, lib, "xray", str(ids["leaky"]), "--json")
    assert code == 0 and err == ""
    areas = json.loads(out)
    assert len(areas) == 1
    assert set(areas[0]) == {"page", "bbox", "characters", "kind"}
    assert (areas[0]["page"], areas[0]["characters"], areas[0]["kind"]) == (
        2, 11, "covered-by-shape")
    x0, y0, x1, y1 = areas[0]["bbox"]
    assert 117 <= x0 < x1 <= 197 and X.HEIGHT - 693 <= y0 < y1 <= X.HEIGHT - 675
    assert "Aygul" not in out and "Tursun" not in out

    code, out, _err = run(capsys, lib, "xray", str(ids["leaky"]))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("page 2  [") and lines[0].endswith(
        "11 characters  covered-by-shape")
    assert "--show" in lines[-1]
    assert "Aygul" not in out and "Tursun" not in out


def test_xray_show_prints_the_hidden_text(library, capsys):
    lib, ids = library
    code, out, _err = run(capsys, lib, "xray", str(ids["leaky"]), "--show", "--json")
    assert code == 0
    assert [a["text"] for a in json.loads(out)] == [X.NAME]
    code, out, _err = run(capsys, lib, "xray", str(ids["leaky"]), "--show")
    assert f"'{X.NAME}'" in out
    # A read: no audit event, and the library still holds no hidden text beside the layer.
    code, out, _err = run(capsys, lib, "audit", "--json")
    assert not any(e["type"] == "dissemination" for e in json.loads(out))
    code, out, _err = run(capsys, lib, "show", str(ids["leaky"]), "--json")
    assert "Aygul" not in json.dumps(json.loads(out)["extra"])


def test_xray_of_clean_and_non_pdf_documents(library, capsys):
    lib, ids = library
    assert run(capsys, lib, "xray", str(ids["clean"]), "--json")[1].strip() == "[]"
    code, out, _err = run(capsys, lib, "xray", str(ids["clean"]))
    assert code == 0 and "no text found under" in out
    code, out, _err = run(capsys, lib, "xray", str(ids["note"]), "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _err = run(capsys, lib, "xray", str(ids["note"]))
    assert "not a PDF" in out
    code, _out, err = run(capsys, lib, "xray", "999")
    assert code == 2 and err.count("\n") == 1 and "No document 999" in err


def test_list_filters_possible_failed_redactions(library, capsys):
    lib, ids = library
    code, out, _err = run(capsys, lib, "list", "--failed-redactions", "--json")
    assert code == 0
    assert [d["id"] for d in json.loads(out)] == [ids["leaky"]]
    code, out, _err = run(capsys, lib, "list", "--json")
    assert len(json.loads(out)) == 3
