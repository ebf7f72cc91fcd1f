"""The import plan and summary give the file's path the room their other columns leave: the
File column was a fixed 360 pixels and the Details column stretched over the rest, so a long
path read "/tmp/…/2022-08-31 OHCHR assess…" beside a Details cell with 300 pixels to spare
("TXT · 1.2 KB"; session 15's walk under Xvfb). The Result and Details columns are now as
wide as their longest value and the File column stretches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

LONG = ("2022-08-31 OHCHR assessment of human rights concerns in the Xinjiang Uyghur "
        "Autonomous Region.txt")


def _spare(table: Any, col: int) -> int:
    """How much wider than it needs a column is: its header, or its widest value shown."""
    need = max(table.horizontalHeader().sectionSizeHint(col), table.sizeHintForColumn(col))
    return table.columnWidth(col) - need


def _cut(table: Any, col: int) -> list[str]:
    model, width = table.model(), table.columnWidth(col)
    metrics = table.fontMetrics()
    return [model.index(r, col).data() for r in range(model.rowCount())
            if metrics.horizontalAdvance(model.index(r, col).data()) > width
            or table.sizeHintForIndex(model.index(r, col)).width() > width]


def _assert_paths_get_the_room(dialog: Any) -> None:
    dialog.resize(820, 480)  # as each dialog opens
    QApplication.processEvents()
    table = dialog.table
    header = table.horizontalHeader()
    roomy = {header.model().headerData(c, header.orientation()): _spare(table, c)
             for c in range(1, header.count())}
    # room for a character more is spare room; a few pixels of margin are not
    roomy = {name: px for name, px in roomy.items() if px > table.fontMetrics().averageCharWidth()}
    cut = _cut(table, 0)
    assert not (cut and roomy), (table.columnWidth(0), cut, roomy)
    # the columns fill the table, no wider: the path takes what the others leave
    total = sum(header.sectionSize(c) for c in range(header.count()))
    assert total == table.viewport().width(), (total, table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    for col in range(1, header.count()):  # and the other columns are whole
        assert not _cut(table, col), (col, _cut(table, col))


def test_the_file_column_takes_the_room_the_others_leave(window: Any, tmp_path: Path,
                                                         qtbot: Any) -> None:
    first = tmp_path / "statement.txt"
    first.write_text("A statement about the camp.\n", encoding="utf-8")
    window.imports.start([first])
    window.imports.plan_dialog.accept()
    window.imports.summary_dialog.accept()
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / LONG).write_text("The assessment of the camps.\n", encoding="utf-8")
    (folder / "copy of statement.txt").write_bytes(first.read_bytes())  # a duplicate
    window.imports.start([folder / LONG, folder / "copy of statement.txt"])
    plan = window.imports.plan_dialog
    qtbot.waitExposed(plan)
    assert {plan.table.text(r, 0) for r in range(2)} == {str(folder / LONG),
                                                        str(folder / "copy of statement.txt")}
    _assert_paths_get_the_room(plan)
    plan.accept()
    summary = window.imports.summary_dialog
    qtbot.waitExposed(summary)
    assert summary.table.row_count() == 2
    _assert_paths_get_the_room(summary)
    summary.accept()


def test_a_path_too_long_for_its_column_keeps_its_file_name(window: Any, tmp_path: Path,
                                                            qtbot: Any) -> None:
    # When even the whole width is not enough, the folders give way, not the file's name:
    # "/tmp/…/2022-08-31 OHCHR assessmen…" hid which file a row was about.
    from PySide6.QtCore import Qt

    deep = tmp_path.joinpath(*["a folder with a long name"] * 6)
    deep.mkdir(parents=True)
    (deep / LONG).write_text("The assessment of the camps.\n", encoding="utf-8")
    window.imports.start([deep / LONG])
    plan = window.imports.plan_dialog
    qtbot.waitExposed(plan)
    plan.resize(820, 480)
    QApplication.processEvents()
    table = plan.table
    assert table.fontMetrics().horizontalAdvance(str(deep / LONG)) > table.columnWidth(0)
    shown = table.fontMetrics().elidedText(str(deep / LONG), Qt.TextElideMode.ElideMiddle,
                                           table.columnWidth(0) - 8)
    assert shown.endswith("Region.txt")
    plan.reject()


def test_only_the_path_column_elides_in_the_middle(window: Any, tmp_path: Path) -> None:
    # A duplicate's title in the Details column was cut in its middle like a path
    # ("“…te Crimes Against Humanity”"): its beginning says which document it is.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QStyleOptionViewItem

    (tmp_path / "a.txt").write_text("The assessment of the camps.\n", encoding="utf-8")
    window.imports.start([tmp_path / "a.txt"])
    table = window.imports.plan_dialog.table

    def elide(col: int) -> Qt.TextElideMode:
        option = QStyleOptionViewItem()
        option.textElideMode = table.textElideMode()  # type: ignore[attr-defined]
        delegate = table.itemDelegateForColumn(col) or table.itemDelegate()
        delegate.initStyleOption(option, table.model().index(0, col))
        return option.textElideMode  # type: ignore[attr-defined,no-any-return]

    assert elide(0) == Qt.TextElideMode.ElideMiddle
    assert elide(2) == Qt.TextElideMode.ElideRight
    window.imports.plan_dialog.reject()
