"""Write a small library at the current schema into tests/fixtures/libraries/schema-<rev>/.

Run once per released schema (``python -m tests.support.make_library_fixture``) and commit the
folder: ``tests/core/test_upgrade_fixtures.py`` then opens every kept library with the current
code, which must upgrade it to head and find everything it held.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from workbench.services import Workbench
from workbench.store import current_revision

HERE = Path(__file__).resolve().parents[1] / "fixtures"


def build(dest_root: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "files"
        src.mkdir()
        for name in ("un-special-rapporteur-forced-labour.txt",
                     "un-report-crimes-against-humanity.txt"):
            shutil.copy(HERE / "corpus" / name, src / name)
        lib = Path(tmp) / "lib"
        with Workbench.open(lib, create=True) as wb:
            wb.import_paths([src])
            docs = wb.list_documents()
            hl = wb.add_highlight(docs[0]["id"], quote="reasonable to conclude",
                                  tags=["Forced labour/Findings"], note="Key finding")
            dossier = wb.create_dossier("Fixture dossier")
            wb.add_item(dossier.dossier_ids[0], highlight=hl.highlight_ids[0])
            rev = current_revision(wb.library.store.engine)
        con = sqlite3.connect(lib / "library.sqlite")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.close()
        dest = dest_root / f"schema-{rev}"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(lib, dest, ignore=shutil.ignore_patterns("index", "tmp", "*.lock",
                                                                  "*-wal", "*-shm", "backups"))
        return dest


if __name__ == "__main__":
    print(build(HERE / "libraries"))
