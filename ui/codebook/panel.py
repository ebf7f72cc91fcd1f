"""The codebook page: the tag tree with every change the core offers, each tag's memo, and
the passages coded with the chosen tag.

Above, the tree (rename in place with F2, drag to re-parent, Delete key) with buttons and a
context menu for rename, move, merge, colour and delete, and the tag's memo beside it. Below,
the passages of the chosen tag and its sub-tags across documents (``PassagesView``): open one
in place, export them, add them to the open dossier. Every change is an operation in
``operations/codebook.py``; the page redraws from the ``Changes`` that come back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QColorDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.changes import Changes

from ..dialogs.confirm import confirm
from ..dialogs.save_as import ask_save_path, saved
from ..flow_layout import FlowLayout
from ..lazy_panel import LazyPanel
from ..operations import codebook as ops
from ..session import Session
from ..sidebar import color_dot
from ..window_fit import VerticalScroller
from .dialogs import TagPickerDialog
from .passages import PassagesView
from .tree import CodebookTree


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class CodebookPanel(LazyPanel):
    passage_opened = Signal(int, object)  # document id, mark (start, end, words) or None
    message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("Codebook")
        self.current_dossier: Callable[[], int | None] = lambda: None
        self.picker: TagPickerDialog | None = None
        self._dirty = True
        self._pending_tag: int | None = None  # to choose once the tree has loaded
        self._memo_tag: int | None = None  # whose memo the editor holds
        session.changed.connect(self.on_changes)
        session.opened.connect(lambda _path: self.reset())

    def _build(self) -> None:
        """The page's widgets, when first shown or used (``LazyPanel``)."""
        self.tree = CodebookTree()
        self.tree.currentItemChanged.connect(lambda *_: self._tag_chosen())
        self.tree.renamed.connect(lambda tid, name: self._edit(
            tid, "rename the tag", lambda **kw: ops.rename_tag(self.session, tid, name, **kw)))
        self.tree.moved.connect(lambda tid, parent: self._edit(
            tid, "move the tag", lambda **kw: ops.move_tag(self.session, tid, parent, **kw)))
        self.tree.delete_requested.connect(self.delete_tag)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("New tag: a name, or Parent/Child, then Enter")
        self.new_tag.setAccessibleName("New tag")
        self.new_tag.returnPressed.connect(self._add_tag)
        self.buttons: dict[str, QPushButton | QToolButton] = {}
        # The tag buttons in a row that wraps, above the tree and the memo: a column of them
        # beside the tree pushed the memo out of sight, and a QVBoxLayout squeezed them to the
        # stylesheet's minimum height on a short screen, cutting their text at 200 %.
        action_row = FlowLayout(spacing=4)
        for key, text, slot in (("rename", "Rename", self.tree.rename_current),
                                ("move", "Move to…", self.move_tag),
                                ("merge", "Merge into…", self.merge_tag),
                                ("color", "Colour", None),
                                ("delete", "Delete…", self.delete_current)):
            button: QPushButton | QToolButton
            if slot is None:
                button = self.color_button = QToolButton(text=text)
                button.setAccessibleName("Tag colour")
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                self.color_menu = QMenu(self)
                self.color_menu.aboutToShow.connect(lambda: self._fill_colors(self.color_menu))
                button.setMenu(self.color_menu)
            else:
                button = QPushButton(text)
                button.clicked.connect(slot)
            self.buttons[key] = button
            action_row.addWidget(button)
        self.memo = QPlainTextEdit()
        self.memo.setAccessibleName("Tag memo")
        self.memo.setPlaceholderText("Memo: what this code means, when to apply it…")
        self.memo.setTabChangesFocus(True)  # Tab goes on (a tab character was never meant)
        self.memo.textChanged.connect(self._memo_edited)
        self.save_memo = QPushButton("Save memo")
        self.save_memo.clicked.connect(self._save_memo)
        memo_label = QLabel("Memo")
        memo_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        memo_row = FlowLayout(spacing=4)  # "Memo" and its Save button share a row when they fit
        memo_row.addWidget(memo_label)
        memo_row.addWidget(self.save_memo)
        memo_column = QVBoxLayout()
        memo_column.setSpacing(4)
        memo_column.addLayout(memo_row)
        memo_column.addWidget(self.memo, 1)
        tags = QWidget()
        grid = QGridLayout(tags)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.new_tag, 0, 0, 1, 2)
        grid.addLayout(action_row, 1, 0, 1, 2)
        grid.addWidget(self.tree, 2, 0)
        grid.addLayout(memo_column, 2, 1)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.passages = PassagesView()
        self.passages.opened.connect(self._open_passage)
        self.passages.export_requested.connect(self.export)
        self.passages.add_requested.connect(self.add_to_dossier)
        # Tags above, passages below at full width: the quotes are what there is to read.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        # At 200 % text the tags, their buttons and the memo need more height than a 1024x700
        # screen leaves: they scroll rather than raise the window's minimum past the screen.
        self.splitter.addWidget(VerticalScroller(tags))
        self.splitter.addWidget(self.passages)
        # Half each: with less, a 1024x700 window showed two rows of the tag tree.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([350, 350])
        self.status = QLabel("")
        self.status.setObjectName("secondary")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self.status.hide()  # shown with a message: empty, it took a line from the passages
        self.message.connect(self._say)
        self._tag_chosen()

    # --- loading ------------------------------------------------------------------------------

    def reset(self) -> None:
        if not self.built:  # built empty, and read, when first shown
            self._dirty = True
            return
        self.tree.set_tags([])
        self.passages.set_rows(None, [])
        self._say("")
        self._dirty = True
        if self.isVisible():
            self.reload()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def reload(self) -> None:
        if self.session.is_open:
            self._dirty = False
            ops.load_tags(self.session, self._tags_loaded)

    def _tags_loaded(self, tags: list[dict[str, Any]]) -> None:
        # Rebuilding the tree moves the current item about: choose once, when it is done
        # (the same tag again too: its counts, memo or passages may have changed).
        self.tree.blockSignals(True)
        self.tree.set_tags(tags)
        if self._pending_tag is not None:
            self.tree.select(self._pending_tag)
            self._pending_tag = None
        self.tree.blockSignals(False)
        self._tag_chosen()

    def on_changes(self, changes: Changes) -> None:
        if changes.tags or changes.highlights or changes.documents:
            self._dirty = True
            if self.isVisible():
                self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def show_tag(self, tag_id: int) -> None:
        """Choose ``tag_id`` in the tree (from the sidebar): its passages follow."""
        if self.tree.item_for(tag_id) is not None and not self._dirty:
            self.tree.select(tag_id)
        else:
            self._pending_tag = tag_id

    def _tag_chosen(self) -> None:
        row = self.tree.current_row()
        tid = None if row is None else row["id"]
        for button in self.buttons.values():
            button.setEnabled(row is not None)
        previous, typed = self._memo_tag, self.memo.toPlainText().strip()
        unsaved = self.save_memo.isEnabled() and previous is not None
        keep = unsaved and tid == previous  # a refresh must not eat what is being typed
        self._memo_tag = tid
        if not keep:
            self.memo.blockSignals(True)
            self.memo.setPlainText((row.get("description") or "") if row else "")
            self.memo.blockSignals(False)
            self.save_memo.setEnabled(False)
        self.memo.setEnabled(row is not None)
        if unsaved and not keep and previous is not None:
            # Moving to another tag saves the memo typed for the last one (after the editor
            # has moved on: the save's refresh comes back through here).
            self._edit(previous, "save the tag's memo", lambda **kw: ops.set_description(
                self.session, previous, typed, **kw))
        if row is None:
            self.passages.set_rows(None, [])
            return
        tag = row
        ops.load_passages(self.session, row["id"],
                          lambda rows: self._passages_loaded(tag, rows))

    def _passages_loaded(self, tag: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        if self.tree.current_id() == tag["id"]:
            self.passages.set_rows(tag, rows)

    # --- changing tags ------------------------------------------------------------------------

    def _edit(self, tag_id: int, doing: str, save: Callable[..., object]) -> None:
        """Save an edit of ``tag_id`` made against the version this tree shows: when someone
        else changed the tag since, ask (ui/conflicts.py) to reload or to overwrite."""
        from ..conflicts import on_conflict

        row = self.tree.rows.get(tag_id)
        seen = None if row is None else row.get("version")
        # Reload: every view of the tags (this tree, the sidebar, highlights in their
        # colours) redraws with their change.
        save(seen=seen, on_error=on_conflict(
            self, self.session.presenter, doing,
            reload=lambda: self.session.broadcast(Changes(tags=True, highlights=True)),
            overwrite=lambda: save(seen=seen, force=True)))

    def _add_tag(self) -> None:
        path = self.new_tag.text().strip().strip("/")
        if path:
            ops.add_tag(self.session, path)
            self.new_tag.clear()

    def _descendants(self, tag_id: int) -> set[int]:
        out, todo = set(), [tag_id]
        while todo:
            parent = todo.pop()
            kids = [t["id"] for t in self.tree.rows.values() if t["parent_id"] == parent]
            out.update(kids)
            todo.extend(kids)
        return out

    def _pick(self, title: str, prompt: str, top_level: bool,
              then: Callable[[TagPickerDialog], None]) -> None:
        row = self.tree.current_row()
        if row is None:
            return
        exclude = {row["id"], *self._descendants(row["id"])}
        if top_level and row["parent_id"] is not None:
            exclude.add(row["parent_id"])  # already there
        rows = sorted(self.tree.rows.values(), key=lambda t: t["path"].casefold())
        dialog = TagPickerDialog(title, prompt.format(path=row["path"]), rows, exclude,
                                 top_level, self.window())
        dialog.accepted.connect(lambda: then(dialog))
        self.picker = dialog
        dialog.open()

    def move_tag(self) -> None:
        tag_id = self.tree.current_id()

        def chosen(dialog: TagPickerDialog) -> None:
            if tag_id is not None:
                parent = dialog.chosen_id()
                self._edit(tag_id, "move the tag", lambda **kw: ops.move_tag(
                    self.session, tag_id, parent, **kw))

        self._pick("Move tag", "Move “{path}”, with its sub-tags and passages, under:", True,
                   chosen)

    def merge_tag(self) -> None:
        self._pick("Merge tag", "Merge “{path}” into (its passages, sub-tags and memo move "
                   "there, then it is deleted):", False, self._merge_chosen)

    def _merge_chosen(self, dialog: TagPickerDialog) -> None:
        row, target_id = self.tree.current_row(), dialog.chosen_id()
        if row is None or target_id is None:
            return
        target = self.tree.rows[target_id]

        def ask(use: dict[str, Any]) -> None:
            text = (f"Merge “{row['path']}” into “{target['path']}”: "
                    f"{_plural(use['highlights'], 'highlight')} and "
                    f"{_plural(use['documents'], 'document')} move to “{target['path']}”, "
                    f"and “{row['path']}” is deleted. This cannot be undone.")
            if confirm(self, "Merge tags", text):
                self._edit(row["id"], "merge the tags", lambda **kw: ops.merge_tags(
                    self.session, row["id"], target_id, **kw))

        ops.tag_usage(self.session, row["id"], ask)

    def delete_current(self) -> None:
        tid = self.tree.current_id()
        if tid is not None:
            self.delete_tag(tid)

    def delete_tag(self, tag_id: int) -> None:
        def ask(use: dict[str, Any]) -> None:
            text = (f"Delete tag {use['path']}: {_plural(use['highlights'], 'highlight')} and "
                    f"{_plural(use['documents'], 'document')} lose it.")
            if use["sub_tags"]:
                text += (f" Its {_plural(use['sub_tags'], 'sub-tag')} "
                         f"{'goes' if use['sub_tags'] == 1 else 'go'} with it.")
            text += " The highlights and documents themselves stay."
            if confirm(self, "Delete tag", text):
                ops.delete_tag(self.session, tag_id)

        ops.tag_usage(self.session, tag_id, ask)

    def _fill_colors(self, menu: QMenu) -> None:
        menu.clear()
        row = self.tree.current_row()
        for color in ops.PALETTE:
            act = menu.addAction(color_dot(color), color)
            act.setCheckable(True)
            act.setChecked(row is not None and row["color"] == color)
            act.triggered.connect(lambda _=False, c=color: self.set_color(c))
        menu.addSeparator()
        menu.addAction("Other colour…", self._other_color)

    def _other_color(self) -> None:
        row = self.tree.current_row()
        chosen = QColorDialog.getColor(QColor(row["color"] if row else "#f5d742"), self,
                                       "Tag colour")
        if chosen.isValid():
            self.set_color(chosen.name())

    def set_color(self, color: str) -> None:
        tid = self.tree.current_id()
        if tid is not None:
            self._edit(tid, "change the tag's colour",
                       lambda **kw: ops.set_color(self.session, tid, color, **kw))

    def _memo_edited(self) -> None:
        row = self.tree.current_row()
        self.save_memo.setEnabled(row is not None and self.memo.toPlainText()
                                  != (row.get("description") or ""))

    def _save_memo(self) -> None:
        tid = self.tree.current_id()
        if tid is not None:
            self.save_memo.setEnabled(False)
            text = self.memo.toPlainText().strip()
            self._edit(tid, "save the tag's memo",
                       lambda **kw: ops.set_description(self.session, tid, text, **kw))

    def _tree_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        row = self.tree.current_row() if self.tree.itemAt(pos) is not None else None
        if row is not None:
            menu.addAction("Show passages", self._tag_chosen)
            menu.addAction("Rename", self.tree.rename_current)
            menu.addAction("Move to…", self.move_tag)
            menu.addAction("Merge into…", self.merge_tag)
            self._fill_colors(menu.addMenu("Colour"))
            menu.addAction("New sub-tag…", lambda: self._new_under(row["path"]))
            menu.addSeparator()
            menu.addAction("Delete…", self.delete_current)
        else:
            menu.addAction("New tag…", lambda: self._new_under(""))
        self.last_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def _new_under(self, path: str) -> None:
        self.new_tag.setText(f"{path}/" if path else "")
        self.new_tag.setFocus()

    # --- passages -----------------------------------------------------------------------------

    def _open_passage(self, row: dict[str, Any]) -> None:
        if row["status"] != "anchored":
            self.message.emit("This highlight is orphaned: the text changed. The document "
                              "opens; see its Highlights tab to place it again.")
            self.passage_opened.emit(row["document_id"], None)
            return
        words = " ".join(row["quote"].split()[:5])
        self.passage_opened.emit(row["document_id"], (row["start"], row["end"], words))

    def export(self, fmt: str) -> None:
        row = self.tree.current_row()
        ids = self.passages.shown_ids()
        if row is None or not ids:
            return
        name = f"{row['name']} passages.{fmt}".replace("/", "-")
        filters = "CSV files (*.csv)" if fmt == "csv" else "Word documents (*.docx)"
        path = ask_save_path(self, "Export passages", name, filters, f".{fmt}")
        if path is None:
            return
        ops.export_passages(self.session, row["id"], fmt, path, ids, self._passages_exported)

    def _passages_exported(self, out: dict[str, Any]) -> None:
        saved(out["path"])  # the next save dialog opens in its folder
        self.message.emit(f"Wrote {_plural(out['count'], 'passage')} to {out['path']}")

    def add_to_dossier(self, from_note: bool) -> None:
        dossier_id = self.current_dossier()
        ids = self.passages.selected_ids()
        if dossier_id is None:
            self.message.emit("Open or create a dossier first (Dossier → New dossier…).")
            return
        if ids:
            ops.add_to_dossier(self.session, dossier_id, ids, from_note, lambda _: (
                self.message.emit(f"Added {_plural(len(ids), 'passage')} to the dossier")))
