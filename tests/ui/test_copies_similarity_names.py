"""Two similarity numbers for one pair (session 17, a fresh-user walk): the list of copies said
"Similar 94%" and Compare "96% similar". They are two measures: the share of five-word
passages the texts share (what finding copies estimates) and the share of the text a
comparison leaves unchanged. Each now says which it is, and its tooltip explains the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.test_copies_ui import CRIMES, _two_copies


def test_the_list_and_compare_name_their_measures(window: Any, tmp_path: Path,
                                                  corpus_texts: dict[str, str],
                                                  qtbot: Any) -> None:
    a, b, _parts = _two_copies(window, tmp_path, corpus_texts[CRIMES])
    window.resize(1024, 700)
    window.open_document(a)
    window.copies_ui.show_list()
    dialog = window.copies_ui.dialog
    tree = dialog.tree
    header = tree.headerItem()
    col = next(i for i in range(tree.columnCount()) if "%" in tree.topLevelItem(0).text(i))
    assert header.text(col) == "Passages shared"
    assert "five-word passages" in header.toolTip(col)
    row = tree.topLevelItem(0)
    shared = row.text(col)
    assert shared.endswith("%")
    tip = row.toolTip(col)
    assert tip.startswith(f"{shared} of their five-word passages are shared") and "Compare" in tip
    # the header reads whole at 1024x700
    width = tree.fontMetrics().horizontalAdvance(header.text(col))
    assert tree.header().sectionSize(col) >= width + 8, (tree.header().sectionSize(col), width)

    compare = window.copies_ui.compare(a, b)
    qtbot.waitUntil(lambda: compare.comparison is not None)
    said = compare.status.text()
    assert "similar" not in said
    unchanged = f"{int(float(compare.comparison['similarity']) * 100)}%"
    assert f"{unchanged} of the text unchanged" in said
    assert "five-word passages" in compare.status.toolTip()
    assert shared != unchanged  # two measures indeed, now told apart


def test_a_text_with_changes_is_never_said_to_be_100_percent_unchanged() -> None:
    from ui.copies.compare_dialog import share_unchanged

    # "2 changes · 100% of the text unchanged" read as a contradiction (two words in a
    # long report round to 100 %)
    assert share_unchanged(0.996, changed=True) == "99%"
    assert share_unchanged(1.0, changed=True) == "over 99%"
    assert share_unchanged(0.874, changed=True) == "87%"
    assert share_unchanged(1.0, changed=False) == "100%"
