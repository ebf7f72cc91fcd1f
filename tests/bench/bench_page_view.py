"""GUI benchmark of the Original tab's page view on a 300-page PDF; prints JSON.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_page_view.py [PAGES]

Builds a library holding one generated PDF of PAGES pages (default 300, text on every page),
opens it in the real window (real worker thread) and measures, from the request until the page
view has painted every visible page from an image rendered at its size ("time to painted"):
jumps to 40 random pages (the page change), zoom steps in and out (Ctrl+= / Ctrl+-), the same
jumps at 400 % (where a render is largest), and a scroll through 100 pages in 20 ms steps. A
50 ms GUI-thread heartbeat runs throughout; its worst gap per phase says whether rendering ever
held the window (the never-frozen limit of tests/ui/test_heartbeat.py is 250 ms).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
os.environ["XDG_CONFIG_HOME"] = str(TMP / "config")
os.environ["XDG_STATE_HOME"] = str(TMP / "state")

PARAGRAPH = ("The witness described the transfer of detainees from the county camp to the "
             "factory at night, the guards at the gate, the fence along the road and the "
             "dormitories where the workers slept. ")


def make_library(pages: int) -> Path:
    from tests.support.files import make_pdf
    from workbench.services import Workbench

    pdf = make_pdf(TMP / "report.pdf", [f"Page {i}. " + PARAGRAPH * 12 for i in range(pages)])
    lib = TMP / "library"
    wb = Workbench.open(lib, create=True, program="bench")
    wb.import_paths([pdf])
    wb.close()
    return lib


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    pages = int(args[0]) if args else 300
    t0 = time.perf_counter()
    lib = make_library(pages)
    build_s = time.perf_counter() - t0

    from tests.support.heartbeat import Heartbeat
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = make_application(["bench"])

    def wait(cond: object, limit: float = 60) -> float:
        start = time.perf_counter()
        while not cond() and time.perf_counter() - start < limit:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.001)
        return time.perf_counter() - start

    win = MainWindow()
    win.resize(1600, 1000)
    win.show()
    win.open_path(lib)
    wait(lambda: win.documents.model.rowCount() == 1
         and win.documents.model.data(win.documents.model.index(0, 0)) not in (None, "…"))
    win.documents.table.selectRow(0)
    wait(lambda: win.viewer.doc_id is not None)
    viewer = win.viewer
    view = viewer.original.page_view
    t1 = time.perf_counter()
    viewer.tabs.setCurrentWidget(viewer.original)
    wait(lambda: view.page_count == pages and view.all_visible_sharp())
    open_s = time.perf_counter() - t1

    def painted(action: object) -> float:
        before = view.paints
        t = time.perf_counter()
        action()  # type: ignore[operator]
        wait(lambda: view.paints > before and view.all_visible_sharp())
        return time.perf_counter() - t

    heart = Heartbeat().start()
    rng = random.Random(13)
    targets = [rng.randrange(1, pages + 1) for _ in range(40)]
    jumps = [painted(lambda p=p: view.go_to_page(p)) for p in targets]
    jump_gap = heart.worst()

    heart.reset()
    view.go_to_page(pages // 2)
    wait(view.all_visible_sharp)
    zooms = []
    for _ in range(3):
        zooms += [painted(lambda: view.zoom_step(1)) for _ in range(4)]
        zooms += [painted(lambda: view.zoom_step(-1)) for _ in range(4)]
    zoom_gap = heart.worst()

    heart.reset()
    view.set_zoom(4.0)
    wait(view.all_visible_sharp)
    big = [painted(lambda p=p: view.go_to_page(p)) for p in targets[:15]]
    big_gap = heart.worst()

    view.fit_width()
    view.go_to_page(1)
    wait(view.all_visible_sharp)
    heart.reset()
    bar = view.verticalScrollBar()
    end = view.pages.top_of(min(100, pages - 1))
    t2 = time.perf_counter()
    for value in range(0, end, max(1, end // 250)):
        bar.setValue(value)
        wait(lambda: False, 0.02)
    wait(view.all_visible_sharp)
    scroll_s = time.perf_counter() - t2
    scroll_gap = heart.worst()
    renderer = viewer.original.pdf_source.renderer  # type: ignore[union-attr]

    def ms(values: list[float]) -> dict[str, float]:
        return {"median_ms": round(statistics.median(values) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1)}

    print(json.dumps({
        "pages": pages, "build_library_s": round(build_s, 2),
        "open_original_tab_s": round(open_s, 3),
        "page_change": ms(jumps), "page_change_worst_gui_gap_ms": round(jump_gap * 1000),
        "zoom_step": ms(zooms), "zoom_worst_gui_gap_ms": round(zoom_gap * 1000),
        "page_change_at_400pc": ms(big), "at_400pc_worst_gui_gap_ms": round(big_gap * 1000),
        "scroll_100_pages_s": round(scroll_s, 2),
        "scroll_worst_gui_gap_ms": round(scroll_gap * 1000),
        "cached_images": len(renderer._cache),
        "cache_mb": round(renderer._bytes / 1024 / 1024, 1),
    }, indent=2), flush=True)
    win.close()
    os._exit(0)  # skip interpreter teardown of Qt objects (a PySide shutdown crash)


if __name__ == "__main__":
    main()
