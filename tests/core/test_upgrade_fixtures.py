"""Every library kept from a released schema opens with today's code, upgraded, intact.

The folders under tests/fixtures/libraries/ are written by tests/support/make_library_fixture.py,
once per released schema, and never edited afterwards.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.services import Workbench
from workbench.store import current_revision, head_revision

KEPT = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "libraries").glob("schema-*"))


def test_there_is_a_kept_library() -> None:
    assert KEPT, "keep a library from every released schema"


@pytest.mark.parametrize("kept", KEPT, ids=[p.name for p in KEPT])
def test_kept_library_opens_upgraded_and_intact(kept: Path, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(kept, lib)
    with Workbench.open(lib) as wb:
        engine = wb.library.store.engine
        assert current_revision(engine) == head_revision(engine)
        check = wb.verify()
        assert check["ok"], check["problems"]
        assert check["documents_checked"] == 2
        [hl] = wb.list_highlights()
        assert hl["quote"] == "reasonable to conclude"
        assert [d["title"] for d in wb.list_dossiers()] == ["Fixture dossier"]
        # The kept folder has no index: it is rebuilt from the database on open.
        assert wb.wait_for_index(60)
        assert wb.search("Obokata").total >= 1
