"""The dossier as a PDF: WeasyPrint lays out the print HTML with the bundled Noto fonts.

WeasyPrint was chosen after measuring: it shapes Chinese, Arabic and Uyghur correctly, embeds
subset fonts and its text extracts back exactly (reportlab does not shape right-to-left text;
Qt's writer does not round-trip text). Fonts come from ``resources/fonts`` by file URL, so the
output does not depend on what the computer has installed.

Layout is WeasyPrint's cost, so the work is split in independent documents laid out at once
on every core (``pdf_layout``): the cover and contents, and the body in slices. The pages
where exhibits landed are then known, so the footer ("Page i of n"), the Bates number and the
contents' page numbers are drawn over the joined pages (``pdf_stamps``, ``pdf_assemble``; a
Bates prefix in another script is laid out by WeasyPrint as one more document instead).
A facsimile exhibit ends its page; its pages are rendered apart (``facsimile_plan``), once
their place and so their Bates numbers are known, and inserted after it; they keep their own
stamp and Bates number. Metadata holds only what the user chose (title, author, organisation),
the export time and a fixed producer: no user, host, path or library name.
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
import time
from contextlib import AbstractContextManager, ExitStack, nullcontext
from pathlib import Path
from typing import Any

from ..dossier.model import DossierView
from ..redact.pypdf_text import read_ahead
from .common import resources_dir
from .facsimile_plan import FacsimilePlan, bates_numbers, iter_plans, render_plans
from .html import (
    Stamp,
    facsimile_anchor,
    front_weight,
    pdf_body_parts,
    pdf_front,
    pdf_stamps,
)
from .pdf_assemble import Layout, assemble
from .pdf_layout import LayoutPool, Part, WorkerError, lay_out, started_early
from .pdf_stamps import DrawnStamps, drawable
from .pdf_stamps import draw as draw_stamps

log = logging.getLogger(__name__)

# Below this many items a second process costs about what it saves (its start and
# WeasyPrint's import, ≈ 1 CPU-second, and a page break per slice); measured break-even in
# docs/PERFORMANCE.md.
PARALLEL_MIN_ITEMS = 150
MAX_WORKERS = 3


def default_workers(view: DossierView) -> int:
    """Extra layout processes for this dossier: one per further core, if it is big enough."""
    return workers_for(len(view.items))


def workers_for(items: int) -> int:
    """Extra layout processes for a dossier of ``items`` items."""
    if items < PARALLEL_MIN_ITEMS:
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min((cores or 1) - 1, MAX_WORKERS))


def early_layout(items: int, fmt: str) -> AbstractContextManager[None]:
    """Around an export of ``fmt`` of a dossier of ``items`` items, before its view is built:
    the layout processes it will use are started now (none for a small dossier, or a format
    without a PDF), so their start overlaps the view and the HTML instead of following them.
    The writer still decides how many it uses, from the view, as before: the same PDF."""
    count = workers_for(items) if fmt in ("pdf", "bundle") else 0
    return started_early(count) if count else nullcontext()


def toc_stamps(front: Part, layout: Layout) -> list[Stamp]:
    """The contents' page numbers, right-aligned at the end of each entry's first line."""
    numbers = layout.page_numbers()
    out: list[Stamp] = []
    for name, (page, x1, y1, x2, _y2) in front.anchors.items():
        target = name.removeprefix("toc-")
        if name.startswith("toc-") and target in numbers:
            out.append((page, y1, x1, x2 - x1, str(numbers[target])))
    return out


def _ranges(total: int, parts: int, stamps: list[Stamp]) -> list[range]:
    """``parts`` runs of pages of about equal stamping cost (measured: a contents' number
    costs about a quarter of a page's footer)."""
    weight = [4.0] * total
    for page, *_rest in stamps:
        weight[page] += 1.0
    whole, cuts, acc = sum(weight), [0], 0.0
    for i, w in enumerate(weight):
        acc += w
        if len(cuts) < parts and acc >= whole * len(cuts) / parts:
            cuts.append(i + 1)
    cuts.append(total)
    return [range(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def write_pdf(view: DossierView, path: Path, bates: str | None = None,
              workers: int | None = None, facsimiles: dict[int, FacsimilePlan] | None = None,
              keep: Path | None = None) -> dict[str, Any]:
    """Write the dossier to ``path``. ``workers``: extra layout processes (None: by size).
    ``facsimiles``: the plans of its facsimile exhibits (``plan_facsimiles``); each one's
    PDF is written into ``keep`` (a bundle's ``exhibits/``) or a temporary folder.
    Returns where the time went (seconds), for the benchmark."""
    workers = default_workers(view) if workers is None else workers
    plans = facsimiles or {}
    with ExitStack() as stack:
        folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory(
            prefix="workbench-facsimiles-")))
        if workers:
            try:
                return _write(view, path, bates, workers, plans, folder)
            except WorkerError as exc:  # e.g. no separate Python to start in a frozen build
                log.warning("laying the PDF out in one process: %s", exc)
        return _write(view, path, bates, 0, plans, folder)


def _place_facsimiles(view: DossierView, layout: Layout, plans: dict[int, FacsimilePlan],
                      bates: str | None) -> list[tuple[FacsimilePlan, int, int, list[str] | None]]:
    """Reserve each facsimile's pages after the page its exhibit ends on; returns (plan,
    flow page, slot, Bates numbers) to render."""
    todo = []
    for plan in iter_plans(plans, view):
        after = layout.flow_page(facsimile_anchor(plan.item_id))
        if after is None:  # cannot happen: every planned exhibit has its slot
            raise RuntimeError(f"no place for the facsimile of {plan.label}")
        first = layout.insert(after, len(plan.pages))
        todo.append((plan, after, len(layout.inserts[after]) - 1,
                     bates_numbers(bates, first, len(plan.pages))))
    return todo


def _write(view: DossierView, path: Path, bates: str | None, workers: int,
           plans: dict[int, FacsimilePlan], folder: Path) -> dict[str, Any]:
    clock = time.perf_counter()
    base = str(resources_dir())
    with LayoutPool(workers) as pool:
        procs = pool.workers
        body_docs = pdf_body_parts(view, workers + 1, front_weight(view) if workers else 0)
        for proc, doc in zip(procs, body_docs[1:], strict=False):
            proc.submit(doc, base)
        front = lay_out(pdf_front(view), base)
        body = [lay_out(body_docs[0], base)] + [p.result() for p in procs[:len(body_docs) - 1]]
        layout = Layout([front, *body])
        todo = _place_facsimiles(view, layout, plans, bates)
        laid_out = time.perf_counter()
        # The page count is known: a leak check's page-text workers start now, while the
        # pages are stamped and joined on this core (issue 16).
        read_ahead(layout.pages)
        numbers = toc_stamps(front, layout)
        # An inserted facsimile page has its own stamp, so it gets none here.
        inserted = layout.inserted()
        stamps: list[Part] | DrawnStamps
        if drawable(bates):
            stamps = draw_stamps([i for i in range(layout.pages) if i not in inserted],
                                 layout.pages, bates, numbers)
        else:  # a Bates prefix in another script: laid out, split like the body
            ranges = [pages for r in _ranges(layout.pages, workers + 1, numbers)
                      if (pages := [i for i in r if i not in inserted])]
            for proc, pages in zip(procs, ranges[1:], strict=False):
                proc.submit(pdf_stamps(view, pages, layout.pages, bates, numbers), base)
            # Laid out before the facsimiles are rendered: their burnt pages' OCR is still
            # under way (started while planning), and rendering ends by waiting for it.
            stamps = [lay_out(pdf_stamps(view, ranges[0], layout.pages, bates, numbers), base)]
        stamped = time.perf_counter()
        render_plans([(plan, folder / plan.file_name(), numbers_of_plan)
                      for plan, _after, _slot, numbers_of_plan in todo])
        for plan, after, slot, _numbers in todo:
            layout.fill(after, slot, folder / plan.file_name())
        rendered = time.perf_counter()
        if not isinstance(stamps, DrawnStamps):
            stamps += [p.result() for p in procs[:len(ranges) - 1]]
    joined = time.perf_counter()
    assemble(layout, stamps, path, title=view.title, author=view.byline or None,
             when=view.generated_at)
    return {"workers": workers, "pages": layout.pages,
            "facsimile_pages": len(layout.inserted()),
            "facsimiles_s": round(rendered - stamped, 2),
            "layout_s": round(laid_out - clock, 2), "stamps_s": round(stamped - laid_out, 2),
            "assemble_s": round(time.perf_counter() - joined, 2),
            "front_cpu_s": round(front.cpu_s, 2), "body_cpu_s": [round(p.cpu_s, 2) for p in body],
            "stamps_cpu_s": [] if isinstance(stamps, DrawnStamps) else
            [round(p.cpu_s, 2) for p in stamps]}
