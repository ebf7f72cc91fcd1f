"""Adding to the open dossier: Ctrl+D takes what has the keyboard focus; nothing goes in twice.

Ctrl+D used to add the highlight selected in the Highlights tab even while the document list had
the focus, added the same exhibit again without a word, and said nothing when nothing was
selected. Now the focus decides (the document list: its selected documents; the Highlights tab:
its selected highlights; the search results: the selected hit's document; the reader: the
document shown), an exhibit already in the dossier is named instead of added again, and the
status bar always says what happened, including, for a highlight with a note, where to make the
note the exhibit's commentary (``note_offer``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from ..operations.dossiers import describe, partition
from .note_offer import USE_NOTE, note_offer

NOTHING = "Select a highlight, a document or a search hit first, then press Ctrl+D."
NO_DOSSIER = "Open a dossier first, or make one with Dossier → New dossier…"


def add_to_dossier(window: Any) -> None:
    """Ctrl+D: adds what has the focus to the open dossier and says so in the status bar."""
    builder = window.builder
    highlights, documents = chosen(window)
    if builder.dossier_id is None:
        message = NO_DOSSIER
    elif not highlights and not documents:
        message = NOTHING
    else:
        # Said at once, then again with the note's offer once the worker has added them.
        add_new(builder, highlights, documents,
                lambda text: window.statusBar().showMessage(text, 12000 if USE_NOTE in text
                                                            else 6000))
        return
    window.statusBar().showMessage(message, 6000)


def chosen(window: Any) -> tuple[list[int], list[int]]:
    """(highlight ids, document ids) that Ctrl+D means, from where the focus is."""
    focus = QApplication.focusWidget()

    def within(widget: QWidget | None) -> bool:
        return focus is not None and widget is not None and (
            focus is widget or widget.isAncestorOf(focus))

    highlighter, search = window.highlighter, window.search_panel
    if within(window.documents):
        return [], window.documents.selected_ids()
    if highlighter is not None and within(highlighter.pane):
        return highlighter.selected_highlight_ids(), []
    if search is not None and within(search.results):
        doc = search.current_document()
        return [], [] if doc is None else [doc]
    if within(window.viewer):
        doc = window.viewer.doc_id
        return [], [] if doc is None else [doc]
    # Elsewhere (the search field, the sidebar, the dossier itself): the highlights selected in
    # the Highlights tab, else the documents selected in the list.
    highlights = highlighter.selected_highlight_ids() if highlighter is not None else []
    return highlights, [] if highlights else window.documents.selected_ids()


def add_new(builder: Any, highlights: list[int], documents: list[int],
            say: Callable[[str], None], position: int | None = None) -> None:
    """Adds those not yet in the builder's dossier and ``say``s what happened; if a new
    highlight has a note, says it again with where to make the note the commentary."""
    if builder.dossier_id is None:
        say(NO_DOSSIER)
        return
    entries = (builder.data.get("entries", [])
               if builder.data.get("id") == builder.dossier_id else [])
    new_h, new_d, there = partition(entries, highlights, documents)
    message = describe(len(new_h) + len(new_d), there)
    say(message)  # first: with a synchronous worker the offer below comes within ``add``
    if new_h or new_d:
        builder.add(new_h, new_d, position,
                    lambda noted: say(f"{message} {note_offer(noted)}"))
