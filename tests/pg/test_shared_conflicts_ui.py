"""Two desktops on one shared case on PostgreSQL, through the window (issue 19: no lost
update): Bob's window renames a tag in the codebook (F2), drags a tag in the sidebar or
renames a collection (F2) that Alice's desktop changed after his window loaded it. The save
is refused by the server's row version; the window's box names Alice; Reload shows her
value, Overwrite writes Bob's and the audit log says whose change it replaced.

Each desktop is its own server role (``desktop_of``), so the authors are the roles. Alice's
change is made in the moment before Bob's window hears of it: the window's hearing is paused
(``_not_heard_yet``), as it is for the second or so until the server's NOTIFY arrives;
otherwise the window would show her change first and there would be nothing to refuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt  # noqa: TID251 - a window test
from PySide6.QtGui import QDropEvent  # noqa: TID251 - a window test

from tests.pg.test_shared_concurrency import desktop_of, make_shared
from tests.support.postgres import Cluster
from tests.ui.conftest import _isolated_settings, _window, facade  # noqa: F401 (a fixture)
from tests.ui.test_conflict_ui import _answer_box
from workbench.services import Workbench

pytestmark = pytest.mark.postgres


@pytest.fixture
def desktops(qtbot: Any, pg_cluster: Cluster, pg_db: str, tmp_path: Path,
             capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Workbench]]:
    """Bob's window and Alice's desktop (a facade of its own) on one shared case, with a
    document in it (the codebook shows its tree only in a library with documents)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    marker = make_shared(pg_db, tmp_path, capsys)
    alice_at = desktop_of(pg_cluster, pg_db, marker, "alice")
    bob_at = desktop_of(pg_cluster, pg_db, marker, "bob")
    note = tmp_path / "note.txt"
    note.write_text("Witness A saw the trucks leave the camp.\n", encoding="utf-8")
    with Workbench.open(alice_at) as alice:
        alice.import_paths([note])
        for win in _window(qtbot, bob_at, sync=True):
            qtbot.waitUntil(lambda w=win: w.shared_changes.listener is not None
                            and w.shared_changes.listener.listening, timeout=10000)
            yield win, alice


def _not_heard_yet(win: Any) -> None:
    # Stops hearing (and drops an answer on its way): what Alice does next is not shown.
    win.shared_changes._stop()


def _last_event(win: Any, kind: str, object_id: int) -> dict[str, Any]:
    return facade(win, lambda wb: wb.audit_events(object_type=kind,
                                                  object_id=str(object_id)))[-1]


def _sidebar_item(win: Any, kind: str, payload: Any) -> Any:
    item = win.sidebar._find(kind, payload)
    assert item is not None, f"the sidebar shows no {kind} {payload!r}"
    return item


def _click_sidebar(win: Any, qtbot: Any, kind: str, payload: Any) -> None:
    rect = win.sidebar.visualItemRect(_sidebar_item(win, kind, payload))
    qtbot.mouseClick(win.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_tag_renamed_in_the_codebook_after_alice_renamed_it(
        desktops: tuple[Any, Workbench], qtbot: Any) -> None:
    from tests.ui.test_codebook import paths

    win, alice = desktops
    alice.add_tag("Camps")
    tid = int(alice.get_tag("Camps")["id"])
    win.acts["codebook"].trigger()
    panel = win.codebook
    qtbot.waitUntil(lambda: panel.tree.item_for(tid) is not None, timeout=5000)  # heard
    _not_heard_yet(win)

    def rename_with_f2(choice: str) -> str:
        item = panel.tree.item_for(tid)  # under the name this window last read
        rect = panel.tree.visualItemRect(item)
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert panel.tree.current_id() == tid
        seen: list[str] = []
        _answer_box(choice, seen)
        qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
        editor = panel.tree.focusWidget()
        assert editor is not panel.tree
        editor.selectAll()
        qtbot.keyClicks(editor, "Camps (Bob)")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        return seen[0]

    alice.rename_tag(tid, "Detention sites")
    asked = rename_with_f2("Reload")
    assert asked.startswith("Changed by alice at ") and "reload" in asked
    assert paths(win) == ["Detention sites"]
    qtbot.waitUntil(lambda: panel.tree.rows.get(tid, {}).get("path") == "Detention sites",
                    timeout=5000)  # her name is shown now

    alice.rename_tag(tid, "Sites")
    assert rename_with_f2("Overwrite").startswith("Changed by alice at ")
    qtbot.waitUntil(lambda: paths(win) == ["Camps (Bob)"], timeout=5000)
    event = _last_event(win, "tag", tid)
    assert event["author"] == "bob"
    assert event["details"]["overwrote"]["changed_by"] == "alice"
    assert alice.get_tag(tid)["path"] == "Camps (Bob)"


def test_a_tag_dragged_in_the_sidebar_after_alice_renamed_it(
        desktops: tuple[Any, Workbench], qtbot: Any) -> None:
    win, alice = desktops
    alice.add_tag("Camps")
    alice.add_tag("Places")
    camps, places = (int(alice.get_tag(p)["id"]) for p in ("Camps", "Places"))
    qtbot.waitUntil(lambda: win.sidebar._find("tag", places) is not None, timeout=5000)
    _not_heard_yet(win)
    sidebar = win.sidebar

    def drag_onto_places(choice: str) -> str:
        seen: list[str] = []
        _answer_box(choice, seen)
        _click_sidebar(win, qtbot, "tag", camps)  # the press that starts the drag
        target = sidebar.visualItemRect(_sidebar_item(win, "tag", places)).center()
        mime = sidebar.model().mimeData([sidebar.currentIndex()])
        sidebar.dropEvent(QDropEvent(QPointF(target), Qt.DropAction.MoveAction, mime,
                                     Qt.MouseButton.LeftButton,
                                     Qt.KeyboardModifier.NoModifier))
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        return seen[0]

    alice.rename_tag(camps, "Detention sites")
    assert drag_onto_places("Reload").startswith("Changed by alice at ")
    assert (alice.get_tag(camps)["path"], alice.get_tag(camps)["parent_id"]) == (
        "Detention sites", None)
    qtbot.waitUntil(lambda: _sidebar_item(win, "tag", camps).toolTip(0) == "Detention sites",
                    timeout=5000)  # her name is shown now, still at the top level

    alice.edit_tag(camps, description="Sites named by witnesses")
    assert drag_onto_places("Overwrite").startswith("Changed by alice at ")
    assert alice.get_tag(camps)["path"] == "Places/Detention sites"
    event = _last_event(win, "tag", camps)
    assert event["author"] == "bob"
    assert event["details"]["overwrote"]["changed_by"] == "alice"


def test_a_collection_renamed_in_the_sidebar_after_alice_changed_it(
        desktops: tuple[Any, Workbench], qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QInputDialog  # noqa: TID251 - a window test

    win, alice = desktops
    second = tmp_path / "second.txt"
    second.write_text("Witness B heard the guards.\n", encoding="utf-8")
    alice.import_paths([second])
    docs = [d["id"] for d in alice.list_documents()]
    alice.add_to_collection(docs, "Camp")
    cid = int(alice.list_collections()[0]["id"])
    qtbot.waitUntil(lambda: win.sidebar._find("collection", "Camp") is not None
                    and _sidebar_item(win, "collection", "Camp").text(0) == "Camp  (2)",
                    timeout=5000)
    _not_heard_yet(win)

    def rename_with_f2(current: str, choice: str) -> str:
        _click_sidebar(win, qtbot, "collection", current)
        seen: list[str] = []
        _answer_box(choice, seen)
        qtbot.keyClick(win.sidebar, Qt.Key.Key_F2)
        dialog = win.collection_rename_dialog
        assert isinstance(dialog, QInputDialog) and dialog.textValue() == current
        editor = dialog.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, "Camp Aksu")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        return seen[0]

    alice.remove_from_collection([docs[1]], cid)
    assert rename_with_f2("Camp", "Reload").startswith("Changed by alice at ")
    assert {c["name"]: c["documents"] for c in alice.list_collections()} == {"Camp": 1}
    qtbot.waitUntil(lambda: win.sidebar._find("collection", "Camp") is not None
                    and _sidebar_item(win, "collection", "Camp").text(0) == "Camp  (1)",
                    timeout=5000)  # her removal is shown now

    alice.rename_collection(cid, "Camp 1")
    assert rename_with_f2("Camp", "Overwrite").startswith("Changed by alice at ")
    assert {c["name"]: c["documents"] for c in alice.list_collections()} == {"Camp Aksu": 1}
    event = _last_event(win, "collection", cid)
    assert event["author"] == "bob"
    assert event["details"]["overwrote"]["changed_by"] == "alice"
