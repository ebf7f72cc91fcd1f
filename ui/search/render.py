"""Search hits as rich text: snippets with the matched words emphasised (pure functions)."""

from __future__ import annotations

import html
import unicodedata
from typing import Any

from ..kind_names import kind_name

SHOWN = 2  # snippets shown under a hit
MARK = ("<span style='background-color:#ffe08a; color:#111; font-weight:600'>", "</span>")


def emphasise(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    """``spans`` are layer offsets; ``offset`` is where ``text`` starts in the layer."""
    out, pos = [], 0
    for start, end in sorted(spans):
        a, b = max(start - offset, pos), min(end - offset, len(text))
        if b <= a:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(MARK[0] + html.escape(text[a:b]) + MARK[1])
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", " ")


def hit_html(hit: Any) -> str:
    title = html.escape(hit.title or f"Document {hit.document_id}")
    meta = [kind_name(hit.kind)] if hit.kind else []
    if hit.page:
        meta.append(f"page {hit.page}")
    snippets = hit.snippets or []
    parts = []
    for sn in snippets[:SHOWN]:
        parts.append((sn.text, "…" + emphasise(sn.text, [tuple(s) for s in sn.spans], sn.start)
                      + "…"))
    if not parts and hit.snippet:
        parts.append((hit.snippet, html.escape(hit.snippet)))
    # One paragraph each, in the direction of its own words: in one paragraph, a snippet
    # that began with Arabic turned an English second one right-to-left.
    body = "".join(f"<div dir='{direction(text)}' style='margin-top:{4 if i == 0 else 2}px'>"
                   f"{shown}</div>" for i, (text, shown) in enumerate(parts))
    return (f"<div style='font-weight:600; font-size:105%'>{title}</div>"
            f"<div style='color:#7a8594; font-size:90%'>{' · '.join(meta)}</div>"
            f"{body}")


def direction(text: str) -> str:
    """``rtl`` when most of the text's letters are written right to left, else ``ltr``."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return "rtl" if rtl > ltr else "ltr"


BODY_BLOCK = 2  # hit_html's blocks: the title, the meta line, then one per snippet


def snippet_at(block_number: int) -> int:
    """Which snippet of a row a click fell in, from the block clicked in the row's rich-text
    document: 0 outside the snippets."""
    n = block_number - BODY_BLOCK
    return n if 0 <= n < SHOWN else 0


def first_match(hit: Any, snippet: int = 0) -> tuple[int, int, str] | None:
    """(start, end, words) of the first match of the ``snippet``-th snippet shown (of the
    first snippet when there is no such one), to scroll the viewer to and mark."""
    shown = (hit.snippets or [])[:SHOWN]
    if 0 < snippet < len(shown):
        sn = shown[snippet]
        for start, end in sn.spans:
            a, b = start - sn.start, end - sn.start
            return int(start), int(end), sn.text[a:b] if 0 <= a < b <= len(sn.text) else ""
    for sn in hit.snippets or []:
        for start, end in sn.spans:
            a, b = start - sn.start, end - sn.start
            return int(start), int(end), sn.text[a:b] if 0 <= a < b <= len(sn.text) else ""
    if hit.spans:
        start, end = hit.spans[0]
        return int(start), int(end), ""
    return None
