"""Other copies in the window (issue 18 §1): the viewer's "Other copies (N)", the list of copies
with Open / Compare / Confirm / "Not a copy", the side-by-side comparison navigated change by
change, and search's "Collapse copies" with its "+1 copy" mark. Real widgets on a real library
holding an article and a copy of it with a paragraph removed and a sentence changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import facade

CRIMES = "un-report-crimes-against-humanity"


def _two_copies(window: Any, tmp_path: Path, text: str) -> tuple[int, int, dict[str, str]]:
    """The article (left) and a 'preserved' copy without its third paragraph, with one sentence
    reworded and a paragraph added (right). Returns their ids and the passages that differ."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    removed = paras[3]
    changed_from = paras[2].split(". ")[0]
    changed_to = changed_from.replace("detention", "internment", 1)
    assert changed_to != changed_from
    added = "This paragraph was added to the preserved copy by the researcher who saved it."
    other = [*paras[:2], paras[2].replace(changed_from, changed_to, 1), *paras[4:], added]
    src = tmp_path / "in"
    src.mkdir()
    (src / "official.txt").write_text("\n\n".join(paras), encoding="utf-8")
    (src / "preserved.txt").write_text("\n\n".join(other), encoding="utf-8")
    report, changes = facade(window, lambda wb: wb.import_paths(
        [src / "official.txt", src / "preserved.txt"]))
    ids = [int(o.document_id) for o in report.imported if o.document_id]
    assert len(ids) == 2, report
    window.session.broadcast(changes)
    return ids[0], ids[1], {"removed": removed, "changed_from": changed_from,
                            "changed_to": changed_to, "added": added}


@pytest.fixture
def copies(window: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> tuple[int, int, Any]:
    a, b, parts = _two_copies(window, tmp_path, corpus_texts[CRIMES])
    return a, b, parts


def test_the_mapping_between_two_copies_follows_the_changes() -> None:
    from ui.copies.diffmap import change_at, describe, map_offset

    # left "abcXYZdef" / right "abcdefQQ": delete [3,6) then insert at the end
    changes = [{"kind": "delete", "left": [3, 6], "right": [3, 3], "left_text": "XYZ",
                "right_text": ""},
               {"kind": "insert", "left": [9, 9], "right": [6, 8], "left_text": "",
                "right_text": "QQ"}]
    assert map_offset(changes, 1, "left") == 1
    assert map_offset(changes, 4, "left") == 3  # inside the deleted passage: where it was
    assert map_offset(changes, 7, "left") == 4  # "e" after the deletion
    assert map_offset(changes, 4, "right") == 7
    assert map_offset(changes, 7, "right") == 9  # inside the insert: the end of the left
    # with the lengths, an equal stretch maps proportionally (the core folds whitespace, so a
    # PDF's "equal" stretch may be longer): 20 characters against 10 halve
    assert map_offset([], 10, "left", lengths={"left": 20, "right": 10}) == 5
    assert map_offset(changes, 8, "left", lengths={"left": 10, "right": 8}) == 5
    assert map_offset(changes, 9, "left", lengths={"left": 10, "right": 8}) == 8
    assert change_at(changes, 4, "left") == 0
    assert change_at(changes, 7, "left") is None
    assert change_at(changes, 9, "left") == 1
    assert describe(changes[0]).startswith("Only in this copy: “XYZ”")
    assert describe(changes[1]).startswith("Only in the other copy: “QQ”")


def test_the_viewer_shows_other_copies_and_the_list_confirms_rejects_and_copies_the_hash(
        window: Any, copies: tuple[int, int, Any], qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, _parts = copies
    window.resize(1024, 700)
    window.open_document(a)
    ui = window.copies_ui
    assert ui.button.isVisible()
    assert ui.button.text().replace("&", "") == "Other copies (1)"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window.viewer.text, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: ui.dialog is not None)  # (a mnemonic animates the click)
    dialog = ui.dialog
    assert dialog is not None and dialog.isVisible()  # Alt+C, as the button's label says
    dialog.close()
    qtbot.mouseClick(ui.button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    tree = dialog.tree
    assert tree.topLevelItemCount() == 1
    row = tree.topLevelItem(0)
    sha = facade(window, lambda wb: wb.show_document(b)["sha256"])
    assert row.text(1) == "preserved.txt"
    assert row.text(5).endswith("…") and sha.startswith(row.text(5)[:-1])
    assert row.toolTip(5) == sha
    assert row.text(3).endswith("%") and row.text(4) == "found"
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == sha

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.tree.topLevelItem(0).text(4) == "confirmed"
    assert not dialog.confirm_button.isEnabled()
    assert facade(window, lambda wb: wb.copies(a))[0]["status"] == "confirmed"

    # Open: the other copy in the viewer, which lists the first as its copy
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert window.viewer.doc_id == b
    assert ui.button.isVisible()

    dialog.show_for(a)
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return len(asked) != 1  # No, then Yes

    monkeypatch.setattr("ui.copies.copies_bar.confirm", answer)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)  # answered No
    assert dialog.tree.topLevelItemCount() == 1 and "Undo brings it back" in asked[0]
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)  # answered Yes
    assert dialog.tree.topLevelItemCount() == 0
    assert facade(window, lambda wb: wb.copies(b)) == []
    assert not ui.button.isVisible()  # the open document (b) has no copy any more


def _format_at(view: Any, offset: int) -> Any:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.qt(offset) + 1)
    return cursor.charFormat()


def test_compare_marks_each_kind_of_change_and_moves_both_sides_change_by_change(
        window: Any, copies: tuple[int, int, Any], qtbot: Any) -> None:
    a, _b, parts = copies
    window.resize(1024, 700)
    window.open_document(a)
    ui = window.copies_ui
    ui.show_list()
    qtbot.mouseClick(ui.dialog.compare_button, Qt.MouseButton.LeftButton)
    assert len(ui.compares) == 1
    dlg = ui.compares[0]
    qtbot.waitUntil(lambda: dlg.comparison is not None)
    left, right = dlg.sides["left"], dlg.sides["right"]
    left_text = left.toPlainText()
    right_text = right.toPlainText()
    assert parts["removed"] in left_text and parts["removed"] not in right_text

    n = len(dlg.changes)
    assert n >= 3
    assert dlg.counter.text() == f"Change 1 of {n}"
    kinds = {ch["kind"] for ch in dlg.changes}
    assert {"delete", "insert"} <= kinds
    # the removed paragraph: struck through on the left; the added one underlined on the right
    removed_at = left_text.index(parts["removed"]) + 10
    assert _format_at(left, removed_at).fontStrikeOut()
    added_at = right_text.index(parts["added"]) + 10
    fmt = _format_at(right, added_at)
    assert fmt.underlineStyle() != fmt.UnderlineStyle.NoUnderline and not fmt.fontStrikeOut()
    # the reworded word: marked on both sides, neither struck nor plainly underlined alone
    word_left = left_text.index(parts["changed_from"]) + parts["changed_from"].index("detention")
    assert _format_at(left, word_left).background().color() != \
        _format_at(left, 0).background().color()

    # F8 and Alt+Down go forward, Shift+F8 back; each jump shows the change on both sides
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=3000)
    left.setFocus()
    qtbot.keyClick(left, Qt.Key.Key_F8)
    assert dlg.counter.text() == f"Change 2 of {n}"
    qtbot.keyClick(left, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert dlg.counter.text() == f"Change 3 of {n}"
    qtbot.keyClick(right, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert dlg.counter.text() == f"Change 2 of {n}"
    for _ in range(n):
        qtbot.mouseClick(dlg.next_button, Qt.MouseButton.LeftButton) \
            if dlg.next_button.isEnabled() else None
    assert dlg.counter.text() == f"Change {n} of {n}"
    assert not dlg.next_button.isEnabled() and dlg.prev_button.isEnabled()
    last = dlg.changes[-1]
    for side, view in dlg.sides.items():
        start = int(last[side][0])
        top = view.cursorForPosition(QPoint(2, 2)).position()
        bottom = view.cursorForPosition(
            QPoint(2, view.viewport().height() - 2)).position()
        assert top <= view.qt(start) <= bottom, side
        sel = view.extraSelections()
        assert len(sel) == 1 and sel[0].cursor.position() >= view.qt(start)

    # scrolling the left side to its removed paragraph brings the right side to the same place
    # (from the last change, at the end of both texts)
    left.scroll_to(removed_at + 200)
    right_top = right.top_offset()
    after = right_text.index(paras_after(left_text, parts["removed"])[:40])
    assert abs(right_top - after) < 300, (right_top, after, len(right_text))
    left.scroll_to(0)
    assert right.top_offset() == 0


def paras_after(text: str, para: str) -> str:
    """The paragraph that follows ``para`` in ``text``."""
    rest = text[text.index(para) + len(para):]
    return rest.strip("\n").split("\n\n")[0]


def test_search_collapses_copies_remembers_the_choice_and_the_mark_opens_the_list(
        window: Any, copies: tuple[int, int, Any], qtbot: Any) -> None:
    from PySide6.QtCore import QSettings

    from ui.copies.install import _setting, search_can_collapse

    if not search_can_collapse():
        pytest.fail("this core build cannot collapse copies in search")
    a, b, _parts = copies
    assert facade(window, lambda wb: wb.wait_for_index(60))
    window.resize(1024, 700)
    window.search_field.setText("Bachelet")
    window.run_search()
    panel = window.search_panel
    box = window.copies_ui.collapse
    assert box is not None and box.isVisible() and not box.isChecked()
    qtbot.waitUntil(lambda: len(panel.hits) == 2)

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # by keyboard
    assert box.isChecked()
    assert QSettings().value("search/collapse_copies") in (True, "true")
    qtbot.waitUntil(lambda: len(panel.hits) == 1)
    hit = panel.hits[0]
    other = b if hit.document_id == a else a
    assert hit.copies == [other]
    html = panel.results.item(0).data(Qt.ItemDataRole.UserRole + 10)
    assert "+1 copy" in html
    assert "1 other copy folded in" in panel.info.text()
    # the header counts the rows shown, not the documents before folding
    assert panel.info.text().startswith("1 document (1 other copy folded in)"), panel.info.text()
    assert not panel.more.isVisible()  # both ranked hits were read: nothing more to fetch

    # a click on "+1 copy" in the row opens the list of the hit's copies
    panel.results.doItemsLayout()
    rect = panel.results.visualItemRect(panel.results.item(0))
    delegate = panel.results.itemDelegate()
    from PySide6.QtWidgets import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    opt.initFrom(panel.results)
    opt.rect = rect
    doc = delegate._doc(opt, panel.results.model().index(0, 0))
    pos = None
    block = doc.begin()
    while block.isValid() and pos is None:
        if "+1 copy" in block.text():
            line = block.layout().lineAt(0)
            pos = doc.documentLayout().blockBoundingRect(block).topLeft() + line.rect().center()
            pos.setX(doc.documentLayout().blockBoundingRect(block).left() + 8)
        block = block.next()
    assert pos is not None
    from ui.search.delegate import PAD

    click = QPoint(int(rect.left() + PAD + pos.x()), int(rect.top() + PAD + pos.y()))
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=click)
    dialog = window.copies_ui.dialog
    assert dialog is not None and dialog.isVisible() and dialog.doc_id == hit.document_id
    assert [dialog.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
            for i in range(dialog.tree.topLevelItemCount())] == [other]

    dialog.close()

    # by keyboard: the Menu key on the hit offers its other copies
    panel.results.setFocus()
    panel.results.setCurrentRow(0)
    # (what the Menu key sends; offscreen QTest keys do not reach the platform's translation)
    viewport = panel.results.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, rect.center(), viewport.mapToGlobal(rect.center())))
    menu = window.copies_ui.last_menu
    assert menu is not None and menu.actions()[0].text() == "Other copies (1)…"
    menu.actions()[0].trigger()
    menu.close()
    assert dialog.isVisible() and dialog.doc_id == hit.document_id

    # the choice is remembered for the next window
    assert _setting() is True


def test_the_comparison_runs_on_the_worker_and_a_dialog_closed_meanwhile_is_left_alone(
        threaded_window: Any, tmp_path: Path, corpus_texts: dict[str, str], qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from tests.ui.conftest import facade_async
    from workbench.services import Workbench

    win = threaded_window
    text = corpus_texts[CRIMES]
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_text(text.replace("Bachelet", "the High Commissioner"),
                               encoding="utf-8")
    report, _ = facade_async(win, qtbot, lambda wb: wb.import_paths([src / "a.txt",
                                                                      src / "b.txt"]))
    a, b = (int(o.document_id) for o in report.imported)
    threads: list[str] = []
    real = Workbench.compare

    def compare(self: Any, left: Any, right: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(self, left, right)

    monkeypatch.setattr(Workbench, "compare", compare)
    dlg = win.copies_ui.compare(a, b)
    assert dlg.comparison is None and "Comparing" in dlg.status.text()  # the window goes on
    qtbot.waitUntil(lambda: dlg.comparison is not None, timeout=30000)
    assert threads and threads[0] != threading.main_thread().name
    assert dlg.counter.text().startswith("Change 1 of ")

    closed = win.copies_ui.compare(a, b)
    closed.close()  # before the answer: it must not be shown into a deleted dialog
    facade_async(win, qtbot, lambda wb: None)
    qtbot.wait(50)
    assert len(threads) == 2 and win.copies_ui.compares == [dlg]


def test_the_copies_keys_are_in_the_shortcuts_list(qapp: Any) -> None:
    from ui.actions import shortcut_rows

    rows = dict(shortcut_rows())
    assert rows["Other copies of the open document (viewer)"] == "Alt+C"
    assert rows["Next / previous change (comparing two copies)"] == "F8 / Shift+F8"


def _in_view(view: Any, offset: int) -> bool:
    top = view.cursorForPosition(QPoint(2, 2)).position()
    bottom = view.cursorForPosition(QPoint(2, view.viewport().height() - 2)).position()
    return top <= view.qt(offset) <= bottom


def test_the_comparison_opens_on_its_first_change_on_both_sides(
        threaded_window: Any, tmp_path: Path, corpus_texts: dict[str, str],
        qtbot: Any) -> None:
    """A PDF and a web capture of one article, a paragraph missing from the capture: the
    comparison opened (on the worker, the dialog already shown) with one side scrolled to the
    end and the other elsewhere, the change nowhere in sight, until F8 was pressed: the texts
    going in and their scroll bars appearing scrolled the sides after the jump to change 1."""
    from tests.support.files import make_html_capture, make_pdf, split_pages
    from tests.ui.conftest import facade_async

    win = threaded_window
    text = corpus_texts[CRIMES]
    title, _, body = text.partition("\n\n")
    paras = body.split("\n\n")
    del paras[len(paras) * 2 // 3]
    src = tmp_path / "in"
    src.mkdir()
    make_pdf(src / "a.pdf", split_pages(text), title=title)
    make_html_capture(src / "a.html", title, "\n\n".join(paras))
    report, changes = facade_async(win, qtbot, lambda wb: wb.import_paths(
        [src / "a.pdf", src / "a.html"]))
    a, b = (int(o.document_id) for o in report.imported)
    win.session.broadcast(changes)
    win.resize(1600, 1000)
    dlg = win.copies_ui.compare(a, b)
    qtbot.waitUntil(lambda: dlg.comparison is not None, timeout=30000)
    qtbot.wait(300)  # the texts laid out and painted
    assert dlg.counter.text() == f"Change 1 of {len(dlg.changes)}"
    first = dlg.changes[0]
    for side, view in dlg.sides.items():
        assert _in_view(view, int(first[side][0])), side
