"""Edit → Preferences through the real dialog: theme and text size live, the defaults it feeds
(new dossier prefix, Bates prefix, OCR languages, library folder), persistence across windows,
and the dark theme's redaction bars, highlights and tab bar (issue 14 §4, bug 12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from tests.ui.conftest import facade


@pytest.fixture(autouse=True)
def _plain_looks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No theme forced from outside; the looks go back to normal for the tests that follow."""
    monkeypatch.delenv("WORKBENCH_THEME", raising=False)
    monkeypatch.delenv("WORKBENCH_LIBRARY", raising=False)
    yield
    from ui import theme

    theme.set_choice("system")
    theme.set_text_scale(1.0)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply_theme(app)


def _open(win: Any) -> Any:
    win.acts["preferences"].trigger()  # Edit → Preferences…, as the menu or Ctrl+, does
    dialog = win.preferences_dialog
    assert dialog.isVisible()
    return dialog


def _ok(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _new_window(qtbot: Any, library_path: Path) -> Any:
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    make_application()
    win = MainWindow(TaskManager(sync=True))
    qtbot.addWidget(win)
    win.show()
    win.open_path(library_path)
    return win


def test_the_action_is_in_the_edit_menu_with_ctrl_comma(window: Any) -> None:
    from PySide6.QtGui import QKeySequence

    act = window.acts["preferences"]
    assert act.shortcut() == QKeySequence("Ctrl+,")
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert act in edit.actions()


def test_dark_theme_and_text_size_apply_at_once(window: Any, qtbot: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200  # light to start
    before = app.font().pointSizeF()
    label_before = window.search_field.font().pointSizeF()
    dialog = _open(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    _ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert window.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert app.font().pointSizeF() == pytest.approx(before * 1.5, abs=0.1)
    assert window.search_field.font().pointSizeF() > label_before  # widgets follow live
    assert "font-size: 33px" in app.styleSheet()  # the stylesheet's 22 px title, scaled too

    dialog = _open(window)  # back to light and normal size, again without a restart
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(100))
    _ok(qtbot, dialog)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert app.font().pointSizeF() == pytest.approx(before, abs=0.1)


def test_the_environment_variable_still_wins(window: Any, qtbot: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_THEME", "light")
    dialog = _open(window)
    assert any("WORKBENCH_THEME=light" in lbl.text() for lbl in dialog.findChildren(QLabel))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    _ok(qtbot, dialog)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_exhibit_prefix_prefills_the_new_dossier_dialog(window: Any, qtbot: Any) -> None:
    if window.builder is None:
        pytest.fail("this core build has no dossiers")
    dialog = _open(window)
    assert dialog.exhibit_prefix.text() == "Exhibit "  # the core's own default to start
    dialog.exhibit_prefix.setText("Annex ")
    assert "“Annex 1”" in dialog.prefix_preview.text()
    _ok(qtbot, dialog)

    window.acts["new_dossier"].trigger()
    new = window.builder.new_dialog
    assert new.isVisible() and new.prefix.text() == "Annex "
    assert not new.ok.isEnabled()  # no title yet
    qtbot.keyClicks(new.title, "Camp case")
    qtbot.mouseClick(new.ok, Qt.MouseButton.LeftButton)
    dossiers = facade(window, lambda wb: wb.list_dossiers())
    assert [(d["title"], d["prefix"]) for d in dossiers] == [("Camp case", "Annex ")]
    assert "“Annex 1”" in window.builder.meta.text()


def test_preferences_persist_across_a_new_window(window: Any, qtbot: Any, library_path: Path,
                                                 tmp_path: Path) -> None:
    libs = tmp_path / "cases"
    other = libs / "second-library"
    other.mkdir(parents=True)  # empty: a new library is made there at the next start
    dialog = _open(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(130))
    dialog.ocr.setText("eng, deu")
    dialog.exhibit_prefix.setText("Tab ")
    dialog.bates.setText("NGO-")
    dialog.library.setText(str(other))
    _ok(qtbot, dialog)
    if window.builder is not None:
        assert window.builder.bates.text() == "NGO-"  # the open window takes it at once
    window.close()

    again = _new_window(qtbot, library_path)
    try:
        from ui.app import library_to_open
        from ui.preferences import library_dialog_folder

        dialog = _open(again)
        assert dialog.theme.currentData() == "dark"
        assert dialog.text_size.currentData() == 130
        assert dialog.ocr.text() == "eng, deu"
        assert dialog.exhibit_prefix.text() == "Tab "
        assert dialog.bates.text() == "NGO-"
        assert dialog.library.text() == str(other)
        dialog.reject()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        if again.builder is not None:
            assert again.builder.bates.text() == "NGO-"
        # the chosen library opens at start (and may be made there); dialogs start beside it
        assert library_to_open(None) == (other, True)
        assert library_dialog_folder() == str(libs)
        assert library_to_open(library_path) == (library_path, False)  # --library still wins
    finally:
        again.close()


def test_an_unusable_library_folder_is_explained_and_not_saved(
        window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import preferences

    cluttered = tmp_path / "Downloads"
    cluttered.mkdir()
    (cluttered / "letter.txt").write_text("not a library", encoding="utf-8")
    dialog = _open(window)
    dialog.library.setText(str(cluttered))
    _ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "not a Workbench library" in dialog.library_problem.text()
    assert preferences.load().library == ""
    dialog.library.setText(str(window.session.path))  # an existing library is fine
    assert dialog.library_problem.text() == ""
    _ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert preferences.chosen_library() == window.session.path
    # WORKBENCH_LIBRARY (scripts, `make run` setups) still decides over the choice
    monkeypatch.setenv("WORKBENCH_LIBRARY", str(tmp_path / "scripted"))
    from ui.app import library_to_open

    assert library_to_open(None) == (tmp_path / "scripted", True)


def test_ocr_languages_feed_the_import(window: Any, qtbot: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.services import Workbench

    seen: list[Any] = []
    original = Workbench.run_import

    def spy(self: Any, plan: Any, options: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(options.ocr_languages)
        return original(self, plan, options, *args, **kwargs)

    monkeypatch.setattr(Workbench, "run_import", spy)
    f = tmp_path / "a.txt"
    f.write_text("A statement.\n", encoding="utf-8")
    window.imports.start([f])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    assert seen == [None]  # nothing chosen: the library's own setting decides

    dialog = _open(window)
    dialog.ocr.setText("eng+chi_sim")
    _ok(qtbot, dialog)
    g = tmp_path / "b.txt"
    g.write_text("Another statement.\n", encoding="utf-8")
    window.imports.start([g])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    assert seen == [None, "eng+chi_sim"]


def test_the_bates_prefix_used_last_is_offered_again(window: Any, qtbot: Any, tmp_path: Path,
                                                     library_path: Path) -> None:
    if window.builder is None:
        pytest.fail("this core build has no dossiers")
    did = facade(window, lambda wb: wb.create_dossier("Case")).dossier_ids[0]
    window.session.mutate(lambda wb: wb.add_item(did, note="A note for the record."))
    window.builder.open_dossier(did)
    window.builder.export(tmp_path / "case.html", "html", "HRW-")
    assert window.builder.last_export is not None
    window.close()
    again = _new_window(qtbot, library_path)
    try:
        assert again.builder.bates.text() == "HRW-"
    finally:
        again.close()


# --- dark theme: redaction bars, highlights, the tab bar (bug 12) -----------------------------

def test_redaction_bars_are_black_with_white_text_in_the_dark_theme(window: Any,
                                                                     qtbot: Any) -> None:
    from ui.dossier.items import redaction_colors, segments_html

    dialog = _open(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    _ok(qtbot, dialog)
    from PySide6.QtGui import QColor

    from ui import theme

    ink, paper = redaction_colors()
    bar, text, page = QColor(ink), QColor(paper), QColor(theme.DARK["base"])
    assert bar.lightness() < 100 and text.lightness() > 225  # a dark bar, white text
    assert bar.lightness() - page.lightness() > 40  # and still a bar on the dark page
    assert bar.lightness() < theme.MIN_DARK_HIGHLIGHT_LIGHTNESS - 50  # unlike any highlight
    shown = segments_html([("The witness ", None), ("", "[REDACTED]")])
    assert f"background-color:{ink}; color:{paper}'>[REDACTED]</span>" in shown

    from ui.dialogs.dossier_dialogs import RedactQuoteDialog

    redact = RedactQuoteDialog("Exhibit 1", "Name One saw it.", [(0, 8)], window)
    qtbot.addWidget(redact)
    (mark,) = redact.text.extraSelections()
    assert mark.format.background().color() == bar
    assert mark.format.foreground().color() == text


def test_highlights_do_not_look_like_redactions_in_the_dark_theme(window: Any,
                                                                  qtbot: Any) -> None:
    from ui import theme
    from ui.viewer.text_view import Painted, TextView

    dialog = _open(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    _ok(qtbot, dialog)
    view = TextView()
    qtbot.addWidget(view)
    view.set_text("The guards moved the detainees at dawn.", [])
    colors = ["#f5d742", "#2f6fde", "#1b1b1b"]  # yellow, a darker tag colour, a near-black one
    view.set_highlights([Painted(i + 1, 4 * i, 4 * i + 3, c) for i, c in enumerate(colors)])
    marks = view.extraSelections()
    assert len(marks) == 3
    for sel in marks:  # a bright, solid mark with dark text: a redaction is the opposite
        background = sel.format.background().color()
        text = sel.format.foreground().color()
        assert background.alpha() > 200 and background.lightness() >= 140
        assert text.lightness() < 40
    yellow, ink = theme.highlight_colors("#f5d742")
    assert yellow.name() == "#f5d742" and ink is not None  # a light colour is kept as it is


def test_no_white_line_along_the_tab_bar_in_the_dark_theme(window: Any, qtbot: Any,
                                                           tmp_path: Path) -> None:
    dialog = _open(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    _ok(qtbot, dialog)
    f = tmp_path / "t.txt"
    f.write_text("The guards moved the detainees at dawn.\n", encoding="utf-8")
    window.imports.start([f])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    window.documents.table.selectRow(0)  # opens it: the viewer shows its tabs
    tabs = window.viewer.tabs
    qtbot.waitUntil(lambda: tabs.isVisible(), timeout=5000)
    bar = tabs.tabBar()
    image = tabs.grab().toImage()
    last = bar.tabRect(bar.count() - 1)
    # right of the last tab nothing is drawn but the background: no base line above or below
    xs = range(last.right() + 8, min(tabs.width(), last.right() + 200))
    for y in range(0, bar.height() + 2):
        for x in xs:
            assert image.pixelColor(x, y).lightness() < 120, (x, y)


def test_auto_ocr_is_not_reported_missing() -> None:
    # "auto" asks the importer to read each page in its own script; it is not a language pack.
    from ui.operations.preferences import missing_ocr_languages

    assert missing_ocr_languages("auto", ["eng", "chi_sim"]) == []
    assert missing_ocr_languages("auto+deu", ["eng"]) == ["deu"]


def test_the_dialog_fits_the_screen_at_200_percent_text(window: Any, qtbot: Any) -> None:
    # Regression (walk at 1024x700): the dialog was taller than the screen, its OK button
    # out of reach. Its groups now scroll and the buttons stay in view.
    from PySide6.QtWidgets import QDialogButtonBox

    from ui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.set_text_scale(2.0)
    theme.apply_theme(app)
    dialog = _open(window)
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    corner = ok.mapTo(dialog, ok.rect().bottomRight())
    assert dialog.rect().contains(corner)
    dialog.reject()


def test_a_new_text_size_resizes_rows_and_sidebar_headings_at_once(window: Any,
                                                                   qtbot: Any) -> None:
    # Regression (walk): at 200 % chosen in Preferences the document rows kept their height
    # and clipped their text, and the sidebar's section headings stayed small until restart.
    table_rows = window.documents.table.verticalHeader()
    rows_before = table_rows.defaultSectionSize()
    heading = window.sidebar.sections["library"]
    heading_before = heading.font(0).pointSizeF()
    dialog = _open(window)
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(200))
    _ok(qtbot, dialog)
    assert table_rows.defaultSectionSize() >= 1.8 * rows_before
    assert heading.font(0).pointSizeF() >= 1.8 * heading_before
    line = window.sidebar.fontMetrics().height()
    assert window.sidebar.visualItemRect(window.sidebar.all_item).height() >= line


def test_unticked_boxes_can_be_seen_in_the_dark_theme(window: Any, qtbot: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression (walk): Fusion outlines a check box in the window colour darkened, which
    # vanished on the dark base: the highlight dialog's unticked tags showed no box at all.
    from ui import theme
    from ui.dialogs.highlight_dialog import HighlightDialog

    monkeypatch.setenv("WORKBENCH_THEME", "dark")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app)
    tags = [{"path": "Detention", "color": "#7fc8f8"}, {"path": "Victims", "color": "#f5d742"}]
    dialog = HighlightDialog("a quote", tags, chosen=["Victims"], parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.tag_list
    row = view.visualItemRect(view.item(0))
    image = view.viewport().grab().toImage()
    base = view.palette().color(QPalette.ColorRole.Base).lightness()
    box = [image.pixelColor(x, y).lightness()
           for x in range(row.left(), row.left() + 24) for y in range(row.top(), row.bottom())]
    assert max(box) - base > 60  # the unticked box's outline stands out from the page
    dialog.reject()
