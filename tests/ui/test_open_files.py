"""Files given to ``workbench gui`` (a file manager's "Open with", the menu entry's %F).

A document is offered for import into the library that opens (never imported silently); a
dossier bundle is verified and its report shown; a library folder or its marker file opens
that library; a missing path is said, and the window opens anyway.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import facade
from ui.open_files import FileOpener, Opening, sort_paths

CORPUS_FILE = "un-special-rapporteur-forced-labour"


def make_bag(folder: Path, payload: dict[str, bytes]) -> Path:
    """A small BagIt bag, as ``dossier export --format bundle`` writes one."""
    data = folder / "data"
    data.mkdir(parents=True)
    lines = []
    for name, content in payload.items():
        (data / name).write_bytes(content)
        lines.append(f"{hashlib.sha256(content).hexdigest()}  data/{name}\n")
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (folder / "manifest-sha256.txt").write_text("".join(lines))
    size = sum(len(c) for c in payload.values())
    (folder / "bag-info.txt").write_text(f"Payload-Oxum: {size}.{len(payload)}\n")
    tags = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n"
                   for n in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"))
    (folder / "tagmanifest-sha256.txt").write_text(tags)
    return folder


def zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, f"{folder.name}/{p.relative_to(folder).as_posix()}")
    return out


@pytest.fixture
def doc(tmp_path: Path, corpus_dir: Path) -> Path:
    src = tmp_path / "in" / "report one.txt"
    src.parent.mkdir()
    shutil.copy(corpus_dir / f"{CORPUS_FILE}.txt", src)
    return src


def test_paths_are_sorted_by_what_they_are(tmp_path: Path, library_path: Path, doc: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    bag = make_bag(tmp_path / "bag", {"a.txt": b"exhibit"})
    bag_zip = zip_folder(bag, tmp_path / "submission.zip")
    plain_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("photo.txt", "not a bag")
    other_lib = tmp_path / "other"
    shutil.copytree(library_path, other_lib)
    missing = tmp_path / "gone.pdf"

    opening = sort_paths([doc, library_path / "workbench-library.json", bag_zip, bag,
                          plain_zip, other_lib, missing])
    assert opening.library == library_path
    assert opening.imports == [doc, plain_zip]
    assert opening.bundles == [bag_zip, bag]
    assert len(opening.problems) == 2
    assert str(other_lib) in opening.problems[0] and "one library" in opening.problems[0]
    assert str(missing) in opening.problems[1] and "no such file" in opening.problems[1]

    # --library wins over a library among the paths, which is then said
    assert sort_paths([library_path], other_lib).library == other_lib
    # a path relative to where the command ran is made absolute before the window uses it
    monkeypatch.chdir(doc.parent)
    assert sort_paths([Path(doc.name)]).imports == [doc]


def _window(qtbot: Any) -> Any:
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    make_application()
    win = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(win)
    win.show()
    return win


def test_a_document_is_imported_only_after_the_person_confirms(qtbot: Any, library_path: Path,
                                                               doc: Path) -> None:
    win = _window(qtbot)
    opener = FileOpener(win, sort_paths([doc]))
    assert opener.showing is None  # nothing is asked before a library is open
    win.open_path(library_path)
    qtbot.waitUntil(lambda: opener.showing is not None, timeout=10000)

    box = opener.showing
    assert doc.name in box.text() + box.informativeText()
    assert library_path.name in box.text() and str(library_path) in box.text()
    assert facade(win, lambda wb: wb.list_documents()) == []  # not before the answer
    qtbot.mouseClick(opener.import_button, Qt.MouseButton.LeftButton)

    # then the normal import: its plan (duplicates, unsupported files), progress, summary
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=10000)
    win.imports.plan_dialog.accept()
    qtbot.waitUntil(lambda: win.imports.summary_dialog is not None, timeout=30000)
    assert len(win.imports.summary_dialog.report.imported) == 1
    titles = [d["title"] for d in facade(win, lambda wb: wb.list_documents())]
    assert len(titles) == 1
    win.close()


def test_declining_imports_nothing(qtbot: Any, library_path: Path, doc: Path) -> None:
    win = _window(qtbot)
    opener = FileOpener(win, sort_paths([doc]))
    win.open_path(library_path)
    qtbot.waitUntil(lambda: opener.showing is not None, timeout=10000)
    opener.showing.reject()
    qtbot.waitUntil(lambda: opener.showing is None, timeout=5000)
    assert win.imports.plan_dialog is None
    assert facade(win, lambda wb: wb.list_documents()) == []
    win.close()


def test_a_bundle_is_verified_and_its_report_shown(qtbot: Any, tmp_path: Path,
                                                   library_path: Path) -> None:
    good = zip_folder(make_bag(tmp_path / "good", {"dossier.pdf": b"%PDF-1.7 exhibits"}),
                      tmp_path / "good.zip")
    bad = make_bag(tmp_path / "bad", {"dossier.pdf": b"%PDF-1.7 exhibits"})
    (bad / "data" / "dossier.pdf").write_bytes(b"%PDF-1.7 altered")
    win = _window(qtbot)
    opener = FileOpener(win, sort_paths([good, bad]))
    win.open_path(library_path)
    qtbot.waitUntil(lambda: opener.showing is not None, timeout=10000)
    first = opener.showing
    assert "good.zip" in first.text() and "1 payload file" in first.text()
    assert "match" in first.text()
    first.accept()
    qtbot.waitUntil(lambda: opener.showing is not None and opener.showing is not first,
                    timeout=10000)
    second = opener.showing
    assert "bad" in second.text() and "problem" in second.text().lower()
    assert "dossier.pdf does not match its SHA-256" in second.text()
    second.accept()
    qtbot.waitUntil(lambda: opener.showing is None, timeout=5000)
    assert facade(win, lambda wb: wb.list_documents()) == []  # a bundle is not imported
    win.close()


def test_missing_paths_are_said_and_the_library_still_opens(qtbot: Any, tmp_path: Path,
                                                            library_path: Path) -> None:
    win = _window(qtbot)
    missing = tmp_path / "nowhere" / "report.pdf"
    opener = FileOpener(win, sort_paths([missing]))
    win.open_path(library_path)
    qtbot.waitUntil(lambda: opener.showing is not None, timeout=10000)
    assert str(missing) in opener.showing.text() + opener.showing.informativeText()
    assert win.session.is_open
    opener.showing.accept()
    qtbot.waitUntil(lambda: opener.showing is None, timeout=5000)
    win.close()


def test_a_library_given_as_a_path_is_the_one_opened(qtbot: Any, library_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import app

    opened: list[Path] = []
    opening = sort_paths([library_path / "workbench-library.json"])
    assert opening == Opening(library=library_path)
    path, create = app.library_to_open(opening.library)
    assert (path, create) == (library_path, False)
    win = _window(qtbot)
    win.session.opened.connect(opened.append)
    FileOpener(win, opening)
    win.open_path(path, create=create)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened == [library_path.resolve()]
    win.close()


def test_run_app_hands_the_paths_to_the_window(qtbot: Any, library_path: Path, doc: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`workbench gui --library LIB FILE` as it starts: the real worker thread, the event loop
    stood in for by waiting until the question shows."""
    from PySide6.QtWidgets import QApplication

    import ui.open_files
    from ui import app

    asked: list[str] = []
    made: list[FileOpener] = []

    class Recorded(FileOpener):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    def event_loop(_app: Any) -> int:
        opener = made[0]
        qtbot.waitUntil(lambda: opener.showing is not None, timeout=30000)
        asked.append(opener.showing.text())
        opener.showing.reject()
        opener.window.close()
        opener.window.deleteLater()
        return 0

    monkeypatch.setattr(app, "setup_logging", lambda: None)  # no handler left on the root log
    monkeypatch.setattr(QApplication, "exec", event_loop)
    monkeypatch.setattr(ui.open_files, "FileOpener", Recorded)
    assert app.run_app(library_path, [doc]) == 0
    assert asked and str(library_path) in asked[0]


def test_a_bundle_with_a_damaged_member_says_which_file(qtbot: Any, tmp_path: Path,
                                                         library_path: Path) -> None:
    """A zip whose member fails its CRC is the bundle's problem, named in the report (the
    core's verify_bundle reports it; the window adds no handling of its own)."""
    from tests.core.test_verify_bundle_damage import _bag_zip, _corrupt_member

    bundle = _bag_zip(tmp_path / "damaged.zip")
    _corrupt_member(bundle, "bag/data/dossier.txt")
    win = _window(qtbot)
    opener = FileOpener(win, sort_paths([bundle]))
    win.open_path(library_path)
    qtbot.waitUntil(lambda: opener.showing is not None, timeout=10000)
    text = opener.showing.text()
    assert "damaged.zip" in text and "problem" in text.lower()
    assert "data/dossier.txt cannot be read from the bundle" in text
    opener.showing.accept()
    win.close()
