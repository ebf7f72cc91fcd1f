"""PySide's per-import source scan keeps its answers and leaves no source lines behind."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (loads PySide's import hook)
import pytest

from ui import pyside_source_scan


def test_the_scan_answers_as_before_and_caches_no_lines(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    feature = sys.modules["shibokensupport.feature"]
    pyside_source_scan.install()
    assert pyside_source_scan.install() is False  # once only
    (tmp_path / "wb_scan_qt.py").write_text("from PySide6.QtCore import QObject\nX = 1\n")
    (tmp_path / "wb_scan_plain.py").write_text("Y = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("wb_scan_qt", "wb_scan_plain"):
        sys.modules.pop(name, None)
        feature.pyside_feature_dict.pop(name, None)
        __import__(name)  # PySide hooks the import statement, not importlib
        if name not in feature.pyside_feature_dict:
            # PySide 6.11 skips its hook in some states a test run leaves; what the hook does
            # with each imported module is this call, the scan (wrapped) included.
            feature.feature_imported(sys.modules[name])
    # PySide's own answers: a module naming PySide6 follows its feature switches, another not
    assert feature.pyside_feature_dict["wb_scan_qt"] == 0
    assert feature.pyside_feature_dict["wb_scan_plain"] == -1
    assert not [k for k in linecache.cache if "wb_scan_" in k]
    # a traceback still reads the lines when it needs them
    assert linecache.getline(str(tmp_path / "wb_scan_plain.py"), 1) == "Y = 2\n"
