"""The window on a small laptop screen (1024x700, and at 200 % text): panes keep their sizes,
nothing is cut or overlapping, and the reader follows each paragraph's direction.

Issue 14, bugs 4, 5, 7 and 10.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from tests.ui.conftest import backup_reminder_shown, facade
from workbench.changes import Changes

LONG_TITLE = ("UN Report: Serious Human Rights Violations in Xinjiang May Constitute Crimes "
              "Against Humanity | China Digital Times")
UYGHUR = ("ئۇيغۇر ئاپتونوم رايونىدىكى لاگېرلار توغرىسىدا دوكلات. بۇ يەردە نۇرغۇن كىشى "
          "تۇتۇپ تۇرۇلغان.")
ARABIC = "تقرير عن المعسكرات في المنطقة. احتجز كثير من الناس هنا دون محاكمة."


def _import(win: Any, paths: list[Path]) -> None:
    win.imports.start(paths)
    win.imports.plan_dialog.accept()
    if win.imports.summary_dialog is not None:
        win.imports.summary_dialog.accept()
    assert backup_reminder_shown(win)  # the panes fit beside it


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "cdt.html"
    page.write_text(
        f"<html><head><title>{LONG_TITLE}</title>"
        "<meta property='og:site_name' content='China Digital Times (CDT) — "
        "translations and news from Chinese-language media'></head><body>"
        "<p>The report on the camp describes detention on a vast scale. "
        + "Witnesses describe the camp and its walls. " * 40 + "</p></body></html>",
        encoding="utf-8")
    return page


def _text(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _settle(qtbot: Any) -> None:
    QApplication.processEvents()
    qtbot.wait(30)


def _doc_id(win: Any, title_part: str) -> int:
    docs = facade(win, lambda wb: wb.list_documents())
    return int(next(d["id"] for d in docs if title_part in (d.get("title") or "")))


# --- bug 4: a click or Enter on the selected row opens it again ------------------------------


def test_clicking_or_entering_the_selected_row_opens_its_document(window: Any, tmp_path: Path,
                                                                  qtbot: Any) -> None:
    _import(window, [_text(tmp_path, "a.txt", "Statement A about the camp walls.\n"),
                     _text(tmp_path, "b.txt", "Statement B about the night transfers.\n")])
    window.activateWindow()
    table = window.documents.table
    a, b = _doc_id(window, "Statement A"), _doc_id(window, "Statement B")
    model = window.documents.model
    row_a = next(r for r in range(model.rowCount()) if model.document_id(r) == a)
    table.selectRow(row_a)
    assert window.viewer.doc_id == a
    window.open_document(b)  # as a search hit or a dossier exhibit opens it
    assert window.viewer.doc_id == b
    window.acts["show_documents"].trigger()  # Ctrl+1: A's row is still the selected one
    assert table.currentIndex().row() == row_a
    rect = table.visualRect(window.documents.model.index(row_a, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.viewer.doc_id == a

    window.open_document(b)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.viewer.doc_id == a


def test_a_click_on_another_row_loads_its_document_once(threaded_window: Any, tmp_path: Path,
                                                        qtbot: Any) -> None:
    """The click both changes the current row and is a click: one load, not two."""
    win = threaded_window
    win.imports.start([_text(tmp_path, "a.txt", "Statement A.\n"),
                       _text(tmp_path, "b.txt", "Statement B.\n")])
    qtbot.waitUntil(lambda: win.imports.plan_dialog is not None, timeout=30000)
    win.imports.plan_dialog.accept()
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 2, timeout=30000)
    table = win.documents.model
    qtbot.waitUntil(lambda: table.document_id(1) is not None, timeout=30000)
    loads: list[int] = []
    real = win.viewer.session.query

    def counting(fn: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("doing", args[1] if len(args) > 1 else "") == "open the document":
            loads.append(1)
        return real(fn, *args, **kwargs)

    win.viewer.session.query = counting  # type: ignore[method-assign]
    try:
        view = win.documents.table
        rect = view.visualRect(table.index(1, 0))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: win.viewer.doc_id == table.document_id(1), timeout=30000)
    finally:
        del win.viewer.session.query
    assert len(loads) == 1


# --- bug 5: long titles and labels never resize the panes --------------------------------------


def test_long_titles_and_labels_leave_the_pane_sizes_alone(window: Any, tmp_path: Path,
                                                           qtbot: Any) -> None:
    _import(window, [_page(tmp_path), _text(tmp_path, "short.txt", "The camp, briefly.\n")])
    window.showNormal()
    window.resize(1024, 700)
    window.show_documents()
    _settle(qtbot)
    before = window.splitter.sizes()
    assert before[0] >= 150, before  # a usable sidebar to begin with

    if window.search_panel is not None:
        facade(window, lambda wb: wb.wait_for_index(60))
        window.search_field.setText("camp")
        window.run_search()
        _settle(qtbot)
        assert window.splitter.sizes() == before
        page_hit = next(n for n, h in enumerate(window.search_panel.hits)
                        if "China Digital Times" in (h.title or ""))
        window.search_panel.open_hit(page_hit)
    else:
        window.open_document(_doc_id(window, "China Digital Times"))
    _settle(qtbot)
    assert LONG_TITLE in window.viewer.title.toolTip() + window.viewer.title.text()
    assert window.splitter.sizes() == before
    assert not window.sidebar.horizontalScrollBar().isVisible()

    if window.builder is not None:
        window.show_dossier()
        _settle(qtbot)
        assert window.splitter.sizes() == before
        out = tmp_path / ("a-rather-long-folder-name-for-exports-" * 4) / LONG_TITLE
        window.builder.status.setText(f"Exported to {out}")
        _settle(qtbot)
        assert window.splitter.sizes() == before
    window.library_status.setText(str(tmp_path / ("deeply-nested-library-folder-" * 8)))
    _settle(qtbot)
    assert window.splitter.sizes() == before
    assert window.width() == 1024


def test_a_long_collection_name_leaves_the_pane_sizes_alone(window: Any, tmp_path: Path,
                                                           qtbot: Any) -> None:
    """The documents panel's heading was a plain QLabel: a long collection name asked for its
    whole width and widened the list pane, squeezing the sidebar and the reader."""
    _import(window, [_text(tmp_path, "a.txt", "Statement A about the camp walls.\n")])
    name = ("Forced labour in the Xinjiang camps: witness statements, satellite imagery and "
            "procurement records gathered for the Special Rapporteur, 2017 to 2023")
    doc = _doc_id(window, "Statement A")
    facade(window, lambda wb: wb.add_to_collection([doc], name))
    window.refresh_sidebar()
    window.showNormal()
    window.resize(1024, 700)
    window.show_documents()
    _settle(qtbot)
    before = window.splitter.sizes()
    window.sidebar.chosen.emit("collection", name)
    _settle(qtbot)
    assert window.documents.model.rowCount() == 1  # the collection is shown
    assert window.splitter.sizes() == before
    assert window.width() == 1024
    heading = window.documents.heading
    assert name in heading.toolTip()  # the whole name, for when it is cut
    assert heading.width() < heading.fontMetrics().horizontalAdvance(name)


# --- bug 7: a right-to-left paragraph is right-aligned ------------------------------------------


def _block_of(view: Any, needle: str) -> Any:
    block = view.document().firstBlock()
    while block.isValid():
        if needle in block.text():
            return block
        block = block.next()
    raise AssertionError(f"no block with {needle!r}")


@pytest.mark.parametrize("rtl", [UYGHUR, ARABIC], ids=["uyghur", "arabic"])
def test_right_to_left_paragraphs_read_right_to_left(window: Any, tmp_path: Path, qtbot: Any,
                                                     rtl: str) -> None:
    english = "The report, in English."
    _import(window, [_text(tmp_path, "mixed.txt", f"{english}\n\n{rtl}\n")])
    window.showNormal()
    window.resize(1024, 700)
    window.documents.table.selectRow(0)
    _settle(qtbot)
    view = window.viewer.text
    width = view.viewport().width()
    rtl_block, ltr_block = _block_of(view, rtl[:12]), _block_of(view, english[:12])
    assert rtl_block.textDirection() == Qt.LayoutDirection.RightToLeft
    assert ltr_block.textDirection() == Qt.LayoutDirection.LeftToRight
    view.blockBoundingRect(rtl_block)  # laid out as painting lays it out
    view.blockBoundingRect(ltr_block)
    assert rtl_block.layout().textOption().alignment() & Qt.AlignmentFlag.AlignRight
    last = rtl_block.layout().lineAt(rtl_block.layout().lineCount() - 1).naturalTextRect()
    assert last.right() > width - 40  # ends at the right edge, whatever its length
    first = ltr_block.layout().lineAt(0).naturalTextRect()
    assert first.left() < 40 and first.right() < width - 40  # English stays on the left


# --- bug 10: 1024x700, at normal and double text size -----------------------------------------


def test_the_window_fits_the_screen_it_opens_on(window: Any) -> None:
    from ui.window_fit import fitted_geometry

    avail = window.screen().availableGeometry()
    assert avail.contains(window.frameGeometry()) or window.isMaximized()
    small = QRect(0, 0, 1024, 700)
    size, maximize = fitted_geometry(QSize(1360, 840), small)
    assert maximize and size.width() <= 1024 and size.height() <= 700
    size, maximize = fitted_geometry(QSize(1360, 840), QRect(0, 0, 1920, 1050))
    assert not maximize and size == QSize(1360, 840)


@pytest.fixture(params=[1.0, 2.0], ids=["normal-text", "double-text"])
def scaled_window(request: Any, qtbot: Any, library_path: Path) -> Iterator[Any]:
    """A window made after the text size is set, as the app makes it."""
    from ui import theme
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    app = make_application()
    scale = float(request.param)
    original = QApplication.font()
    setter = getattr(theme, "set_text_scale", None)
    if setter is not None:  # Preferences → Text size: the font and the stylesheet's pixels
        setter(scale)
        theme.apply_theme(app)
    else:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        app.setFont(font)
    win = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(win)
    win.show()
    win.showNormal()  # the test screen is smaller than the preferred size: it opens maximized
    win.open_path(library_path)
    try:
        yield win
    finally:
        win.close()
        if setter is not None:
            setter(1.0)
            theme.apply_theme(app)
        app.setFont(original)


def _cut_buttons(root: QWidget) -> list[str]:
    return [f"{b.text()!r} {b.size().toTuple()} < {b.sizeHint().toTuple()}"
            for b in root.findChildren(QAbstractButton)
            if b.isVisibleTo(root) and b.text()
            and (b.sizeHint().width() > b.width() or b.sizeHint().height() > b.height())]


def _name(w: QWidget) -> str:
    return f"{w.metaObject().className()} {w.objectName() or w.accessibleName()}"


# A tab bar's own scroll arrows, which Qt places one pixel over each other.
QT_PARTS = {"ScrollLeftButton", "ScrollRightButton"}


def _overlaps(root: QWidget) -> list[str]:
    found = []
    for parent in [root, *root.findChildren(QWidget)]:
        if not parent.isVisibleTo(root):
            continue
        kids = [w for w in parent.children()
                if isinstance(w, QWidget) and w.isVisibleTo(root) and not w.isWindow()
                and w.objectName() not in QT_PARTS]
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                if a.geometry().intersects(b.geometry()):
                    found.append(f"{_name(a)} / {_name(b)}")
    return found


def _clipped(root: QWidget) -> list[str]:
    """Visible buttons that lie partly outside a parent (a wrapped row its parent has no room
    for), other than inside a scroll area, whose content is meant to be larger than it."""
    from PySide6.QtWidgets import QAbstractScrollArea

    found = []
    for b in root.findChildren(QAbstractButton):
        if not (b.isVisibleTo(root) and b.text()):
            continue
        w: QWidget = b
        parent = w.parentWidget()
        while w is not root and parent is not None:
            outer = parent.parentWidget()
            if isinstance(outer, QAbstractScrollArea) and parent is outer.viewport():
                break
            if not parent.rect().contains(w.geometry()):
                found.append(f"{b.text()!r}: {_name(w)} {w.geometry().getRect()} outside "
                             f"{_name(parent)} {parent.rect().getRect()}")
                break
            w, parent = parent, parent.parentWidget()
    return found


def _fill_dossier(win: Any, tmp_path: Path) -> int:
    _import(win, [_page(tmp_path), _text(tmp_path, "w.txt", "Witness statement on the camp.\n")])
    did: int = facade(win, lambda wb: wb.create_dossier(
        "Forced labour in the Xinjiang camps — case file for the Special Rapporteur")
                      ).dossier_ids[0]
    for d in facade(win, lambda wb: wb.list_documents()):
        facade(win, lambda wb, d=d: wb.add_item(did, document=d["id"]))
    facade(win, lambda wb: wb.add_section(did, "Witness statements"))
    facade(win, lambda wb: wb.redact_term(did, "camp", "protect a witness"))
    return did


def test_the_dossier_builder_fits_1024x700(scaled_window: Any, tmp_path: Path,
                                          qtbot: Any) -> None:
    win = scaled_window
    if win.builder is None:
        pytest.fail("this core build has no dossiers")
    did = _fill_dossier(win, tmp_path)
    win.refresh_sidebar()
    win.builder.open_dossier(did)
    win.show_dossier()
    win.resize(1024, 700)
    _settle(qtbot)
    assert win.size() == QSize(1024, 700), "the window's minimum size is larger than the screen"
    assert win.builder.isVisible()
    assert _cut_buttons(win.builder) == []
    assert _overlaps(win.builder) == []
    assert not win.builder.items.horizontalScrollBar().isVisible()
    assert win.splitter.sizes()[0] >= 100  # the sidebar stays usable

    win.show_documents()
    _settle(qtbot)
    assert not win.documents.table.horizontalScrollBar().isVisible()
    assert _overlaps(win.documents) == []
    assert win.size() == QSize(1024, 700)


def test_the_search_panel_and_viewer_fit_1024x700(scaled_window: Any, tmp_path: Path,
                                                 qtbot: Any) -> None:
    win = scaled_window
    _import(win, [_page(tmp_path), _text(tmp_path, "w.txt", "Witness statement on the camp.\n")])
    win.resize(1024, 700)
    if win.search_panel is not None:
        facade(win, lambda wb: wb.wait_for_index(60))
        win.search_field.setText("camp")
        win.run_search()
        win.search_panel.open_hit(0)
    else:
        win.documents.table.selectRow(0)
    _settle(qtbot)
    assert win.size() == QSize(1024, 700)
    for pane in (win.middle.currentWidget(), win.viewer):
        assert _cut_buttons(pane) == []
        assert _overlaps(pane) == []


def test_the_reader_header_gives_its_room_to_the_title(window: Any) -> None:
    # Regression (walk at 1024x700): a "Record" button beside the title repeated the Record
    # tab and cut the title short; the header holds no button that repeats a tab.
    from PySide6.QtWidgets import QAbstractButton

    viewer = window.viewer
    tabs = {viewer.tabs.tabText(i).split(" (")[0] for i in range(viewer.tabs.count())}
    header = [b.text() for b in viewer.findChildren(QAbstractButton)
              if not viewer.tabs.isAncestorOf(b) and b.text()]
    assert not tabs & set(header)


def test_the_codebook_fits_1024x700(scaled_window: Any, tmp_path: Path, qtbot: Any) -> None:
    """Tags → Codebook at 200 % text asked for about 676x710: more than the screen, so Qt cut
    its buttons and the window could not be 700 px high."""
    from tests.ui.test_codebook import click_tag, coded_window

    win = scaled_window
    coded_window(win, tmp_path)
    assert backup_reminder_shown(win)  # the panes fit beside it
    panel = win.codebook
    win.resize(1024, 700)
    _settle(qtbot)
    click_tag(qtbot, panel, "Abuse")
    _settle(qtbot)
    assert win.size() == QSize(1024, 700), "the window's minimum size is larger than the screen"
    assert panel.isVisible()
    assert panel.passages.table.model().rowCount() == 2
    assert _cut_buttons(panel) == []
    assert _clipped(panel) == []
    assert _overlaps(panel) == []
    assert win.splitter.sizes()[0] >= 100  # the sidebar stays usable
    for widget in (panel.tree, panel.memo, panel.passages.table):  # each still usable
        assert widget.isVisible() and widget.height() >= 40, (widget, widget.height())
    table = panel.passages.table  # the quote column gives way; the table never scrolls sideways
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count())
                if not header.isSectionHidden(c))
    assert shown <= table.viewport().width(), (shown, table.viewport().width())


def test_the_codebook_shows_several_tags_at_1024x700(window: Any, tmp_path: Path,
                                                     qtbot: Any) -> None:
    # Regression (walk at 1024x700): the tag tree got about two rows' height, the passages the
    # rest, so a user saw two tags of their codebook.
    from tests.ui.test_codebook import coded_window

    coded_window(window, tmp_path)
    window.showNormal()
    window.resize(1024, 700)
    window.show_codebook()
    _settle(qtbot)
    tree = window.codebook.tree
    # what the user sees of it: the upper area scrolls, so the tree may be taller than shown
    seen = tree.viewport().visibleRegion().boundingRect().height()
    assert seen >= 4 * tree.sizeHintForRow(0), seen


def _tag_names_cut(tree: Any) -> list[str]:
    """The tags whose names show in less than they need, or than ten characters of a long
    one: the room beside the colour dot in what the tree's viewport shows of the name column."""
    from PySide6.QtWidgets import QStyle, QTreeWidgetItemIterator

    metrics = tree.fontMetrics()
    dot = tree.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, tree)
    out = []
    it = QTreeWidgetItemIterator(tree)
    while it.value() is not None:
        item = it.value()
        shown = tree.visualRect(tree.indexFromItem(item, 0)).intersected(tree.viewport().rect())
        room = shown.width() - dot - 8  # the dot, and the margins around it and the text
        name = item.text(0)
        wanted = min(metrics.horizontalAdvance(name), metrics.horizontalAdvance(name[:10]))
        if room < wanted:
            out.append(f"{name!r}: {room} px of {wanted}")
        it += 1
    return out


def test_the_codebook_shows_its_tag_names_at_1024x700(scaled_window: Any, tmp_path: Path,
                                                      qtbot: Any) -> None:
    """Regression (walk at 1024x700): the tag tree's name column collapsed to a colour dot and
    "…" beside the counts (at 200 % text the "Passages" column took two thirds of the tree),
    and in a narrowed middle pane to a few letters scrolled sideways."""
    from tests.ui.test_codebook import coded_window

    win = scaled_window
    coded_window(win, tmp_path)
    facade(win, lambda wb: wb.add_tag("Forced labour/Findings of the Special Rapporteur"))
    win.session.broadcast(Changes(tags=True))
    assert backup_reminder_shown(win)  # the panes fit beside it
    win.resize(1024, 700)
    win.show_codebook()
    _settle(qtbot)
    tree = win.codebook.tree
    assert tree.topLevelItemCount() == 3
    assert _tag_names_cut(tree) == []
    sidebar, middle, reader = win.splitter.sizes()
    win.splitter.setSizes([sidebar + middle // 2, 1, reader + middle // 2])  # as narrow as it goes
    _settle(qtbot)
    assert win.splitter.sizes()[1] <= middle  # (at 200 % it is as narrow as it goes already)
    assert _tag_names_cut(tree) == []
    assert win.size() == QSize(1024, 700)


def test_the_codebook_s_tag_names_follow_a_text_size_applied_live(window: Any, tmp_path: Path,
                                                                   qtbot: Any) -> None:
    """Preferences → Text size while the codebook shows: at 200 % the names keep their room
    (the counts step aside), back at 100 % the counts come back."""
    from tests.ui.test_codebook import coded_window
    from ui import theme

    coded_window(window, tmp_path)
    assert backup_reminder_shown(window)  # the panes fit beside it
    window.showNormal()
    window.resize(1024, 700)
    window.show_codebook()
    _settle(qtbot)
    tree = window.codebook.tree
    assert not tree.isColumnHidden(1)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        theme.set_text_scale(2.0)
        theme.apply_theme(app)
        _settle(qtbot)
        assert _tag_names_cut(tree) == []
        assert window.size() == QSize(1024, 700)
        theme.set_text_scale(1.0)
        theme.apply_theme(app)
        _settle(qtbot)
        assert _tag_names_cut(tree) == []
        assert not tree.isColumnHidden(1), "the counts stayed aside at 100 %"
    finally:
        theme.set_text_scale(1.0)
        theme.apply_theme(app)
