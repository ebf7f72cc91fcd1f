"""The entity register in the window, through its real widgets on a real library: register
"Ekpar Asat" with his Uyghur and Chinese names (View → Entities, Add…, typed), see the register,
his mentions grouped by document and open one at the mention; confirm and dismiss suggestions;
edit names; and, in the dossier builder, "Redact person…" and the warning a one-spelling term
redaction brings, with its one-click "Redact the person instead"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import facade

ENGLISH = ("Ekpar Asat, a young entrepreneur from Aksu, disappeared in 2016 after he took part "
           "in a State Department programme. Friends of EKPAR ASAT say he was sentenced. "
           "Some reports spell him Ekber Asat.\n")
UYGHUR = "ئەكبەر ئاسات ئاقسۇلۇق ياش كارخانىچى. ئۇ 2016-يىلى غايىب بولدى.\n"
CHINESE = "艾克拜尔·阿沙特是阿克苏的年轻企业家，二〇一六年失踪。\n"
OTHER = ("Amnesty International and Human Rights Watch wrote to the ministry about the "
         "camps.\n")
OTHER2 = ("A second letter from Amnesty International and Human Rights Watch asked for "
          "access to the camps.\n")
NAMES = ["Ekpar Asat", "ئەكبەر ئاسات", "艾克拜尔·阿沙特"]


def _panel(win: Any) -> Any:
    if getattr(win, "entities", None) is None:
        pytest.fail("this core build has no entity register")
    return win.entities


def _settle(qtbot: Any) -> None:
    QApplication.processEvents()
    qtbot.wait(10)


def _import(win: Any, tmp_path: Path, texts: dict[str, str]) -> dict[str, int]:
    paths = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    win.imports.start(paths)
    win.imports.plan_dialog.accept()
    if win.imports.summary_dialog is not None:
        win.imports.summary_dialog.accept()
    docs = facade(win, lambda wb: wb.list_documents())
    out = {}
    for name, text in texts.items():
        out[name] = next(d["id"] for d in docs if d.get("original_filename") == name
                         or (d.get("title") or "x") in text)
    return out


def _library(win: Any, tmp_path: Path) -> dict[str, int]:
    docs = _import(win, tmp_path, {"english.txt": ENGLISH, "uyghur.txt": UYGHUR,
                                   "chinese.txt": CHINESE, "letter.txt": OTHER,
                                   "letter2.txt": OTHER2})
    facade(win, lambda wb: wb.wait_for_index(60))
    return docs


def _register_ekpar(win: Any) -> int:
    changes = facade(win, lambda wb: wb.add_entity("person", NAMES[0], aliases=NAMES[1:]))
    win.session.broadcast(changes)
    return int(changes.entity_ids[0])


def _open_panel(win: Any, qtbot: Any) -> Any:
    panel = _panel(win)
    win.acts["entities"].trigger()
    _settle(qtbot)
    assert win.middle.currentWidget() is panel
    return panel


def _row_of(panel: Any, name: str) -> Any:
    table = panel.table
    for i in range(table.topLevelItemCount()):
        if table.topLevelItem(i).text(1) == name:
            return table.topLevelItem(i)
    raise AssertionError(f"{name!r} is not in the register")


def _click_item(qtbot: Any, view: Any, item: Any, double: bool = False) -> None:
    view.scrollToItem(item)
    rect = view.visualItemRect(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_register_a_person_with_names_in_three_scripts(window: Any, qtbot: Any,
                                                       tmp_path: Path) -> None:
    _library(window, tmp_path)
    panel = _open_panel(window, qtbot)
    assert panel.table.topLevelItemCount() == 0
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.kind.currentData() == "person"
    qtbot.keyClicks(dialog.name, NAMES[0])
    dialog.aliases.setFocus()
    # Non-Latin letters arrive through an input method (QTest cannot type them as keys).
    dialog.aliases.insertPlainText(NAMES[1])
    qtbot.keyClick(dialog.aliases, Qt.Key.Key_Return)
    dialog.aliases.insertPlainText(NAMES[2])
    qtbot.keyClicks(dialog.note, "met his sister in 2019")
    # The Uyghur line is laid out right to left; the note says it is never exported.
    first = dialog.aliases.document().firstBlock()
    assert first.text() == NAMES[1] and first.textDirection() == Qt.LayoutDirection.RightToLeft
    assert "never exported" in dialog.note.accessibleName().lower()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert not dialog.isVisible()

    stored = facade(window, lambda wb: wb.get_entity("EKPAR ASAT"))
    assert stored["kind"] == "person" and sorted(stored["names"]) == sorted(NAMES)
    assert stored["note"] == "met his sister in 2019"
    row = _row_of(panel, NAMES[0])
    assert [row.text(c) for c in range(4)] == ["Person", NAMES[0], "3", "0"]
    assert panel.current_id() == stored["id"]
    events = facade(window, lambda wb: wb.audit_events(object_type="entity"))
    assert [str(e["object_id"]) for e in events] == [str(stored["id"])]


def test_mentions_by_document_open_the_document_at_the_mention(window: Any, qtbot: Any,
                                                               tmp_path: Path) -> None:
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    qtbot.waitUntil(lambda: panel.mentions.topLevelItemCount() == 3, timeout=20000)
    assert panel.current_id() == eid
    found = {panel.mentions.documents[i]["document_id"] for i in range(3)}
    assert found == {docs["english.txt"], docs["uyghur.txt"], docs["chinese.txt"]}
    assert "4 mentions in 3 documents" in panel.state.text()  # EKPAR ASAT counts too
    english = next(panel.mentions.topLevelItem(i) for i in range(3)
                   if panel.mentions.documents[i]["document_id"] == docs["english.txt"])
    assert english.childCount() == 2
    second = english.child(1)  # "EKPAR ASAT", in another case
    _click_item(qtbot, panel.mentions, second, double=True)
    _settle(qtbot)
    assert window.viewer.doc_id == docs["english.txt"]
    start = ENGLISH.index("EKPAR ASAT")
    assert window.viewer.text.mark_range == (start, start + len("EKPAR ASAT"))

    # The keyboard reaches the same: Enter on the Chinese document's row opens it.
    chinese = next(panel.mentions.topLevelItem(i) for i in range(3)
                   if panel.mentions.documents[i]["document_id"] == docs["chinese.txt"])
    panel.mentions.setFocus()
    panel.mentions.setCurrentItem(chinese)
    qtbot.keyClick(panel.mentions, Qt.Key.Key_Return)
    _settle(qtbot)
    assert window.viewer.doc_id == docs["chinese.txt"]
    assert window.viewer.text.mark_range[0] == CHINESE.index(NAMES[2])


def test_edit_names_and_delete_from_the_register(window: Any, qtbot: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    # The document open in the reader is linked to him ("Documents" counts it).
    window.open_document(docs["uyghur.txt"])
    _settle(qtbot)
    qtbot.mouseClick(panel.link_button, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    linked = facade(window, lambda wb: wb.get_entity(eid))["linked_documents"]
    assert [d["document_id"] for d in linked] == [docs["uyghur.txt"]]
    assert _row_of(panel, NAMES[0]).text(3) == "1"
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog.other_names() == NAMES[1:]
    # Drop the Chinese name, add a transliteration, keep the Uyghur one.
    dialog.aliases.setPlainText(f"{NAMES[1]}\nEkber Asat")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert not dialog.isVisible()
    stored = facade(window, lambda wb: wb.get_entity(eid))
    assert sorted(stored["names"]) == sorted([NAMES[0], NAMES[1], "Ekber Asat"])
    assert _row_of(panel, NAMES[0]).text(2) == "3"

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)  # not Edit → Delete document's shortcut
    _settle(qtbot)
    assert asked and NAMES[0] in asked[0], asked
    assert facade(window, lambda wb: wb.list_entities()) == []
    assert len(facade(window, lambda wb: wb.list_documents())) == len(docs)
    assert panel.table.topLevelItemCount() == 0


def test_confirm_one_suggestion_and_dismiss_another(window: Any, qtbot: Any,
                                                    tmp_path: Path) -> None:
    _library(window, tmp_path)
    panel = _open_panel(window, qtbot)
    panel.tabs.setCurrentWidget(panel.suggestions)
    _settle(qtbot)
    view = panel.suggestions
    names = [r["name"] for r in view.rows]
    assert "Amnesty International" in names and "Human Rights Watch" in names, names
    amnesty = next(view.table.topLevelItem(i) for i in range(view.table.topLevelItemCount())
                   if view.table.topLevelItem(i).text(0) == "Amnesty International")
    _click_item(qtbot, view.table, amnesty)
    qtbot.mouseClick(view.register_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog.name.text() == "Amnesty International"
    dialog.kind.setCurrentIndex(dialog.kind.findData("organisation"))
    qtbot.keyClicks(dialog.aliases, "Amnesty")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    stored = facade(window, lambda wb: wb.get_entity("Amnesty International"))
    assert stored["kind"] == "organisation"
    assert panel.tabs.currentIndex() == 0 and panel.current_id() == stored["id"]

    panel.tabs.setCurrentWidget(view)
    _settle(qtbot)
    names = [r["name"] for r in view.rows]
    assert "Amnesty International" not in names  # registered now
    hrw = next(view.table.topLevelItem(i) for i in range(view.table.topLevelItemCount())
               if view.table.topLevelItem(i).text(0) == "Human Rights Watch")
    _click_item(qtbot, view.table, hrw)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=3000)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)  # dismisses it (as the Dismiss button)
    assert "Human Rights Watch" not in [r["name"] for r in view.rows]
    panel.load_suggestions()  # read again: the dismissal holds for this library
    _settle(qtbot)
    assert "Human Rights Watch" not in [r["name"] for r in view.rows]
    assert facade(window, lambda wb: [e["name"] for e in wb.list_entities()]) == [
        "Amnesty International"]


def test_register_and_add_a_name_from_the_reader(window: Any, qtbot: Any,
                                               tmp_path: Path) -> None:
    docs = _library(window, tmp_path)
    panel = _panel(window)
    window.open_document(docs["english.txt"])
    _settle(qtbot)
    text = window.viewer.text
    start = ENGLISH.index(NAMES[0])
    text.select_range(start, start + len(NAMES[0]))
    menu = text.context_menu()
    register = next(a for a in menu.actions() if a.text() == "Register as entity…")
    register.trigger()
    dialog = panel.dialog
    assert dialog.isVisible() and dialog.name.text() == NAMES[0]
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    eid = facade(window, lambda wb: wb.get_entity(NAMES[0]))["id"]

    # Another spelling in the text becomes one more name of him.
    start = ENGLISH.index("Ekber Asat")
    text.select_range(start, start + len("Ekber Asat"))
    menu = text.context_menu()
    alias_menu = next(a.menu() for a in menu.actions()
                      if a.menu() is not None and a.text() == "Add as alias of")
    [target] = [a for a in alias_menu.actions() if a.text() == NAMES[0]]
    target.trigger()
    _settle(qtbot)
    assert sorted(facade(window, lambda wb: wb.get_entity(eid))["names"]) == [
        "Ekber Asat", NAMES[0]]
    # A name it has already is not offered again.
    menu = text.context_menu()
    alias_menu = next(a.menu() for a in menu.actions() if a.text() == "Add as alias of")
    assert not alias_menu.isEnabled()


def _dossier_with(win: Any, doc: int) -> Any:
    builder = win.builder
    if builder is None or builder.redact_person_button is None:
        pytest.fail("this core build cannot redact a person")
    did = facade(win, lambda wb: wb.create_dossier("Aksu case")).dossier_ids[0]
    facade(win, lambda wb: wb.add_item(did, document=doc))
    win.refresh_sidebar()
    win.show_dossier()
    builder.open_dossier(did)
    return builder, did


def test_redact_a_person_from_the_builder(window: Any, qtbot: Any, tmp_path: Path) -> None:
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    builder, did = _dossier_with(window, docs["english.txt"])
    qtbot.mouseClick(builder.redact_person_button, Qt.MouseButton.LeftButton)
    dialog = builder.redact_person_dialog
    assert dialog.isVisible() and dialog.entity.currentData() == eid
    assert all(n in dialog.names.text() for n in NAMES)
    assert not dialog.ok.isEnabled()  # a reason first
    dialog.printed_label.setCurrentText("witness safety")
    qtbot.keyClicks(dialog.reason, "his family is in Aksu")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert not dialog.isVisible()
    rules = facade(window, lambda wb: wb.list_redactions(did))
    assert [(r["entity_id"], r["text"]) for r in rules] == [(eid, "")]
    shown = builder.redactions.item(0).text()
    assert "Person: Ekpar Asat (3 names)" in shown
    assert "[REDACTED: witness safety]" in shown and "his family is in Aksu" in shown


def test_a_one_spelling_redaction_warns_and_redacts_the_person_instead(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    docs = _library(window, tmp_path)
    eid = _register_ekpar(window)
    builder, did = _dossier_with(window, docs["english.txt"])
    facade(window, lambda wb: wb.add_item(did, document=docs["chinese.txt"]))
    builder.reload()
    from ui.dossier import redacting

    redacting.redact_term(builder)
    dialog = builder.redact_term_dialog
    qtbot.keyClicks(dialog.term, NAMES[0])
    qtbot.keyClicks(dialog.reason, "his family is in Aksu")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    bar = builder.alias_warning
    assert bar.isVisible() and NAMES[2] in bar.text.text()
    assert [r["text"] for r in facade(window, lambda wb: wb.list_redactions(did))] == [NAMES[0]]
    qtbot.mouseClick(bar.instead, Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert not bar.isVisible()
    rules = facade(window, lambda wb: wb.list_redactions(did))
    assert [(r["entity_id"], r["text"], r["reason"]) for r in rules] == [
        (eid, "", "his family is in Aksu")]
    assert "Person: Ekpar Asat (3 names)" in builder.redactions.item(0).text()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_reachable_by_keyboard_on_a_small_screen(window: Any, qtbot: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 theme: str) -> None:
    from ui import theme as looks

    monkeypatch.setenv("WORKBENCH_THEME", theme)
    looks.apply_theme(QApplication.instance())  # type: ignore[arg-type]
    _import(window, tmp_path, {"english.txt": ENGLISH})
    _register_ekpar(window)
    panel = _panel(window)
    window.showNormal()
    window.resize(1024, 700)
    window.show_documents()
    assert window.acts["entities"].shortcuts() == [QKeySequence("Ctrl+2"),
                                                   QKeySequence("Ctrl+Shift+E")]
    from ui.actions import shortcut_rows  # Help → Keyboard shortcuts lists it

    assert any(keys == "Ctrl+2 or Ctrl+Shift+E" and "Entities" in what
               for what, keys in shortcut_rows())
    window.activateWindow()
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+E"))
    _settle(qtbot)
    assert window.middle.currentWidget() is panel
    assert panel.table.hasFocus() and panel.current_id() is not None
    # Every button is in view and wide enough for its words at 1024×700.
    for b in (panel.add_button, panel.edit_button, panel.link_button, panel.delete_button):
        assert b.isVisible() and b.width() >= b.fontMetrics().horizontalAdvance(
            b.text().replace("&", "")), b.text()
    assert panel.mentions.height() > 80
    seen = set()
    for _ in range(14):  # Tab moves through the page and reaches each of its controls
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.add(QApplication.focusWidget())
    for w in (panel.filter, panel.kind, panel.add_button, panel.mentions):
        assert w in seen, w.accessibleName() or w
    assert window.width() == 1024
    # The sidebar's "Entities" leaf shows the page too.
    window.show_documents()
    window.sidebar.select("entities", None)
    _settle(qtbot)
    assert window.middle.currentWidget() is panel


def test_mentions_are_found_off_the_gui_thread(threaded_window: Any, qtbot: Any,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from tests.ui.conftest import facade_async
    from workbench.services import Workbench

    win = threaded_window
    panel = _panel(win)
    for name, text in (("english.txt", ENGLISH), ("chinese.txt", CHINESE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    facade_async(win, qtbot, lambda wb: wb.import_paths([tmp_path / "english.txt",
                                                         tmp_path / "chinese.txt"]))
    facade_async(win, qtbot, lambda wb: wb.wait_for_index(60))
    win.refresh_sidebar()  # the library's pages replace the first-run page
    qtbot.waitUntil(lambda: win.central.currentWidget() is win.splitter, timeout=30000)
    threads: list[str] = []
    real = Workbench.entity_mentions

    def mentions(self: Any, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Workbench, "entity_mentions", mentions)
    changes = facade_async(win, qtbot, lambda wb: wb.add_entity("person", NAMES[0],
                                                                aliases=NAMES[1:]))
    win.session.broadcast(changes)
    win.acts["entities"].trigger()
    qtbot.waitUntil(lambda: panel.mentions.topLevelItemCount() == 2, timeout=30000)
    assert threads and all(t.startswith("workbench-db") for t in threads)
    assert "3 mentions in 2 documents" in panel.state.text()


def test_a_mentions_context_shows_the_cut_once_and_no_cut_where_there_is_none(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    """The core's context already says where it was cut ("…"): each mention read "……" on both
    sides, and a name at the very start of a note read as if text came before it."""
    from ui.search.delegate import HTML_ROLE

    long = ("Background. " * 30 + "Then Ekpar Asat was taken. " + "Aftermath. " * 30 + "\n")
    docs = _import(window, tmp_path, {"english.txt": ENGLISH, "long.txt": long})
    facade(window, lambda wb: wb.wait_for_index(60))
    _register_ekpar(window)
    panel = _open_panel(window, qtbot)
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    qtbot.waitUntil(lambda: panel.mentions.topLevelItemCount() == 2, timeout=20000)

    def first_row(doc_id: int) -> str:
        i = next(i for i in range(2) if panel.mentions.documents[i]["document_id"] == doc_id)
        html = panel.mentions.topLevelItem(i).child(0).data(0, HTML_ROLE)
        return str(html).split("<br>", 1)[1]

    cut = first_row(docs["long.txt"])
    assert "……" not in cut and cut.startswith("…") and cut.endswith("…")
    start = first_row(docs["english.txt"])  # "Ekpar Asat, a young entrepreneur…"
    assert not start.startswith("…") and "……" not in start


def test_a_pdf_and_its_web_page_copy_are_told_apart_in_the_mentions(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    """An article saved as a PDF and as a web page has one title: the two groups of mentions
    looked identical. Each group's header now says the document's kind and its file name (a
    PDF) or source host (a web page), a long file name elided, and the pane is no wider."""
    from tests.support.files import make_html_capture, make_pdf
    from ui.search.delegate import HTML_ROLE

    title = "Uyghur entrepreneur missing since 2016"
    body = ("Ekpar Asat, a young entrepreneur from Aksu, disappeared in 2016 after he took "
            "part in a State Department programme.")
    long_name = "ekpar-asat-report-saved-from-the-ministry-site-before-it-was-taken-down.pdf"
    src = tmp_path / "in"
    src.mkdir()
    make_pdf(src / long_name, [body], title=title)
    make_html_capture(src / "article.html", title, body,
                      url="https://news.example.org/2016/uyghur-entrepreneur")
    _report, changes = facade(window, lambda wb: wb.import_paths(
        [src / long_name, src / "article.html"]))
    window.session.broadcast(changes)
    facade(window, lambda wb: wb.wait_for_index(60))
    _register_ekpar(window)
    window.showNormal()
    window.resize(1024, 700)
    panel = _open_panel(window, qtbot)
    _settle(qtbot)
    width = panel.mentions.width()
    _click_item(qtbot, panel.table, _row_of(panel, NAMES[0]))
    qtbot.waitUntil(lambda: panel.mentions.topLevelItemCount() == 2, timeout=20000)
    _settle(qtbot)
    headers = [str(panel.mentions.topLevelItem(i).data(0, HTML_ROLE)) for i in range(2)]
    tips = [panel.mentions.topLevelItem(i).toolTip(0) for i in range(2)]
    assert all(title in h for h in headers)
    assert headers[0] != headers[1]
    pdf = next(i for i in range(2) if "PDF" in headers[i])
    page = 1 - pdf
    assert "Web page · " in headers[page] and "news.example.org" in headers[page]
    assert "…" in headers[pdf] and long_name not in headers[pdf]  # elided
    assert long_name[:12] in headers[pdf] and long_name[-8:] in headers[pdf]
    assert long_name in tips[pdf] and "news.example.org" in tips[page]
    assert window.width() == 1024 and panel.mentions.width() == width
    bar = panel.mentions.horizontalScrollBar()
    assert bar.maximum() == 0
