"""The leak hunt's quick mode in the test suite: the issue's twelve leaks, every format, 0 leaks.

``leak_hunt.py`` (run it directly) is the full hunt; see its docstring for what it plants and
how it reads exports back. The control checks the reader is not blind: with nothing redacted,
the planted spellings must be found in the bundles.
"""

from __future__ import annotations

import json

import pytest

from tests.adversarial.leak_hunt import FORMATS, QUICK, control, hunt


def _show(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)[:6000]


@pytest.mark.slow
def test_quick_hunt_finds_no_leak(tmp_path):
    report = hunt(list(QUICK), keep=tmp_path)
    assert report["errors"] == [], _show(report["errors"])
    assert report["leaks"] == [], _show(report["leaks"])
    assert report["unhelpful_refusals"] == [], _show(report["unhelpful_refusals"])
    assert report["exports"] == len(QUICK) * len(FORMATS)
    assert report["written"] + report["refused"] == report["exports"]
    assert report["decodings"] > 1000


@pytest.mark.slow
def test_the_hunt_sees_what_is_not_redacted(tmp_path):
    hidden = [p for p in QUICK if p.place in ("html_nav_gbk", "html_nav_utf16",
                                              "eml_html_part", "file_name")]
    hidden.append(next(p for p in QUICK if p.place == "pdf_excerpt" and p.term == "Ekpar"))
    checked = control(hidden, formats=("bundle",), keep=tmp_path)
    assert checked["errors"] == [], _show(checked["errors"])
    assert checked["blind"] == [], _show(checked["blind"])
