"""The import pipeline is loaded on the worker as a library opens (issue 16: the heartbeat
during an import): the first ``plan_import`` used to import ``workbench.ingest`` (≈ 80 ms of
CPU, holding the GIL in turns with the GUI thread) while the window showed the import."""

from __future__ import annotations

import importlib
from typing import Any

import pytest


def test_the_window_preloads_the_import_pipeline_with_its_feature_modules(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import library_opening

    loaded: list[str] = []
    real = importlib.import_module

    def spy(name: str, *a: Any) -> Any:
        loaded.append(name)
        return real(name, *a)
    monkeypatch.setattr(importlib, "import_module", spy)
    library_opening._import_features()  # what Session.preload runs on the worker
    assert "workbench.ingest" in loaded
    assert set(library_opening.FEATURE_MODULES) <= set(loaded)
