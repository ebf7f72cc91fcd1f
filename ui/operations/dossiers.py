"""Dossier actions: create, add, move, comment, section, redact, export (one worker call each).

``load`` returns plain data only: the working (unredacted) dossier from ``get_dossier``, plus,
from ``dossier_view``, each item's body and commentary as the exports will print them (plain
text and redaction marks) and the sections in order, empty ones included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.changes import Changes

from ..session import Session
from ..tasks import Task


def create_dossier(session: Session, title: str,
                   on_done: Callable[[Any], None] | None = None,
                   prefix: str | None = None) -> Task:
    """``prefix`` None: the core's default exhibit prefix."""
    return session.mutate(lambda wb: wb.create_dossier(title, prefix=prefix), on_done,
                          "create the dossier")


def add_items(session: Session, dossier_id: int, highlights: list[int] = (),  # type: ignore[assignment]
              documents: list[int] = (),  # type: ignore[assignment]
              position: int | None = None,
              on_done: Callable[[list[int]], None] | None = None) -> Task:
    """``on_done`` gets the new exhibits (item ids) whose highlight has a note: the builder
    offers the note as their commentary (Ctrl+D never copies it unasked)."""
    def work(wb: Any) -> tuple[list[int], Changes]:
        changes, noted = Changes(), list[int]()
        pos = position
        for hid in highlights:
            added = wb.add_item(dossier_id, highlight=hid, position=pos)
            changes = changes.merge(added)
            if str(wb.get_highlight(hid).get("note") or "").strip():
                noted += getattr(added, "item_ids", [])
            pos = pos + 1 if pos is not None else None
        for did in documents:
            changes = changes.merge(wb.add_item(dossier_id, document=did, position=pos))
            pos = pos + 1 if pos is not None else None
        return noted, changes

    return session.mutate(work, on_done, "add to the dossier")


def partition(entries: list[dict[str, Any]], highlights: list[int], documents: list[int],
              ) -> tuple[list[int], list[int], list[dict[str, Any]]]:
    """(new highlight ids, new document ids, entries already there): the one rule for Ctrl+D,
    drops on the builder and drops on a sidebar dossier, so nothing goes into a dossier twice."""
    have_h = {e["highlight_id"]: e for e in entries if e.get("kind") == "highlight"}
    have_d = {e["document_id"]: e for e in entries if e.get("kind") == "document"}
    there = [have_h[h] for h in highlights if h in have_h]
    there += [have_d[d] for d in documents if d in have_d]
    return ([h for h in highlights if h not in have_h],
            [d for d in documents if d not in have_d], there)


def describe(added: int, there: list[dict[str, Any]]) -> str:
    """What to tell the user: how many were added, and which exhibits were there already."""
    said = []
    if added:
        said.append(f"Added {added} item{'s' if added != 1 else ''} to the dossier.")
    if there:
        labels = [str(e.get("label") or "an exhibit") for e in there]
        verb = "is" if len(labels) == 1 else "are"
        said.append(f"{', '.join(labels)} {verb} already in the dossier: not added again.")
    return " ".join(said)


def add_missing(session: Session, dossier_id: int, highlights: list[int], documents: list[int],
                on_done: Callable[[str], None]) -> Task:
    """Adds those not yet in ``dossier_id`` and gives ``on_done`` the message. The check runs
    on the worker against that dossier (a sidebar drop may target one the builder does not
    show), in the same call as the adding, so a stale copy cannot let a duplicate through."""
    def work(wb: Any) -> tuple[str, Changes]:
        entries = wb.get_dossier(dossier_id)["entries"]
        new_h, new_d, there = partition(entries, highlights, documents)
        changes = Changes()
        for hid in new_h:
            changes = changes.merge(wb.add_item(dossier_id, highlight=hid))
        for did in new_d:
            changes = changes.merge(wb.add_item(dossier_id, document=did))
        return describe(len(new_h) + len(new_d), there), changes

    return session.mutate(work, on_done, "add to the dossier")


def add_note(session: Session, dossier_id: int, text: str) -> Task:
    return session.mutate(lambda wb: wb.add_item(dossier_id, note=text), doing="add the note")


def move_item(session: Session, dossier_id: int, item_id: int, position: int,
              section: str | None = None) -> Task:
    return session.mutate(lambda wb: wb.move_item(dossier_id, item_id, position, section),
                          doing="reorder the dossier")


def remove_item(session: Session, dossier_id: int, item_id: int) -> Task:
    return session.mutate(lambda wb: wb.remove_item(dossier_id, item_id),
                          doing="remove the exhibit")


def set_commentary(session: Session, dossier_id: int, item_id: int, text: str, *,
                   expected_version: int | None = None, force: bool = False,
                   on_error: Callable[[BaseException], None] | None = None) -> Task:
    """``expected_version``: the dossier's version shown; a change by someone else since is
    refused (``ConflictError``, to ``on_error``) unless ``force``."""
    return session.mutate(lambda wb: wb.set_commentary(dossier_id, item_id, text,
                                                       expected_version=expected_version,
                                                       force=force),
                          doing="save the commentary", on_error=on_error)


def add_section(session: Session, dossier_id: int, title: str) -> Task:
    return session.mutate(lambda wb: wb.add_section(dossier_id, title), doing="add the section")


def rename_section(session: Session, dossier_id: int, section_id: int, title: str,
                   on_done: Callable[[Any], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.rename_section(dossier_id, section_id, title), on_done,
                          doing="rename the section")


def redact_quote(session: Session, dossier_id: int, item_id: int, quote: str, reason: str,
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 label: str | None = None, *, expected_version: int | None = None,
                 force: bool = False) -> Task:
    """``label`` is printed in the exports (None: ``REDACTED``); ``reason`` stays private.
    ``expected_version``/``force``: as for ``set_commentary``."""
    return session.mutate(lambda wb: wb.redact_quote(dossier_id, item_id, quote, reason,
                                                     label=label,
                                                     expected_version=expected_version,
                                                     force=force),
                          on_done, "redact the text", on_error)


def freeze(session: Session, dossier_id: int) -> Task:
    return session.mutate(lambda wb: wb.freeze(dossier_id), doing="freeze the dossier")


def new_version(session: Session, dossier_id: int,
                on_done: Callable[[Any], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.new_version(dossier_id), on_done,
                          "make a new version of the dossier")


def redact_term(session: Session, dossier_id: int, term: str, reason: str,
                label: str | None = None, on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None, *,
                expected_version: int | None = None, force: bool = False) -> Task:
    """``label`` is printed in the exports (None: ``REDACTED``); ``reason`` stays private.
    ``expected_version``/``force``: as for ``set_commentary``."""
    return session.mutate(lambda wb: wb.redact_term(dossier_id, term, reason, label=label,
                                                    expected_version=expected_version,
                                                    force=force),
                          on_done, "mark the redaction", on_error)


def label_choices() -> list[str]:
    """The printed labels the redaction dialogs offer: the default first, then categories."""
    from workbench.dossier.redaction import DEFAULT_LABEL, LABEL_CATEGORIES

    return [DEFAULT_LABEL, *LABEL_CATEGORIES]


def printed_mark(label: str) -> tuple[str, str | None]:
    """What the exports would print for ``label`` (``[REDACTED: witness safety]``), and why
    the core would refuse it (None when it would not). Pure and quick: for the GUI thread."""
    from workbench.dossier.redaction import clean_label, mark
    from workbench.errors import UserError

    try:
        return mark(clean_label(label)), None
    except UserError as exc:
        return "", exc.message


def set_facsimile(session: Session, dossier_id: int, item_id: int, facsimile: bool,
                  pages: str | None, on_error: Callable[[BaseException], None] | None = None,
                  *, expected_version: int | None = None, force: bool = False) -> Task:
    """Show an exhibit as its source's own pages (``pages`` like "3-4,7"; None: default).
    ``expected_version``/``force``: as for ``set_commentary``."""
    return session.mutate(lambda wb: wb.set_facsimile(dossier_id, item_id, facsimile, pages,
                                                      expected_version=expected_version,
                                                      force=force),
                          None, "show the exhibit as its original pages", on_error)


def remove_redaction(session: Session, dossier_id: int, redaction_id: int, *,
                     expected_version: int | None = None, force: bool = False,
                     on_error: Callable[[BaseException], None] | None = None) -> Task:
    return session.mutate(lambda wb: wb.remove_redaction(dossier_id, redaction_id,
                                                         expected_version=expected_version,
                                                         force=force),
                          doing="remove the redaction", on_error=on_error)


def export(session: Session, dossier_id: int, fmt: str, out: Path, bates: str | None,
           on_done: Callable[[Any], None],
           on_error: Callable[[BaseException], None] | None = None) -> Task:
    def work(wb: Any, task: Task) -> dict[str, Any]:
        # The core reports ``workbench.progress.Progress`` steps and checks the task's cancel flag
        # between them; a cancelled export raises ``Cancelled`` and leaves no file behind.
        return wb.export(dossier_id, fmt, out, bates=bates or None, progress=task.report,
                         cancel=task.cancel)  # type: ignore[no-any-return]

    return session.run(work, on_done, "export the dossier", on_error)


def hidden_spans(text: str, redactions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Where ``text`` is already hidden: every redaction applies to every item (a quote
    redacted in one item is hidden wherever it appears, so it cannot leak). Run it on the
    worker: matching normalises the text character by character."""
    from workbench.dossier.redaction import find_spans

    spans = sorted(sp for r in redactions for sp in find_spans(text, r["text"]))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def load(wb: Any, dossier_id: int) -> dict[str, Any]:
    data: dict[str, Any] = wb.get_dossier(dossier_id)
    view = wb.dossier_view(dossier_id)
    shown = {it.id: it for it in view.items}
    raw_titles = {s["id"]: s["title"] for s in data["sections"]}
    layout: list[dict[str, Any]] = []
    for sec in view.sections:
        layout.append({"id": sec.id, "title": sec.title, "raw_title": raw_titles.get(sec.id),
                       "items": [it.id for it in sec.items]})
    for entry in data["entries"]:
        it = shown.get(entry["id"])
        if it is None:
            continue
        # (text, None) or ("", the mark printed in the text's place)
        entry["body"] = [(seg.text, seg.mark or None) for seg in it.body]
        entry["commentary_shown"] = [(seg.text, seg.mark or None) for seg in it.commentary]
        entry["source_shown"] = it.source.title if it.source else None
        if it.chronology is not None:  # the events its table lists now (none: it says so)
            entry["events_shown"] = len(it.chronology.rows)
    data["layout"] = layout
    return data
