"""Screenshots of the main views, for the README, on a sample library built from the test corpus.

Run under Xvfb (see the README):

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python packaging/screenshots.py

or without a display (Qt's offscreen platform, given a 1600x1000 screen).

It builds a library in a temporary folder (the corpus excerpts as text, a PDF and a web capture
made from them, a Chinese note; tags with colours, highlights, a saved search and a dossier),
starts the real app on it and saves PNGs to docs/screenshots/. Settings and logs go to the
temporary folder too, so nothing of the user's is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TMP = Path(tempfile.mkdtemp(prefix="workbench-shots-"))
os.environ["XDG_CONFIG_HOME"] = str(TMP / "config")
os.environ["XDG_STATE_HOME"] = str(TMP / "state")
os.environ["XDG_DATA_HOME"] = str(TMP / "data")
if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM", "").startswith("xcb"):
    # Without a display: Qt's offscreen screen is 800x800 unless told otherwise, which would
    # shoot a laptop-sized window; give it a desktop-sized screen instead.
    SCREEN = TMP / "screen.json"
    SCREEN.write_text('{"screens": [{"name": "shots", "x": 0, "y": 0, "width": 1600, '
                      '"height": 1000, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}')
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"

ZH_NOTE = ("新疆维吾尔自治区强迫劳动问题笔记\n\n联合国特别报告员认为，可以合理地得出结论："
           "新疆存在强迫劳动。报告提到农业和制造业中的维吾尔族、哈萨克族及其他少数民族。\n")


def build_library(path: Path) -> None:
    from tests.support.files import make_html_capture, make_pdf, split_pages
    from workbench.errors import UserError
    from workbench.ingest import ImportOptions
    from workbench.services import Workbench

    src = TMP / "sources"
    src.mkdir()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    names = sorted(texts)
    (src / f"{names[0]}.txt").write_text(texts[names[0]], encoding="utf-8")
    make_pdf(src / f"{names[1]}.pdf", split_pages(texts[names[1]], 1200),
             title="UN Special Rapporteur: forced labour in Xinjiang")
    body = "".join(f"<p>{para}</p>" for para in texts[names[2]].split("\n\n"))
    make_html_capture(src / f"{names[2]}.html", "UN weighs in: breach of human rights law", body,
                      url="https://example.org/news/un-weighs-in")
    (src / "notes-zh.txt").write_text(ZH_NOTE, encoding="utf-8")
    with Workbench.open(path, create=True) as wb:
        wb.import_paths([src], ImportOptions(collection="Xinjiang 2022"))
        wb.wait_for_index(60)
        for tag, color in (("Evidence/Forced labour", "#f4a261"),
                           ("Evidence/Detention", "#e76f51"),
                           ("Actors/UN", "#4ea8de"), ("Places/Xinjiang", "#90be6d")):
            wb.add_tag(tag, color=color)
        docs = {d["kind"]: d["id"] for d in wb.list_documents()}
        pdf = docs["pdf"]
        text = wb.document_text(pdf).text
        hl_ids = []
        for quote, tags, note in (
            ("reasonable to conclude", ["Evidence/Forced labour", "Actors/UN"],
             "The Rapporteur's own standard of proof"),
            ("may amount to enslavement as a crime against humanity",
             ["Evidence/Forced labour"], "Legal characterisation"),
            ("Xinjiang Uyghur Autonomous Region", ["Places/Xinjiang"], ""),
            ("detained", ["Evidence/Detention"], ""),
        ):
            if quote in text:
                try:
                    ch = wb.add_highlight(pdf, quote=quote, tags=tags, note=note)
                except UserError:  # the quote occurs more than once: take the first
                    ch = wb.add_highlight(pdf, quote=quote, occurrence=1, tags=tags, note=note)
                hl_ids += ch.highlight_ids
        wb.save_search("Forced labour, UN", 'forced labor AND "special rapporteur"')
        d = wb.create_dossier("Forced labour in Xinjiang — submission", prefix="Exhibit ")
        did = d.dossier_ids[0]
        wb.add_section(did, "Findings of UN mechanisms")
        for hid in hl_ids[:3]:
            wb.add_item(did, highlight=hid, section="Findings of UN mechanisms")
        wb.add_item(did, document=docs["html"], commentary="Context: reaction to the report.")
        wb.redact_term(did, "Bachelet", "example of a redacted name")
        for entry in wb.get_dossier(did)["entries"]:
            if entry["text"] == "reasonable to conclude":
                wb.redact_quote(did, entry["id"], "reasonable", "example redaction in one item")


def settle(app: object, win: object, seconds: float = 0.6) -> None:
    """Process events until the worker is idle, then a little longer for painting."""
    end = time.time() + 30
    while time.time() < end and win.tasks.busy:  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)
    stop = time.time() + seconds
    while time.time() < stop:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def shoot(widget: object, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    print(f"saved {path.relative_to(ROOT)}")


def main() -> int:
    from PySide6.QtCore import QSettings

    from ui.app import make_application, warm_up
    from ui.main_window import MainWindow

    lib = TMP / "library"
    build_library(lib)
    app = make_application(["workbench"])
    warm_up()
    QSettings().clear()

    # first run: an empty library
    empty = MainWindow()
    empty.resize(1360, 820)
    empty.show()
    empty.open_path(TMP / "empty-library", create=True)
    settle(app, empty)
    shoot(empty, "first-run")
    empty.close()

    win = MainWindow()
    win.resize(1440, 860)
    win.show()
    win.open_path(lib)
    settle(app, win)
    docs = win.documents
    pdf_row = next(r for r in range(docs.model.rowCount())
                   if (docs.model.row(r) or {}).get("kind") == "pdf")
    docs.table.selectRow(pdf_row)
    settle(app, win)
    win.viewer.text.verticalScrollBar().setValue(0)
    settle(app, win)
    shoot(win, "library-and-viewer")

    win.search_field.setText("forced labor Uyghur")
    win.run_search()
    settle(app, win)
    if win.search_panel is not None and win.search_panel.hits:
        win.search_panel.open_hit(0)
    settle(app, win)
    shoot(win, "search")

    win.viewer.tabs.setCurrentWidget(win.viewer.original)
    settle(app, win, 1.5)
    shoot(win, "original-pdf")
    win.viewer.tabs.setCurrentWidget(win.viewer.record)
    settle(app, win)
    shoot(win, "collection-record")

    if win.builder is not None:
        win.sidebar.select("dossier", win.builder.dossier_id or 1)
        win.show_dossier()
        win.viewer.tabs.setCurrentIndex(1)  # highlights tab, the drag source
        settle(app, win)
        shoot(win, "dossier-builder")
        win.leak_scan()
        scan = win.leak_scan_dialog
        scan.terms.setPlainText("Bachelet\nTomoya Obokata")
        scan.add_paths([CORPUS])
        scan.start()
        for _ in range(40):
            if scan.outcome is not None:
                break
            settle(app, win, 0.25)
        shoot(scan, "leak-check")
        scan.reject()

    if win.codebook is not None:
        tags = {t["path"]: t["id"] for t in win.sidebar_data.get("tags", [])}
        if "Evidence" in tags:
            win.codebook.show_tag(tags["Evidence"])
        win.show_codebook()
        settle(app, win)
        shoot(win, "codebook")

    win.viewer.tabs.setCurrentIndex(0)
    win.show_documents()
    if win.highlighter is not None:
        start = win.viewer.text_info.text.find("Tomoya Obokata")
        if start >= 0:
            win.viewer.text.select_range(start, start + len("Tomoya Obokata"))
            win.highlight_selection()
            settle(app, win)
            dialog = win.highlighter.dialog
            if dialog is not None:
                dialog.filter.setText("ev")
                settle(app, win)
                shoot(dialog, "highlight-dialog")
                dialog.reject()

    win.imports.start([CORPUS])
    settle(app, win)
    if win.imports.plan_dialog is not None:
        shoot(win.imports.plan_dialog, "import-plan")
        win.imports.plan_dialog.reject()

    os.environ["WORKBENCH_THEME"] = "dark"
    from ui.theme import apply_theme

    apply_theme(app)  # type: ignore[arg-type]
    win.viewer.text.repaint_marks()
    settle(app, win)
    shoot(win, "dark-mode")
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
