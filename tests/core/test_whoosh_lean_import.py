"""Whoosh is imported without urllib.request (``search/whoosh/lean_import.py``): its compat
module asks for ``urlretrieve``, which it never calls, and importing the web client cost ~20 ms
of every ``workbench search``. The stand-in must leave no trace: a later import of
urllib.request is the real module, and Whoosh's ``urlretrieve`` still works."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from pathlib import Path
import workbench.search.whoosh.engine
import whoosh.compat
before = {m: m in sys.modules for m in ("urllib.request", "http.client", "email.parser")}
import urllib.request
src = Path(sys.argv[1])
got, _ = whoosh.compat.urlretrieve(src.as_uri(), str(src.with_suffix(".copy")))
print(json.dumps({"before": before, "real": hasattr(urllib.request, "urlopen"),
                  "fetched": Path(got).read_text()}))
"""


def test_whoosh_loads_without_the_web_client_and_leaves_the_real_one_importable(
        tmp_path: Path) -> None:
    src = tmp_path / "note.txt"
    src.write_text("fetched through the real urllib", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", CHILD, str(src)], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["before"] == {"urllib.request": False, "http.client": False,
                              "email.parser": False}
    assert seen["real"] is True
    assert seen["fetched"] == "fetched through the real urllib"
