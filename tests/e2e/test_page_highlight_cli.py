"""`highlight add --page N --rect …` end to end through ``cli.main``: a text highlight and a
region on a generated PDF's page, `page_geometry` in list/show JSON, and usage errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_pdf
from workbench.cli import main
from workbench.pages.boxes import read_page_boxes, union


def _run(capsys: pytest.CaptureFixture[str], library: Path, *args: str,
         json_out: bool = True) -> tuple[int, Any, str]:
    capsys.readouterr()
    rc = main(["--library", str(library), *args, *(["--json"] if json_out else [])])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc == 0 and json_out else out), err


def test_highlight_on_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib"
    pdf = make_pdf(tmp_path / "r.pdf", ["Cover.", "The witness saw the convoy at dawn."])
    assert _run(capsys, lib, "init")[0] == 0
    rc, imported, err = _run(capsys, lib, "import", str(pdf))
    assert rc == 0, err
    doc = str(imported["imported"][0]["id"])

    pb = read_page_boxes(pdf, 2)
    i = pb.text.index("convoy")
    x0, y0, x1, y1 = union(pb.boxes[i:i + 6])
    rect = f"{x0 + 1},{y0 + 1},{x1 - 1},{y1 - 1}"
    rc, added, err = _run(capsys, lib, "highlight", "add", doc, "--page", "2", "--rect", rect,
                          "--tag", "Vehicles")
    assert rc == 0, err
    assert (added["quote"], added["page"]) == ("convoy", 2)
    (quad,) = added["page_geometry"]["pages"][0]["quads"]
    assert quad == pytest.approx([x0, y0, x1, y1], abs=0.01)

    rc, region, err = _run(capsys, lib, "highlight", "add", doc, "--page", "2", "--rect",
                           "300,500,400,600", "--region")
    assert rc == 0, err
    assert region["quote"] == "" and region["page_geometry"] == {
        "kind": "region", "pages": [{"page": 2, "quads": [[300, 500, 400, 600]]}]}

    rc, listed, _ = _run(capsys, lib, "highlight", "list", "--doc", doc)
    assert sorted(h["page_geometry"]["kind"] for h in listed) == ["region", "text"]
    rc, shown, _ = _run(capsys, lib, "highlight", "show", str(region["id"]))
    assert shown["page_geometry"] == region["page_geometry"]
    rc, text, _ = _run(capsys, lib, "highlight", "list", "--doc", doc, json_out=False)
    assert "[region on page 2]" in text and "convoy" in text

    # Usage errors: one line on stderr, exit 2, nothing written.
    for bad in (["--page", "2", "--rect", "1,2,3"], ["--page", "2", "--rect", "5,5,1,9"],
                ["--page", "2", "--rect", "a,b,c,d"], ["--page", "0", "--rect", "1,2,3,4"],
                ["--page", "2"], ["--rect", "1,2,3,4"],
                ["--page", "2", "--rect", "1,2,3,4", "--quote", "convoy"],
                ["--page", "2", "--rect", "300,500,400,600"]):
        rc, _, err = _run(capsys, lib, "highlight", "add", doc, *bad)
        assert rc == 2, (bad, err)
        assert "Traceback" not in err and "internal error" not in err
        assert err.strip().splitlines()[-1].startswith("workbench: error:"), err
    assert "region" in err  # the last: no text under the rectangle
    rc, listed, _ = _run(capsys, lib, "highlight", "list", "--doc", doc)
    assert len(listed) == 2
